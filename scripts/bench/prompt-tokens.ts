import llamaTokenizer from "llama-tokenizer-js";
import { spread } from "../../src/agent/eval/percentile";
import { requestContext } from "../../src/agent/eval/eval-data";
import { PAPER_PROMPT_TOKENS } from "../../src/agent/eval/paper";
import { buildPrompt, type PromptOptions } from "../../src/agent/prompt/build-prompt";
import { renderPrompt } from "../../src/agent/prompt/template";
import type { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { below, figure, type Figure } from "./figure";
import { naturalQueries } from "./requests";

/**
 * Prompt sizes in TinyLlama tokens (llama-tokenizer-js carries its 32,000-piece vocabulary), over the
 * hand-written natural requests, as the model sees them (the "raw" template, BOS included):
 * - all tools: the 16 tools and the built-in examples, as without Tool RAG;
 * - tool selection: the selected tools with the built-in examples that use only them;
 * - ours: the selected tools with retrieved examples, as the pipeline ships.
 */
export async function measurePromptTokens(rag: ToolRag): Promise<Figure[]> {
  const context = requestContext("2024-06-03 09:00:00");
  const sizes = { all: [] as number[], selection: [] as number[], ours: [] as number[] };
  const count = (options: PromptOptions) =>
    llamaTokenizer.encode(renderPrompt(buildPrompt(options), "raw")).length;
  for (const query of naturalQueries()) {
    const base = { request: query, ...context };
    sizes.all.push(count({ ...base, tools: defaultRegistry.tools }));
    const tools = await rag.select(query);
    if (tools.length === 0) continue;
    sizes.selection.push(count({ ...base, tools }));
    const examples = rag.examplesFor(
      query,
      tools.map((tool) => tool.name),
    );
    sizes.ours.push(count({ ...base, tools, examples }));
  }
  const all = spread(sizes.all);
  const selection = spread(sizes.selection);
  const ours = spread(sizes.ours);
  const note = `${sizes.all.length} natural requests (${sizes.ours.length} with tools selected)`;
  return [
    figure("prompt.all-tools.median", "Prompt, all 16 tools: median", all.p50, "tokens", {
      paper: `${PAPER_PROMPT_TOKENS.allTools.toLocaleString("en-US")} tokens`,
      note,
    }),
    figure("prompt.all-tools.p95", "Prompt, all 16 tools: p95", all.p95, "tokens"),
    figure(
      "prompt.selection.median",
      "Prompt, tool selection + built-in examples: median",
      selection.p50,
      "tokens",
      {
        paper: `${PAPER_PROMPT_TOKENS.toolRag.toLocaleString("en-US")} tokens (ToolRAG)`,
      },
    ),
    figure(
      "prompt.selection.p95",
      "Prompt, tool selection + built-in examples: p95",
      selection.p95,
      "tokens",
    ),
    figure(
      "prompt.ours.median",
      "Prompt, ours (selection + retrieved examples): median",
      ours.p50,
      "tokens",
      {
        budget: below(ours.p50, 1000, "tokens"),
        paper: `${PAPER_PROMPT_TOKENS.toolRag.toLocaleString("en-US")} tokens (ToolRAG)`,
      },
    ),
    figure("prompt.ours.p95", "Prompt, ours (selection + retrieved examples): p95", ours.p95, "tokens"),
  ];
}
