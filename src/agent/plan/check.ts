import type { ToolRegistry } from "../../tools/registry";
import { parsePlan } from "./parse";
import { isValid, type Plan, type Problem } from "./plan";
import { validatePlan } from "./validate";

export interface CheckedPlan {
  plan: Plan;
  /** Problems of reading and of meaning, in line order. */
  problems: Problem[];
  valid: boolean;
}

/** Parses and validates plan text in one go. Never throws on any input. */
export function checkPlan(text: string, registry: ToolRegistry): CheckedPlan {
  const parsed = parsePlan(text);
  const problems = [...parsed.problems, ...validatePlan(parsed.plan, registry)].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity),
  );
  return { plan: parsed.plan, problems, valid: isValid(problems) };
}
