import { z } from "zod";
import { defaultRegistry, type ToolRegistry } from "../../tools/registry";
import { checkPlan, type CheckedPlan } from "../plan/check";
import type { NormalizeContext } from "../plan/normalize";

/**
 * One line of an evaluation file. `plan` is the ground-truth plan text; an empty plan means no tool fits
 * the request (out of domain). `tools` overrides the ground-truth tool set, which is otherwise the set of
 * tools the plan calls. `now` is when the request is taken to be made ("YYYY-MM-DD HH:MM[:SS]"): the
 * ground truth's dates are relative to it.
 */
export const evalLineSchema = z.object({
  query: z.string().trim().min(1, "the query is empty"),
  plan: z.string(),
  tools: z.array(z.string()).optional(),
  now: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/, 'write "now" as "YYYY-MM-DD HH:MM:SS"')
    .optional(),
});

export type EvalLine = z.infer<typeof evalLineSchema>;

/** A request ready to evaluate, with its ground truth checked. */
export interface EvalRequest {
  /** 1-based line in the data file. */
  line: number;
  query: string;
  /** The ground-truth plan, parsed and validated; undefined when no tool fits the request. */
  truth: CheckedPlan | undefined;
  truthText: string;
  /** Ground-truth tools, in registry order. */
  tools: string[];
  /** When the request is made, as wall-clock time in `timeZone`. */
  context: NormalizeContext;
}

/** A line that cannot be evaluated, and why. */
export interface LineError {
  line: number;
  message: string;
}

/**
 * The request time of the synthetic Tool RAG data and of the prompt's built-in examples: Monday 2024-06-03,
 * 09:00. Ground-truth dates are written relative to it, so it is the default request time of an evaluation.
 */
export const DEFAULT_EVAL_NOW = "2024-06-03 09:00:00";

/**
 * Reads an evaluation file (JSON Lines). A malformed line becomes a LineError naming the line and what is
 * wrong; the other lines are still read. Blank lines are skipped.
 */
export function readEvalData(
  text: string,
  options: { now?: string; registry?: ToolRegistry; limit?: number } = {},
): { requests: EvalRequest[]; errors: LineError[] } {
  const registry = options.registry ?? defaultRegistry;
  const requests: EvalRequest[] = [];
  const errors: LineError[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if (options.limit !== undefined && requests.length + errors.length >= options.limit) break;
    const raw = lines[i]!;
    if (raw.trim() === "") continue;
    const read = readLine(raw, i + 1, registry, options.now ?? DEFAULT_EVAL_NOW);
    if ("message" in read) errors.push(read);
    else requests.push(read);
  }
  return { requests, errors };
}

function readLine(raw: string, line: number, registry: ToolRegistry, now: string): EvalRequest | LineError {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { line, message: `not JSON (${(error as Error).message})` };
  }
  const parsed = evalLineSchema.safeParse(json);
  if (!parsed.success) return { line, message: describeIssues(parsed.error, json) };
  const { query, plan, tools, now: lineNow } = parsed.data;
  let context: NormalizeContext;
  try {
    context = requestContext(lineNow ?? now);
  } catch (error) {
    return { line, message: (error as Error).message };
  }
  const unknown = (tools ?? []).filter((tool) => !registry.get(tool));
  if (unknown.length > 0) return { line, message: `unknown tools in "tools": ${unknown.join(", ")}` };
  if (plan.trim() === "") {
    if (tools && tools.length > 0)
      return { line, message: '"plan" is empty but "tools" names tools: write the plan' };
    return { line, query, truth: undefined, truthText: "", tools: [], context };
  }
  const truth = checkPlan(plan, registry, context);
  if (!truth.valid) {
    const problems = truth.problems.filter((p) => p.severity === "error").map((p) => p.message);
    return { line, message: `the ground-truth plan is invalid: ${problems.join("; ")}` };
  }
  const planTools = new Set(truth.plan.steps.map((step) => step.tool));
  const truthTools = registry.tools
    .map((t) => t.name)
    .filter((name) => (tools ?? [...planTools]).includes(name));
  return { line, query, truth, truthText: plan, tools: truthTools, context };
}

function describeIssues(error: z.ZodError, json: unknown): string {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    return 'each line must be a JSON object with "query" and "plan"';
  return error.issues
    .map((issue) => {
      const key = issue.path[0];
      if (issue.path.length === 1 && typeof key === "string" && !(key in json)) return `"${key}" is missing`;
      return `"${issue.path.join(".")}": ${issue.message}`;
    })
    .join("; ");
}

/**
 * A request time given as wall-clock text, in UTC: the evaluation then reads and writes dates in one zone
 * whatever the machine's zone is, so results do not depend on where they are run.
 */
export function requestContext(now: string): NormalizeContext {
  const [day, time = "00:00:00"] = now.split(/[ T]/);
  const withSeconds = time.length === 5 ? `${time}:00` : time;
  const date = new Date(`${day}T${withSeconds}Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day)
    throw new Error(`not a date: "${now}"; write "YYYY-MM-DD HH:MM:SS"`);
  return { now: date, timeZone: "UTC" };
}
