import type { z } from "zod";
import { asListArgument, toolParams, type AnyTool } from "../../tools/tool";
import type { Step, Value } from "../plan/plan";
import { substituteReferences } from "../plan/references";
import type { ResolvedArgs } from "./events";

export type Resolution = { ok: true; args: ResolvedArgs } | { ok: false; message: string };

/**
 * Replaces references with earlier results and checks the outcome against the tool's schema. A list
 * parameter given one string (`"$1"` where a list is expected) receives a one-item list.
 */
export function resolveArguments(step: Step, tool: AnyTool, resultOf: (step: number) => string): Resolution {
  const params = toolParams(tool);
  if (step.args.length !== params.length) {
    return {
      ok: false,
      message: `${tool.name} takes ${params.length} arguments; step ${step.index} gives ${step.args.length}`,
    };
  }
  const named: Record<string, Value> = {};
  params.forEach((param, position) => {
    const value = substituteReferences(step.args[position]!, resultOf);
    named[param.name] = asListArgument(param, value) as Value;
  });
  return checkArguments(tool, named);
}

/** Validates named arguments (resolved, or edited by the person) against the tool's schema. */
export function checkArguments(tool: AnyTool, args: Record<string, unknown>): Resolution {
  const result = tool.args.safeParse(args);
  if (result.success) return { ok: true, args: result.data as ResolvedArgs };
  return { ok: false, message: describeIssues(result.error) };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message))
    .join("; ");
}
