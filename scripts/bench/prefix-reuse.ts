import { spread } from "../../src/agent/eval/percentile";
import type { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { below, figure, type Figure } from "./figure";
import { naturalPlans } from "./requests";

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
  const evaluated: number[] = [];
  const prompts: number[] = [];
  for await (const { outcome } of naturalPlans(planner, rag, count, 2000)) {
    prompts.push(outcome.stats.promptTokens);
    if (prompts.length > 1) evaluated.push(outcome.stats.evaluatedTokens);
  }
  const tokens = spread(evaluated);
  // The trained layout opens with the number and list of the selected tools, so a request shares more than
  // a line only with an earlier one that selected the same first tools; warm sequences keep a few such
  // prompts, but in this stream nearly every selection is new (docs/results.md, "Prefix reuse").
  const note =
    `${evaluated.length} requests after the first, prompts of ${spread(prompts).p50} tokens (median), ` +
    `${planner.warmSequences} warm sequence${planner.warmSequences === 1 ? "" : "s"}`;
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
