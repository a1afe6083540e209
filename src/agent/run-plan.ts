import { executePlan, type ExecuteOptions } from "./executor/executor";
import type { RunResult } from "./executor/events";
import { checkPlan, type CheckedPlan } from "./plan/check";
import { defaultRegistry, type ToolRegistry } from "../tools/registry";

export interface PlanRun {
  checked: CheckedPlan;
  /** Absent when the plan was invalid: an invalid plan never runs, not even partly. */
  result?: RunResult;
}

/**
 * Checks plan text as it would run now: dates written in words are resolved relative to `now`, in this
 * machine's time zone, before validation. `tinyagent parse` and `run-plan` both read plans through it, so
 * a plan one accepts the other runs.
 */
export function checkPlanNow(
  text: string,
  registry: ToolRegistry = defaultRegistry,
  now: Date = new Date(),
): CheckedPlan {
  return checkPlan(text, registry, { now, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
}

/** Checks plan text (checkPlanNow) and, when it is valid, executes it. */
export async function runPlanText(text: string, options: ExecuteOptions): Promise<PlanRun> {
  const checked = checkPlanNow(text, options.registry ?? defaultRegistry);
  if (!checked.valid) return { checked };
  return { checked, result: await executePlan(checked.plan.steps, options) };
}
