import { toolParams } from "../../tools/tool";
import type { ToolRegistry } from "../../tools/registry";
import type { CheckedPlan } from "../plan/check";
import { sameDag } from "../plan/dag";
import type { PlanningStats } from "../planner/planner";
import type { UngroundedArgument } from "./grounding";
import type { WrittenText } from "./written-text";
import { compareKeyArguments, factKind, keyArgumentFacts, type ParamNames } from "./key-arguments";
import { spread } from "./percentile";

/** How one in-domain request went against its ground truth. */
export interface RequestScore {
  /** Ground-truth tools the selector offered, out of those needed, and how many it offered in all. */
  toolHits: number;
  toolsNeeded: number;
  toolsSelected: number;
  /** A plan was written, parsed and validated against the selected tools. */
  valid: boolean;
  /** The paper's metric, on a valid plan: its DAG is isomorphic to the ground truth's, tool names matching. */
  success: boolean;
  /** The plan calls exactly the ground truth's tools (as a set, whatever the steps and their order). */
  toolSetMatch: boolean;
  /** Key-argument facts of the ground truth found in the plan (see key-arguments.ts). */
  keyArguments: { matched: number; total: number; missing: string[] };
  /** Success, and every key argument exactly as in the ground truth. */
  argumentsExact: boolean;
  /**
   * Whether the ground truth's contact look-up names, and its dates, are all in the plan exactly; absent
   * when the ground truth has none of that kind (issue 8: names exact in requests with look-ups).
   */
  namesExact?: boolean;
  datesExact?: boolean;
  /** Calls in the ground truth's plan (the join not counted): the plan length buckets (absent in older reports). */
  truthSteps?: number;
}

/**
 * Scores a plan (or no plan: the selector found no tool, or planning failed) against the ground truth. Both
 * plans must be normalized with the same request time, so dates compare as ISO text.
 */
export function scoreRequest(options: {
  truth: CheckedPlan;
  truthTools: readonly string[];
  selected: readonly string[];
  generated: CheckedPlan | undefined;
  registry: ToolRegistry;
}): RequestScore {
  const { truth, truthTools, selected, generated } = options;
  const toolHits = truthTools.filter((tool) => selected.includes(tool)).length;
  const names = paramNamesOf(options.registry);
  const truthFacts = keyArgumentFacts(truth.plan, names);
  const valid = generated?.valid ?? false;
  const success = valid && sameDag(generated!.plan, truth.plan);
  const called = new Set(generated?.plan.steps.map((step) => step.tool) ?? []);
  const needed = new Set(truth.plan.steps.map((step) => step.tool));
  const toolSetMatch = called.size === needed.size && [...needed].every((tool) => called.has(tool));
  const comparison = compareKeyArguments(
    truthFacts,
    generated ? keyArgumentFacts(generated.plan, names) : [],
  );
  return {
    toolHits,
    toolsNeeded: truthTools.length,
    toolsSelected: selected.length,
    valid,
    success,
    toolSetMatch,
    keyArguments: { matched: comparison.matched, total: comparison.total, missing: comparison.missing },
    argumentsExact: success && comparison.missing.length === 0 && comparison.extra.length === 0,
    ...allFound(truthFacts, comparison.missing, "name", "namesExact"),
    ...allFound(truthFacts, comparison.missing, "date", "datesExact"),
    truthSteps: truth.plan.steps.length,
  };
}

/** Plan length buckets, by the ground truth's calls: one, two, three, four or more, and three or more. */
export const LENGTH_BUCKETS = ["1", "2", "3", "4+", "3+"] as const;
export type LengthBucket = (typeof LENGTH_BUCKETS)[number];

function inBucket(steps: number, bucket: LengthBucket): boolean {
  if (bucket === "4+") return steps >= 4;
  if (bucket === "3+") return steps >= 3;
  return steps === Number(bucket);
}

function allFound<Key extends "namesExact" | "datesExact">(
  truth: readonly string[],
  missing: readonly string[],
  kind: "name" | "date",
  key: Key,
): Partial<Record<Key, boolean>> {
  if (!truth.some((fact) => factKind(fact) === kind)) return {};
  return { [key]: !missing.some((fact) => factKind(fact) === kind) } as Partial<Record<Key, boolean>>;
}

function paramNamesOf(registry: ToolRegistry): ParamNames {
  return (tool) => {
    const definition = registry.get(tool);
    return definition ? toolParams(definition).map((param) => param.name) : undefined;
  };
}

/** One evaluated request, as report.json's request lines hold it. */
export interface RequestRecord {
  line: number;
  query: string;
  /** "plan": a plan was written; "no-tools": nothing was selected; "error": planning failed. */
  outcome: "plan" | "no-tools" | "error";
  /** No ground-truth plan: the request should be turned down. */
  outOfDomain: boolean;
  selected: string[];
  score: RequestScore | null;
  plan: string | null;
  /** Whether the written plan parsed and validated against the selected tools; null without a plan. */
  valid: boolean | null;
  problems: string[];
  /**
   * Free-text arguments of the plan checked for words the request does not contain, and those that have
   * some (grounding.ts); absent in older reports.
   */
  textArguments?: number;
  ungrounded?: UngroundedArgument[];
  /** With `--writer`: the email bodies the planner's model wrote for the plan's drafts (written-text.ts). */
  written?: WrittenText[];
  error: string | null;
  stats: PlanningStats | null;
  /** From the start of the request (selection included) to the first complete step, and to the end. */
  firstStepMs: number | null;
  totalMs: number;
  selectMs: number;
}

export interface Distribution {
  p50: number | null;
  p95: number | null;
}

/** An evaluation run in figures. Rates are fractions (0..1); null when nothing was there to count. */
export interface EvalSummary {
  requests: number;
  inDomain: number;
  outOfDomain: number;
  /** Out-of-domain requests for which nothing was planned. */
  outOfDomainRejected: number;
  planned: number;
  errors: number;
  /** Successes over in-domain requests (a request with no plan counts as a failure). */
  successRate: number | null;
  /** Valid plans over plans written. */
  validityRate: number | null;
  /** Micro averages over in-domain requests. */
  toolRecall: number | null;
  toolPrecision: number | null;
  toolsPerRequest: number | null;
  /** Plans calling exactly the ground truth's tools, over in-domain requests (absent in older reports). */
  toolSetMatchRate?: number | null;
  /** Key-argument facts found over all ground-truth facts, in-domain requests. */
  keyArgumentAccuracy: number | null;
  /** Requests with success and every key argument exact, over in-domain requests. */
  argumentsExactRate: number | null;
  /** Requests whose look-up names are all exact, over requests whose ground truth looks someone up. */
  namesExactRate: number | null;
  /** Requests whose dates are all exact, over requests whose ground truth has a date. */
  datesExactRate: number | null;
  /** Success by the ground truth's plan length: in-domain requests of each bucket, and successes. */
  byLength?: Record<LengthBucket, { requests: number; successes: number }>;
  /**
   * Free-text arguments of the written plans (messages, subjects, titles, notes…), and how many of them use
   * a word the request does not contain (grounding.ts); absent in older reports.
   */
  textArguments?: number;
  ungroundedArguments?: number;
  /** With `--writer`: bodies the model wrote, and how many of them read as plan text or failed. */
  writing?: { texts: number; planText: number; failed: number };
  promptTokens: Distribution;
  evaluatedTokens: Distribution;
  firstStepMs: Distribution;
  totalMs: Distribution;
}

export function summarize(records: readonly RequestRecord[]): EvalSummary {
  const inDomain = records.filter((r) => !r.outOfDomain);
  const scores = inDomain.map((r) => r.score).filter((s): s is RequestScore => s !== null);
  const planned = records.filter((r) => r.outcome === "plan");
  const withStats = planned.filter((r) => r.stats !== null);
  const sum = (pick: (s: RequestScore) => number) => scores.reduce((total, s) => total + pick(s), 0);
  const count = (pick: (s: RequestScore) => boolean) => scores.filter(pick).length;
  const keyTotal = sum((s) => s.keyArguments.total);
  return {
    requests: records.length,
    inDomain: inDomain.length,
    outOfDomain: records.length - inDomain.length,
    outOfDomainRejected: records.filter((r) => r.outOfDomain && r.outcome === "no-tools").length,
    planned: planned.length,
    errors: records.filter((r) => r.outcome === "error").length,
    successRate: ratio(
      count((s) => s.success),
      inDomain.length,
    ),
    validityRate: ratio(planned.filter((r) => r.valid === true).length, planned.length),
    toolRecall: ratio(
      sum((s) => s.toolHits),
      sum((s) => s.toolsNeeded),
    ),
    toolPrecision: ratio(
      sum((s) => s.toolHits),
      sum((s) => s.toolsSelected),
    ),
    toolsPerRequest: ratio(
      sum((s) => s.toolsSelected),
      scores.length,
    ),
    toolSetMatchRate: ratio(
      count((s) => s.toolSetMatch),
      inDomain.length,
    ),
    keyArgumentAccuracy: ratio(
      sum((s) => s.keyArguments.matched),
      keyTotal,
    ),
    argumentsExactRate: ratio(
      count((s) => s.argumentsExact),
      inDomain.length,
    ),
    namesExactRate: ratio(
      count((s) => s.namesExact === true),
      count((s) => s.namesExact !== undefined),
    ),
    datesExactRate: ratio(
      count((s) => s.datesExact === true),
      count((s) => s.datesExact !== undefined),
    ),
    byLength: byLengthOf(scores),
    textArguments: planned.reduce((total, r) => total + (r.textArguments ?? 0), 0),
    ungroundedArguments: planned.reduce((total, r) => total + (r.ungrounded?.length ?? 0), 0),
    ...writingOf(planned),
    promptTokens: spread(withStats.map((r) => r.stats!.promptTokens)),
    evaluatedTokens: spread(withStats.map((r) => r.stats!.evaluatedTokens)),
    firstStepMs: spread(planned.flatMap((r) => (r.firstStepMs === null ? [] : [r.firstStepMs]))),
    totalMs: spread(planned.map((r) => r.totalMs)),
  };
}

function byLengthOf(scores: readonly RequestScore[]): EvalSummary["byLength"] {
  const withSteps = scores.filter((s) => s.truthSteps !== undefined);
  const entries = LENGTH_BUCKETS.map((bucket) => {
    const inside = withSteps.filter((s) => inBucket(s.truthSteps!, bucket));
    return [bucket, { requests: inside.length, successes: inside.filter((s) => s.success).length }];
  });
  return Object.fromEntries(entries) as EvalSummary["byLength"];
}

function writingOf(records: readonly RequestRecord[]): Pick<EvalSummary, "writing"> {
  if (!records.some((r) => r.written !== undefined)) return {};
  const texts = records.flatMap((r) => r.written ?? []);
  return {
    writing: {
      texts: texts.length,
      planText: texts.filter((text) => text.planText).length,
      failed: texts.filter((text) => text.failed).length,
    },
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
