import { executePlan, type ExecuteOptions } from "./executor/executor";
import type { RunResult } from "./executor/events";
import { checkPlan, type CheckedPlan } from "./plan/check";
import { defaultRegistry } from "../tools/registry";

export interface PlanRun {
  checked: CheckedPlan;
  /** Absent when the plan was invalid: an invalid plan never runs, not even partly. */
  result?: RunResult;
}

/**
 * Checks plan text and, when it is valid, executes it. Dates written in words are resolved relative to
 * now, in this machine's time zone.
 */
export async function runPlanText(text: string, options: ExecuteOptions): Promise<PlanRun> {
  const checked = checkPlan(text, options.registry ?? defaultRegistry, {
    now: new Date(),
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
  });
  if (!checked.valid) return { checked };
  return { checked, result: await executePlan(checked.plan.steps, options) };
}
