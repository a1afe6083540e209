import type { z } from "zod";
import type { ToolRegistry } from "../../tools/registry";
import { asListArgument, toolParams, type AnyTool, type Param } from "../../tools/tool";
import type { Plan, Problem, Step, Value } from "./plan";
import { hasInterpolation, referencesIn, wholeReference } from "./references";

/**
 * Checks a parsed plan against the tools it may use: numbering, the join, tool names, argument count and
 * types, and that every reference points at an earlier step. Returns problems; never throws.
 */
export function validatePlan(plan: Plan, registry: ToolRegistry): Problem[] {
  const problems: Problem[] = [...checkNumbering(plan)];
  const known = new Set(plan.steps.map((step) => step.index));
  for (const step of plan.steps) {
    problems.push(...checkReferences(step, known));
    const tool = registry.get(step.tool);
    if (!tool) {
      problems.push(unknownTool(step, registry));
      continue;
    }
    problems.push(...checkArguments(step, tool));
  }
  return problems;
}

function checkNumbering(plan: Plan): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<number>();
  let expected = 1;
  for (const step of plan.steps) {
    if (seen.has(step.index)) {
      problems.push(error("duplicate-step", step, `step number ${step.index} is used twice`));
    } else if (step.index !== expected) {
      problems.push(
        error(
          "numbering",
          step,
          `expected step ${expected} here, found ${step.index}; number steps 1, 2, 3, ...`,
        ),
      );
    }
    seen.add(step.index);
    expected = step.index + 1;
  }
  if (!plan.join) {
    problems.push({
      code: "missing-join",
      severity: "error",
      message: `the plan does not end with \`${expected}. join()\``,
    });
  } else if (plan.join.index !== expected) {
    problems.push({
      code: "numbering",
      severity: "error",
      line: plan.join.line,
      step: plan.join.index,
      message: `join() should be step ${expected}, the one after the last call; found ${plan.join.index}`,
    });
  }
  return problems;
}

function checkReferences(step: Step, known: ReadonlySet<number>): Problem[] {
  const problems: Problem[] = [];
  for (const target of referencesIn(step.args)) {
    if (target >= step.index) {
      problems.push(
        error("bad-reference", step, `step ${step.index} uses $${target}, which is not an earlier step`),
      );
    } else if (!known.has(target)) {
      problems.push(
        error(
          "bad-reference",
          step,
          `step ${step.index} uses $${target}, but the plan has no step ${target}`,
        ),
      );
    }
  }
  return problems;
}

function unknownTool(step: Step, registry: ToolRegistry): Problem {
  const suggestion = closestName(step.tool, registry.names);
  const hint = suggestion ? ` Did you mean ${suggestion}?` : "";
  return error(
    "unknown-tool",
    step,
    `step ${step.index} calls ${step.tool}, which is not an available tool.${hint} Available: ${registry.names.join(", ") || "none"}.`,
  );
}

function checkArguments(step: Step, tool: AnyTool): Problem[] {
  const params = toolParams(tool);
  if (step.args.length !== params.length) {
    const signature = params.map((p) => p.name).join(", ");
    return [
      error(
        "argument-count",
        step,
        `${tool.name} takes ${params.length} argument${params.length === 1 ? "" : "s"} (${signature}); step ${step.index} gives ${step.args.length}`,
      ),
    ];
  }
  const problems: Problem[] = [];
  params.forEach((param, position) => {
    const reason = argumentMismatch(step.args[position]!, param, tool.args.shape[param.name] as z.ZodType);
    if (reason) {
      problems.push(
        error("argument-type", step, `argument ${position + 1} (${param.name}) of ${tool.name}: ${reason}`),
      );
    }
  });
  return problems;
}

/** Why a literal argument does not fit its parameter, or undefined when it does. */
function argumentMismatch(written: Value, param: Param, schema: z.ZodType): string | undefined {
  const value = asListArgument(param, written) as Value;
  // A whole reference is a text result, known only at run time.
  if (wholeReference(value) !== undefined || (typeof value === "string" && hasInterpolation(value))) {
    return param.type === "str" ? undefined : `expected ${param.type}, got text`;
  }
  if (Array.isArray(value) && value.some((item) => wholeReference(item) !== undefined)) {
    if (param.type !== "list[str]") return `expected ${param.type}, got a list`;
    // Only the literal items can be checked before the run.
    const literalItems = value.filter((item) => wholeReference(item) === undefined);
    const result = schema.safeParse(literalItems);
    return result.success ? undefined : describeIssue(result.error, value);
  }
  const result = schema.safeParse(value);
  return result.success ? undefined : describeIssue(result.error, value);
}

function describeIssue(zodError: z.ZodError, value: Value): string {
  const issue = zodError.issues[0];
  const got = JSON.stringify(value);
  const shown = got.length > 60 ? `${got.slice(0, 57)}...` : got;
  return `${issue?.message ?? "invalid value"} (got ${shown})`;
}

function error(code: Problem["code"], step: Step, message: string): Problem {
  return { code, severity: "error", line: step.line, step: step.index, message };
}

/** The most similar name within a small edit distance, to suggest a fix for a misspelt tool. */
function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (a.length > 100 || b.length > 100) return Math.max(a.length, b.length);
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
