import type { ToolRegistry } from "../../tools/registry";
import { toolParams } from "../../tools/tool";
import type { Step } from "../plan/plan";
import { referencesIn } from "../plan/references";

/** A step's claim on app state: the scope (notes) and the item, or "*" when the item is known only at run time. */
interface StateClaim {
  scope: string;
  item: string;
  writes: boolean;
}

/**
 * Earlier steps a step must wait for although it does not use their results: writes to the same app state
 * (create a note, then open it). These order steps; unlike `$` dependencies, their failure skips nothing.
 */
export function stateOrdering(step: Step, earlier: readonly Step[], registry: ToolRegistry): number[] {
  const claim = claimOf(step, registry);
  if (!claim) return [];
  return earlier
    .filter((other) => {
      const previous = claimOf(other, registry);
      if (!previous?.writes || previous.scope !== claim.scope) return false;
      return previous.item === "*" || claim.item === "*" || previous.item === claim.item;
    })
    .map((other) => other.index);
}

function claimOf(step: Step, registry: ToolRegistry): StateClaim | undefined {
  const tool = registry.get(step.tool);
  if (!tool?.state) return undefined;
  const position = toolParams(tool).findIndex((param) => param.name === tool.state!.key);
  const value = step.args[position];
  const known = typeof value === "string" && referencesIn(value).length === 0;
  const item = known ? value.normalize("NFKC").trim().toLowerCase() : "*";
  return { scope: tool.state.scope, item, writes: tool.effect === "write" };
}
