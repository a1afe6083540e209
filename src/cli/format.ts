import type { ResolvedArgs, StepOutcome } from "../agent/executor/events";
import type { Plan, Problem } from "../agent/plan/plan";
import { serializeValue } from "../agent/plan/serialize";
import type { AnyTool } from "../tools/tool";
import { toolParams } from "../tools/tool";

export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? "" : `line ${problem.line}: `;
  return `${problem.severity}: ${where}${problem.message}`;
}

export function formatPlan(plan: Plan): string {
  const lines = plan.steps.map(
    (step) => `${step.index}. ${step.tool}(${step.args.map(serializeValue).join(", ")})`,
  );
  if (plan.join) lines.push(`${plan.join.index}. join()`);
  return lines.join("\n");
}

/** One argument per line, as the person should check it before approving. */
export function formatArguments(tool: AnyTool, args: ResolvedArgs): string {
  const params = toolParams(tool);
  const width = Math.max(...params.map((param) => param.name.length));
  return params
    .map((param) => `  ${param.name.padEnd(width)}  ${formatArgumentValue(args[param.name])}`)
    .join("\n");
}

export function formatArgumentValue(value: unknown): string {
  if (value === null || value === undefined) return "(default)";
  if (Array.isArray(value))
    return value.length === 0 ? "(none)" : value.map((item) => formatArgumentValue(item)).join(", ");
  if (typeof value === "string") return value === "" ? "(empty)" : JSON.stringify(value).slice(1, -1);
  return String(value);
}

const MARKS = { done: "✓", failed: "✗", skipped: "–" } as const;

export function formatOutcome(outcome: StepOutcome): string {
  const head = `${MARKS[outcome.status]} ${outcome.step.index}. ${outcome.step.tool}`;
  switch (outcome.status) {
    case "done":
      return `${head} → ${oneLine(outcome.observation)}`;
    case "failed":
      return `${head} failed: ${outcome.error.message}`;
    case "skipped":
      return `${head} skipped: ${outcome.reason}`;
  }
}

function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, " ⏎ ");
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
