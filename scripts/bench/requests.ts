import { readFileSync } from "node:fs";
import { join } from "node:path";
import { plan, type PlanOutcome } from "../../src/agent/agent";
import { readEvalData, requestContext, type EvalRequest } from "../../src/agent/eval/eval-data";
import type { Planner } from "../../src/agent/planner/planner";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";

const DATA = join(import.meta.dirname, "..", "..", "data", "toolrag");

/** Synthetic requests with ground-truth plans (the Tool RAG test split), in domain only. */
export function plannedRequests(limit: number): EvalRequest[] {
  const { requests } = readEvalData(readFileSync(join(DATA, "test.jsonl"), "utf8"));
  return requests.filter((request) => request.truth !== undefined).slice(0, limit);
}

/** Requests written by hand the way people type (natural-dev), in domain only: the realistic set. */
export function naturalQueries(): string[] {
  return readFileSync(join(DATA, "natural-dev.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { query: string; tools: string[] })
    .filter((line) => line.tools.length > 0)
    .map((line) => line.query);
}

/**
 * Natural requests planned one after another through the whole pipeline (selection, prompt, planning),
 * every k-th request so the stream mixes apps the way a day of requests does, until `count` of them got a
 * plan. Yields each plan with the milliseconds `plan()` took.
 */
export async function* naturalPlans(
  planner: Planner,
  rag: ToolRag,
  count: number,
  maxTokens?: number,
): AsyncGenerator<{ outcome: Extract<PlanOutcome, { kind: "plan" }>; ms: number }> {
  const context = requestContext("2024-06-03 09:00:00");
  const queries = naturalQueries();
  const step = Math.max(1, Math.floor(queries.length / count));
  let planned = 0;
  for (let i = 0; i < queries.length && planned < count; i += step) {
    const started = performance.now();
    const outcome = await plan(queries[i]!, {
      planner,
      selector: rag,
      registry: defaultRegistry,
      requestTime: context.now,
      timeZone: context.timeZone,
      ...(maxTokens ? { maxTokens } : {}),
    });
    const ms = performance.now() - started;
    if (outcome.kind !== "plan") continue;
    planned++;
    yield { outcome, ms };
  }
}
