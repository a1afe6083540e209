import { sourceNote, type ArgumentSource } from "../agent/executor/argument-sources";
import type { ResolvedArgs, StepOutcome } from "../agent/executor/events";
import type { Normalization } from "../agent/plan/normalize";
import type { Plan, Problem } from "../agent/plan/plan";
import { serializeValue } from "../agent/plan/serialize";
import type { AnyTool } from "../tools/tool";
import { toolParams } from "../tools/tool";
import { visibleText } from "./terminal-text";

/** The most problems printed for a plan; a binary file has one on nearly every line. --json lists all. */
export const PROBLEMS_SHOWN = 20;
/** The longest problem line printed (a made-up tool name can be a whole line of a file). */
const PROBLEM_LINE_LENGTH = 500;

export function formatProblem(problem: Problem): string {
  const where = problem.line === undefined ? "" : `line ${problem.line}: `;
  const line = `${problem.severity}: ${where}${visibleText(problem.message)}`;
  return line.length > PROBLEM_LINE_LENGTH ? `${line.slice(0, PROBLEM_LINE_LENGTH - 3)}...` : line;
}

/** The first PROBLEMS_SHOWN problems, one line each, then how many more there are. */
export function formatProblems(problems: readonly Problem[]): string[] {
  const lines = problems.slice(0, PROBLEMS_SHOWN).map(formatProblem);
  const more = problems.length - lines.length;
  if (more > 0)
    lines.push(
      `... and ${more.toLocaleString("en-US")} more problem${more === 1 ? "" : "s"} (--json lists them all)`,
    );
  return lines;
}

export function formatNormalization(change: Normalization): string {
  return `note: step ${change.step}: ${change.param} "${visibleText(change.from)}" means ${change.to}`;
}

export function formatPlan(plan: Plan): string {
  const lines = plan.steps.map(
    (step) => `${step.index}. ${step.tool}(${step.args.map(serializeValue).join(", ")})`,
  );
  if (plan.join) lines.push(`${plan.join.index}. join()`);
  return lines.join("\n");
}

/**
 * One argument per line, as the person should check it before approving; a value an earlier look-up
 * found says whose it is: `+1 415 555 0142 (Sid Patel's mobile number, from Contacts)`.
 */
export function formatArguments(
  tool: AnyTool,
  args: ResolvedArgs,
  sources: readonly ArgumentSource[] = [],
): string {
  const params = toolParams(tool);
  const width = Math.max(...params.map((param) => param.name.length));
  return params
    .map((param) => `  ${param.name.padEnd(width)}  ${formatArgumentValue(args[param.name], sources)}`)
    .join("\n");
}

export function formatArgumentValue(value: unknown, sources: readonly ArgumentSource[] = []): string {
  if (value === null || value === undefined) return "(default)";
  if (Array.isArray(value))
    return value.length === 0 ? "(none)" : value.map((item) => formatArgumentValue(item, sources)).join(", ");
  if (typeof value !== "string") return String(value);
  if (value === "") return "(empty)";
  const note = sourceNote(value, sources);
  return note === undefined ? visibleText(value) : `${visibleText(value)} (${visibleText(note)})`;
}

const MARKS = { done: "✓", failed: "✗", skipped: "–" } as const;

export function formatOutcome(outcome: StepOutcome): string {
  const head = `${MARKS[outcome.status]} ${outcome.step.index}. ${outcome.step.tool}`;
  switch (outcome.status) {
    case "done":
      return `${head} → ${oneLine(outcome.observation)}`;
    case "failed":
      return `${head} failed: ${visibleText(outcome.error.message)}`;
    case "skipped":
      return `${head} skipped: ${visibleText(outcome.reason)}`;
  }
}

function oneLine(text: string): string {
  const flat = visibleText(text);
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
