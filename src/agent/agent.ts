import type { ToolRegistry } from "../tools/registry";
import type { AnyTool } from "../tools/tool";
import type { RunResult } from "./executor/events";
import { executePlan, type ExecuteOptions } from "./executor/executor";
import { checkPlan, type CheckedPlan } from "./plan/check";
import type { PlanItem } from "./plan/parse";
import { normalizeStep, type NormalizeContext } from "./plan/normalize";
import type { Step } from "./plan/plan";
import { streamSteps } from "./plan/stream-steps";
import type { Planner, PlanningStats } from "./planner/planner";
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
      result: RunResult;
    };

/**
 * The whole pipeline: select tools, build the prompt, plan, parse, confirm, execute. Steps start as soon
 * as their lines are written; confirmation happens in the executor, step by step.
 */
export async function ask(
  request: string,
  options: PlanOptions & Omit<ExecuteOptions, "registry" | "signal">,
): Promise<AskOutcome> {
  const tools = await options.selector.select(request, selectOptions(options.planner));
  if (tools.length === 0) return { kind: "no-tools", message: NO_TOOLS_MESSAGE };
  const registry = options.registry.subset(tools.map((tool) => tool.name));
  const context = requestContext(options);
  const writing = startPlanning(request, tools, options, context);
  const steps = normalized(streamSteps(writing.text, options.onItem), registry, context);
  const result = await executePlan(steps, {
    ...options,
    registry,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const stats = await writing.run.done;
  const text = writing.collected();
  return { kind: "ran", tools, text, checked: checkPlan(text, registry, context), stats, result };
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

function startPlanning(
  request: string,
  tools: readonly AnyTool[],
  options: PlanOptions,
  context: NormalizeContext,
) {
  const prompt = plannerPrompt(options.planner.promptStyle ?? "tinyagent", {
    tools,
    request,
    now: context.now,
    timeZone: context.timeZone,
    ...(options.customInstructions ? { customInstructions: options.customInstructions } : {}),
    examples: () => examplesFor(request, tools, options),
  });
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
