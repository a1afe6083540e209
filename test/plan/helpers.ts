import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PlanStreamParser, type ParseResult, type PlanItem } from "../../src/agent/plan/parse";
import { END_OF_PLAN, type Plan, type Problem, type Step, type Value } from "../../src/agent/plan/plan";

/** Fixed seed so every property run is reproducible; fast-check still prints the seed and path on failure. */
export const SEED = 20_240_603;

/** Reads a golden plan text from test/fixtures/plans. */
export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../fixtures/plans/${name}`, import.meta.url)), "utf8");
}

export const FIXTURES = ["python-literals.txt", "json-literals.txt", "mixed-literals.txt"] as const;

/** Feeds `text` to a fresh stream parser in the given chunks and returns everything it produced. */
export function streamChunks(
  chunks: readonly string[],
): ParseResult & { pushed: PlanItem[][]; finalItems: PlanItem[] } {
  const parser = new PlanStreamParser();
  const pushed = chunks.map((chunk) => parser.push(chunk));
  const { plan, problems, items } = parser.finish();
  return { plan, problems, pushed, finalItems: items };
}

/** Splits text into pieces of `size` UTF-16 code units (so surrogate pairs may be split too). */
export function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  return chunks;
}

/** Splits text at the given offsets (any order, repeats allowed, out-of-range clamped). */
export function splitAt(text: string, offsets: readonly number[]): string[] {
  const cuts = [...new Set(offsets.map((o) => Math.max(0, Math.min(text.length, o))))].sort((a, b) => a - b);
  const chunks: string[] = [];
  let previous = 0;
  for (const cut of cuts) {
    chunks.push(text.slice(previous, cut));
    previous = cut;
  }
  chunks.push(text.slice(previous));
  return chunks;
}

/** A plan without the `line` fields, for comparing plans whose layout differs. */
export function withoutLines(plan: Plan): unknown {
  return {
    steps: plan.steps.map((s) => omit(s, "line")),
    ...(plan.join ? { join: omit(plan.join, "line") } : {}),
    ended: plan.ended,
  };
}

/** A shallow copy of `object` without `key`. */
export function omit<T extends object, K extends keyof T>(object: T, key: K): Omit<T, K> {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

/** Builds a step for DAG/serializer tests; `line` is irrelevant there. */
export function step(index: number, tool: string, args: Value[] = [], thought?: string): Step {
  return { index, tool, args, line: index, ...(thought === undefined ? {} : { thought }) };
}

/** Builds a plan from steps, closed by `N. join()<END_OF_PLAN>`. */
export function planOf(...steps: Step[]): Plan {
  return { steps, join: { index: steps.length + 1, line: steps.length + 1 }, ended: true };
}

export const codes = (problems: readonly Problem[]): string[] => problems.map((p) => p.code);

const THOUGHT_LINE = /^\s*thought\s*:/i;

/**
 * The "never silently drops a line" check. Every non-blank line of `text` must be accounted for:
 * - a problem reported on that line, or
 * - the line of a step or of the join, or
 * - a lone `<END_OF_PLAN>` marker, or
 * - a `Thought:` line whose text reached a step/join (the next call line carries a thought), or whose loss
 *   is reported (the next call line has a problem, or a stray-thought warning was given).
 * Returns a description of each unaccounted line (empty when all is well).
 */
export function unaccountedLines(text: string, result: ParseResult): string[] {
  const lines = text.split("\n").map((line) => (line.endsWith("\r") ? line.slice(0, -1) : line));
  const problemLines = new Set(result.problems.map((p) => p.line));
  const stepByLine = new Map<number, { thought?: string }>(result.plan.steps.map((s) => [s.line, s]));
  if (result.plan.join) stepByLine.set(result.plan.join.line, result.plan.join);
  const hasStray = result.problems.some((p) => p.code === "stray-thought");
  const missing: string[] = [];
  lines.forEach((line, i) => {
    const number = i + 1;
    if (line.trim() === "") return;
    if (problemLines.has(number) || stepByLine.has(number)) return;
    if (line.trim() === END_OF_PLAN) return;
    if (THOUGHT_LINE.test(line)) {
      // Find the line the thought attaches to: the next non-blank line that is not a thought.
      for (let j = i + 1; j < lines.length; j++) {
        const next = lines[j]!;
        if (next.trim() === "" || THOUGHT_LINE.test(next)) continue;
        if (problemLines.has(j + 1)) return;
        const carrier = stepByLine.get(j + 1);
        if (carrier?.thought !== undefined) return;
        break; // the carrier lost the thought, or the thought reached <END_OF_PLAN> (stray-thought covers that)
      }
      if (hasStray) return;
    }
    missing.push(`line ${number}: ${JSON.stringify(line)}`);
  });
  return missing;
}

/** Shape checks every parse/check result must satisfy, whatever the input. */
export function shapeIssues(result: ParseResult, text: string): string[] {
  const issues: string[] = [];
  if (!Array.isArray(result.plan.steps)) issues.push("plan.steps is not an array");
  if (typeof result.plan.ended !== "boolean") issues.push("plan.ended is not a boolean");
  if (!Array.isArray(result.problems)) issues.push("problems is not an array");
  const lineCount = text.split("\n").length;
  for (const problem of result.problems) {
    if (typeof problem.message !== "string" || problem.message.trim() === "")
      issues.push(`empty message: ${JSON.stringify(problem)}`);
    if (problem.severity !== "error" && problem.severity !== "warning")
      issues.push(`bad severity: ${JSON.stringify(problem)}`);
    const lineInRange =
      problem.line === undefined ||
      (Number.isInteger(problem.line) && problem.line >= 1 && problem.line <= lineCount);
    if (!lineInRange) issues.push(`line out of range: ${JSON.stringify(problem)}`);
  }
  for (const s of result.plan.steps) {
    if (!Array.isArray(s.args)) issues.push(`step args not an array: ${JSON.stringify(s)}`);
    if (!/^[A-Za-z_]\w*$/.test(s.tool)) issues.push(`odd tool name: ${JSON.stringify(s)}`);
  }
  return issues;
}

/**
 * CPU time `work` takes, in milliseconds: the bound of the time tests. Unlike the wall clock it does not
 * grow when other processes take the machine's cores, so a busy machine does not fail a linear parser,
 * while a quadratic one still spends its seconds.
 */
export function cpuMs(work: () => void): number {
  const started = process.cpuUsage();
  work();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
