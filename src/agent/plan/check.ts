import type { ToolRegistry } from "../../tools/registry";
import { normalizeStep, type Normalization, type NormalizeContext } from "./normalize";
import { parsePlan } from "./parse";
import { isValid, type Plan, type Problem } from "./plan";
import { validatePlan } from "./validate";

export interface CheckedPlan {
  plan: Plan;
  /** Problems of reading and of meaning, in line order. */
  problems: Problem[];
  valid: boolean;
  /** Dates written in words that were resolved before validation (only with `normalize`). */
  changes: Normalization[];
}

/**
 * Parses and validates plan text in one go. Never throws on any input. With `normalize`, dates written in
 * words are first resolved relative to the request time.
 */
export function checkPlan(text: string, registry: ToolRegistry, normalize?: NormalizeContext): CheckedPlan {
  const parsed = parsePlan(text);
  const changes: Normalization[] = [];
  const unread: Problem[] = [];
  if (normalize) {
    parsed.plan.steps = parsed.plan.steps.map((step) => {
      const normalized = normalizeStep(step, registry, normalize);
      changes.push(...normalized.changes);
      unread.push(...normalized.problems);
      return normalized.step;
    });
  }
  const problems = [...parsed.problems, ...unread, ...validatePlan(parsed.plan, registry)].sort(
    (a, b) => (a.line ?? Infinity) - (b.line ?? Infinity),
  );
  return { plan: parsed.plan, problems, valid: isValid(problems), changes };
}
