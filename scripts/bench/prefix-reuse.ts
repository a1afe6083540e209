import { plan } from "../../src/agent/agent";
import { requestContext } from "../../src/agent/eval/eval-data";
import { spread } from "../../src/agent/eval/percentile";
import type { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { below, figure, type Figure } from "./figure";
import { naturalQueries } from "./requests";

/**
 * Prompt tokens the model actually evaluates per request over a stream of natural requests through the
 * whole pipeline (selection, retrieval, prompt, grammar-constrained planning): what the KV cache kept from
 * the previous request is not evaluated again. The first request of the stream is left out (cold cache).
 */
export async function measurePrefixReuse(
  planner: LlamaPlanner,
  rag: ToolRag,
  count: number,
): Promise<Figure[]> {
  const context = requestContext("2024-06-03 09:00:00");
  const evaluated: number[] = [];
  const prompts: number[] = [];
  const queries = naturalQueries();
  // Every k-th request, so the stream mixes apps the way a day of requests does.
  const step = Math.max(1, Math.floor(queries.length / count));
  for (let i = 0; i < queries.length && prompts.length < count; i += step) {
    const outcome = await plan(queries[i]!, {
      planner,
      selector: rag,
      registry: defaultRegistry,
      requestTime: context.now,
      timeZone: context.timeZone,
      maxTokens: 2000,
    });
    if (outcome.kind !== "plan") continue;
    prompts.push(outcome.stats.promptTokens);
    if (prompts.length > 1) evaluated.push(outcome.stats.evaluatedTokens);
  }
  const tokens = spread(evaluated);
  // The prompt opens with the number and list of the selected tools, so requests that select different
  // tools share only the first line or so: the budget needs the varying parts moved to the end.
  const note = `${evaluated.length} requests after the first, prompts of ${spread(prompts).p50} tokens (median)`;
  return [
    figure(
      "prefix-reuse.evaluated.median",
      "Tokens evaluated per request (prefix reuse), median",
      tokens.p50,
      "tokens",
      {
        budget: below(tokens.p50, 300, "tokens"),
        note,
      },
    ),
    figure(
      "prefix-reuse.evaluated.p95",
      "Tokens evaluated per request (prefix reuse), p95",
      tokens.p95,
      "tokens",
    ),
  ];
}
