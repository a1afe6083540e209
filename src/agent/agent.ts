import type { ToolRegistry } from "../tools/registry";
import type { AnyTool } from "../tools/tool";
import type { FailedOutcome, RunResult } from "./executor/events";
import { executePlan, type ExecuteOptions } from "./executor/executor";
import { checkPlan, type CheckedPlan } from "./plan/check";
import type { PlanItem } from "./plan/parse";
import { normalizeStep, type NormalizeContext } from "./plan/normalize";
import type { Step } from "./plan/plan";
import { streamSteps } from "./plan/stream-steps";
import { fixableFailure, replanPrompt, retryReason } from "./join/replan";
import { repairPlan } from "./join/repair";
import type { Planner, PlanningRun, PlanningStats } from "./planner/planner";
import type { PlannerPrompt } from "./prompt/build-prompt";
import type { PlanExample } from "./prompt/examples";
import { plannerPrompt } from "./prompt/planner-prompt";

/** How a planner wants its tools chosen. */
export interface SelectOptions {
  /** The lowest probability at which a tool is offered (see Planner.toolFloor). */
  minProbability?: number;
}

/** Picks the tools a request needs (Tool RAG). Until the classifier lands, every enabled tool is offered. */
export interface ToolSelector {
  select(request: string, options?: SelectOptions): Promise<readonly AnyTool[]>;
  /** In-context examples for a request and its selected tools (retrieved ones, with Tool RAG). */
  examplesFor?(request: string, tools: readonly string[]): PlanExample[];
  /** Releases what it loaded (the classifier's engine session), when its owner is done with it. */
  dispose?(): Promise<void>;
}

/** The selection a planner asks for. */
export function selectOptions(planner: Planner): SelectOptions {
  return planner.toolFloor === undefined ? {} : { minProbability: planner.toolFloor };
}

/** Offers every tool of a registry: the fallback selector. */
export function allToolsSelector(registry: ToolRegistry): ToolSelector {
  return { select: async () => registry.tools };
}

export interface PlanOptions {
  planner: Planner;
  selector: ToolSelector;
  registry: ToolRegistry;
  /** When the request was made (default: now); the prompt states the date from it. */
  requestTime?: Date;
  timeZone?: string;
  customInstructions?: string;
  examples?: readonly PlanExample[];
  maxTokens?: number;
  signal?: AbortSignal;
  /** Each chunk of plan text as the model writes it. */
  onText?: (chunk: string) => void;
  /** Each step, join or problem as soon as its line is complete. */
  onItem?: (item: PlanItem) => void;
}

/** How `ask` tries again after a fixable failure (join/replan.ts). */
export interface ReplanOptions {
  /** Plan once more after a fixable failure (default true). At most once: the second round is final. */
  replan?: boolean;
  /**
   * Told just before the second plan starts, so the person sees "Trying again: …" and can stop it (the
   * run's signal). `byModel`: the planner writes it (it streams); else rules made it whole.
   */
  onReplan?: (retry: { reason: string; byModel: boolean }) => void;
}

/** The first round of a request that was planned again: its plan and what became of it. */
export interface EarlierRound {
  /** Why it was planned again, as "Trying again: …" said it. */
  reason: string;
  text: string;
  checked: CheckedPlan;
  result: RunResult;
}

export const NO_TOOLS_MESSAGE = "I can't do that with the tools I have.";

export type PlanOutcome =
  | { kind: "no-tools"; message: string }
  | { kind: "plan"; tools: readonly AnyTool[]; text: string; checked: CheckedPlan; stats: PlanningStats };

export type AskOutcome =
  | { kind: "no-tools"; message: string }
  | {
      kind: "ran";
      tools: readonly AnyTool[];
      text: string;
      checked: CheckedPlan;
      stats: PlanningStats;
      /** The final round: after a replan, the second plan and its run. */
      result: RunResult;
      /** Present when the request was planned again after a fixable failure. */
      earlier?: EarlierRound;
    };

/**
 * The whole pipeline: select tools, build the prompt, plan, parse, confirm, execute. Steps start as soon
 * as their lines are written; confirmation happens in the executor, step by step.
 */
export async function ask(
  request: string,
  options: PlanOptions & ReplanOptions & Omit<ExecuteOptions, "registry" | "signal">,
): Promise<AskOutcome> {
  const tools = await options.selector.select(request, selectOptions(options.planner));
  if (tools.length === 0) return { kind: "no-tools", message: NO_TOOLS_MESSAGE };
  const registry = options.registry.subset(tools.map((tool) => tool.name));
  const context = requestContext(options);
  const writing = startPlanning(request, tools, options, context);
  const first = {
    kind: "ran" as const,
    tools,
    ...(await runRound(writing, { ...options, registry, context })),
  };
  const failure = options.replan === false ? undefined : fixableFailure(first.result);
  if (!failure || options.signal?.aborted) return first;
  const second = await planAgain(request, first, failure, { ...options, registry, context });
  return second ?? first;
}

/**
 * The second and last round after a fixable failure: a planner that can read the replan prompt writes a
 * new plan from the request and the first round's observations; TinyAgent-micro, which was trained on
 * requests only, gets the rule-based repair (join/repair.ts), or no second round when no rule fits. Steps
 * that already ran are reused, never run again; new steps with a side effect are confirmed as usual.
 */
async function planAgain(
  request: string,
  first: Extract<AskOutcome, { kind: "ran" }>,
  failure: FailedOutcome,
  options: PlanOptions &
    ReplanOptions &
    Omit<ExecuteOptions, "registry" | "signal"> & { registry: ToolRegistry; context: NormalizeContext },
): Promise<AskOutcome | undefined> {
  const ran = first.result.outcomes.map((outcome) => outcome.step);
  const reason = retryReason(failure, ran);
  const byModel = (options.planner.promptStyle ?? "tinyagent") !== "micro";
  const repair = byModel ? undefined : repairPlan(ran, failure);
  if (!byModel && !repair) return undefined;
  const said = repair ? `${reason} Now ${repair.change}.` : reason;
  // Said before the new plan starts, so the person sees it and can stop it before anything more runs.
  options.onReplan?.({ reason: said, byModel });
  if (options.signal?.aborted) return undefined;
  const writing = repair
    ? writtenPlan(repair.text, options.onText)
    : startPlanning(request, first.tools, options, options.context, (base) =>
        replanPrompt(base, request, first.result.outcomes, first.checked.problems),
      );
  const alreadyRan = first.result.outcomes.filter((outcome) => outcome.status === "done");
  return {
    kind: "ran",
    tools: first.tools,
    ...(await runRound(writing, { ...options, alreadyRan })),
    earlier: { reason: said, text: first.text, checked: first.checked, result: first.result },
  };
}

/** One round of `ask`: the plan's steps run as they are written; the whole text is checked once written. */
async function runRound(
  writing: Planning,
  options: Pick<PlanOptions, "signal" | "onItem"> &
    Omit<ExecuteOptions, "registry" | "signal"> & { registry: ToolRegistry; context: NormalizeContext },
): Promise<{ text: string; checked: CheckedPlan; stats: PlanningStats; result: RunResult }> {
  const steps = normalized(streamSteps(writing.text, options.onItem), options.registry, options.context);
  const result = await executePlan(steps, {
    ...options,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stats = await writing.run.done;
  const text = writing.collected();
  return { text, checked: checkPlan(text, options.registry, options.context), stats, result };
}

/** Select tools, build the prompt and plan, without executing anything. */
export async function plan(request: string, options: PlanOptions): Promise<PlanOutcome> {
  const tools = await options.selector.select(request, selectOptions(options.planner));
  if (tools.length === 0) return { kind: "no-tools", message: NO_TOOLS_MESSAGE };
  const context = requestContext(options);
  const writing = startPlanning(request, tools, options, context);
  for await (const chunk of writing.text) void chunk;
  const stats = await writing.run.done;
  const text = writing.collected();
  const checked = checkPlan(text, options.registry.subset(tools.map((tool) => tool.name)), context);
  return { kind: "plan", tools, text, checked, stats };
}

/**
 * When and where the request is made, taken once: the prompt's "today" and the resolution of "tomorrow"
 * in the plan must agree, even when a request straddles a minute or midnight.
 */
function requestContext(options: PlanOptions): NormalizeContext {
  return {
    now: options.requestTime ?? new Date(),
    timeZone: options.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
}

/** Steps with dates in words resolved before they run, so the confirmation shows the real date. */
async function* normalized(
  steps: AsyncIterable<Step>,
  registry: ToolRegistry,
  context: NormalizeContext,
): AsyncGenerator<Step> {
  for await (const step of steps) yield normalizeStep(step, registry, context).step;
}

/** Given examples win; else the selector's retrieved ones; else (undefined) the prompt's built-in set. */
function examplesFor(
  request: string,
  tools: readonly AnyTool[],
  options: PlanOptions,
): readonly PlanExample[] | undefined {
  return (
    options.examples ??
    options.selector.examplesFor?.(
      request,
      tools.map((tool) => tool.name),
    )
  );
}

/** A plan being written: its text as it streams, the planner's run, and the text so far. */
interface Planning {
  run: PlanningRun;
  text: AsyncIterable<string>;
  collected: () => string;
}

/** A plan made whole by rules, read like a planner's: one chunk, nothing to wait for. */
function writtenPlan(text: string, onText: ((chunk: string) => void) | undefined): Planning {
  const stats: PlanningStats = {
    promptTokens: 0,
    evaluatedTokens: 0,
    generatedTokens: 0,
    firstChunkMs: 0,
    totalMs: 0,
    stopReason: "end-of-plan",
  };
  async function* chunks(): AsyncGenerator<string> {
    onText?.(text);
    yield text;
  }
  const run = { text: (async function* () {})(), done: Promise.resolve(stats) };
  return { run, text: chunks(), collected: () => text };
}

function startPlanning(
  request: string,
  tools: readonly AnyTool[],
  options: PlanOptions,
  context: NormalizeContext,
  adapt: (prompt: PlannerPrompt) => PlannerPrompt = (prompt) => prompt,
): Planning {
  const base = plannerPrompt(options.planner.promptStyle ?? "tinyagent", {
    tools,
    request,
    now: context.now,
    timeZone: context.timeZone,
    ...(options.customInstructions ? { customInstructions: options.customInstructions } : {}),
    examples: () => examplesFor(request, tools, options),
  });
  const prompt = adapt(base);
  const run = options.planner.plan({
    prompt,
    tools,
    request,
    context,
    ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  let text = "";
  async function* observed(): AsyncGenerator<string> {
    for await (const chunk of run.text) {
      text += chunk;
      options.onText?.(chunk);
      yield chunk;
    }
  }
  return { run, text: observed(), collected: () => text };
}
