import type { ToolRegistry } from "../../tools/registry";
import type { AnyTool } from "../../tools/tool";
import { plan, type PlanOutcome, type ToolSelector } from "../agent";
import { PlanStreamParser } from "../plan/parse";
import type { Planner } from "../planner/planner";
import type { EvalRequest } from "./eval-data";
import { ungroundedArguments } from "./grounding";
import { writtenTexts } from "./written-text";
import type { TextWriter } from "../../tools/macos/mac-context";
import { scoreRequest, type RequestRecord } from "./metrics";

export interface RunEvalOptions {
  planner: Planner;
  selector: ToolSelector;
  registry: ToolRegistry;
  maxTokens?: number;
  signal?: AbortSignal;
  /** Also has this writer write each draft's body from the plan's words (`--writer`, written-text.ts). */
  writer?: TextWriter;
  /** Hears each request as it is finished (progress output). */
  onRecord?: (record: RequestRecord, done: number, total: number) => void;
}

/**
 * Runs every request through the real pipeline (tool selection, prompt, planner, parse and validation) and
 * scores it against its ground truth. A request whose planning fails is recorded as an error; the run goes on.
 */
export async function runEval(
  requests: readonly EvalRequest[],
  options: RunEvalOptions,
): Promise<RequestRecord[]> {
  return recordEach(requests, options, (request) => evaluateRequest(request, options));
}

/** Runs the requests one by one until the signal aborts, telling `onRecord` of each record as it is made. */
export async function recordEach<R>(
  requests: readonly EvalRequest[],
  options: {
    signal?: AbortSignal;
    onRecord?: (record: R, done: number, total: number) => void;
  },
  one: (request: EvalRequest) => Promise<R>,
): Promise<R[]> {
  const records: R[] = [];
  for (const request of requests) {
    if (options.signal?.aborted) break;
    const record = await one(request);
    records.push(record);
    options.onRecord?.(record, records.length, requests.length);
  }
  return records;
}

async function evaluateRequest(request: EvalRequest, options: RunEvalOptions): Promise<RequestRecord> {
  const selector = timedSelector(options.selector);
  const parser = new PlanStreamParser();
  const startedAt = performance.now();
  let firstStepMs: number | null = null;
  let outcome: PlanOutcome | undefined;
  let error: string | null = null;
  try {
    outcome = await plan(request.query, {
      planner: options.planner,
      selector,
      registry: options.registry,
      requestTime: request.context.now,
      timeZone: request.context.timeZone,
      ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      onText: (chunk) => {
        if (firstStepMs === null && parser.push(chunk).some((item) => item.kind === "step"))
          firstStepMs = performance.now() - startedAt;
      },
    });
  } catch (failure) {
    error = failure instanceof Error ? failure.message : String(failure);
  }
  const totalMs = performance.now() - startedAt;
  const generated = outcome?.kind === "plan" ? outcome.checked : undefined;
  // The last step may end without a newline: then it is complete only when the plan is.
  if (firstStepMs === null && generated && generated.plan.steps.length > 0) firstStepMs = totalMs;
  const selected = (selector.last ?? []).map((tool) => tool.name);
  const grounding = generated
    ? ungroundedArguments(generated.plan, request.query, options.registry)
    : undefined;
  return {
    line: request.line,
    query: request.query,
    outcome: error !== null ? "error" : outcome?.kind === "plan" ? "plan" : "no-tools",
    outOfDomain: request.truth === undefined,
    selected,
    score: request.truth
      ? scoreRequest({
          truth: request.truth,
          truthTools: request.tools,
          selected,
          generated,
          registry: options.registry,
        })
      : null,
    plan: outcome?.kind === "plan" ? outcome.text : null,
    valid: generated ? generated.valid : null,
    problems: generated ? generated.problems.map((problem) => problem.message) : [],
    ...(grounding ? { textArguments: grounding.checked, ungrounded: grounding.ungrounded } : {}),
    ...(options.writer && generated
      ? {
          written: await writtenTexts(
            generated.plan,
            options.registry,
            options.writer,
            options.signal ?? new AbortController().signal,
          ),
        }
      : {}),
    error,
    stats: outcome?.kind === "plan" ? outcome.stats : null,
    firstStepMs,
    totalMs,
    selectMs: selector.ms,
  };
}

/** The selector, remembering what it selected last and how long that took. */
function timedSelector(inner: ToolSelector): ToolSelector & { last?: readonly AnyTool[]; ms: number } {
  const timed: ToolSelector & { last?: readonly AnyTool[]; ms: number } = {
    ms: 0,
    async select(request, options) {
      const started = performance.now();
      const tools = await inner.select(request, options);
      timed.ms = performance.now() - started;
      timed.last = tools;
      return tools;
    },
  };
  if (inner.examplesFor) timed.examplesFor = (request, tools) => inner.examplesFor!(request, tools);
  return timed;
}
