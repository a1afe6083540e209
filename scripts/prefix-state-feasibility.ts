/**
 * Would saved prefix states per tool selection meet the prefix-reuse budget (DESIGN §8, under 300 tokens
 * evaluated per request, median) with the trained TinyAgent layout? (docs/results.md, "Prefix reuse".)
 *
 *   npx tsx scripts/prefix-state-feasibility.ts
 *
 * A state can only hold the part of a prompt that depends on the selection alone: the actions, the
 * guidelines and the rules up to "Today's date is" (the date changes per request, then come the tool
 * rules, the retrieved examples and the question). For the bench's natural stream (the same requests and
 * selector as `npm run bench`) it prints what a request would evaluate on a hit, and how many of the
 * stream's selections are among the K selections the same selector makes most often on the synthetic
 * training requests (data/toolrag/train.jsonl; never the natural set), with states also learned from
 * earlier requests of the stream. Tokens are TinyLlama's (llama-tokenizer-js), the "raw" template.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import llamaTokenizer from "llama-tokenizer-js";
import { spread } from "../src/agent/eval/percentile";
import { requestContext } from "../src/agent/eval/eval-data";
import { buildPrompt } from "../src/agent/prompt/build-prompt";
import type { PlanExample } from "../src/agent/prompt/examples";
import { renderPrompt } from "../src/agent/prompt/template";
import { loadRetrievalExamples, ToolClassifier } from "../src/agent/toolrag/classifier";
import { ToolRag } from "../src/agent/toolrag/tool-rag";
import { sharedPrefixLength } from "../src/agent/planner/warm-sequences";
import { defaultRegistry } from "../src/tools/registry";
import type { AnyTool } from "../src/tools/tool";
import { naturalQueries } from "./bench/requests";

const KS = [8, 16, 32, 64];
const context = requestContext("2024-06-03 09:00:00");

interface Row {
  selection: string;
  prompt: number;
  /** Tokens after the selection's own prefix: what a hit evaluates. */
  afterPrefix: number;
  /** The same without the examples, and with the first one only. */
  afterPrefixNoExamples: number;
  afterPrefixOneExample: number;
  prefix: number;
}

function tokens(tools: readonly AnyTool[], request: string, now: Date, examples: readonly PlanExample[]) {
  const prompt = buildPrompt({ tools, request, now, timeZone: context.timeZone, examples });
  return llamaTokenizer.encode(renderPrompt(prompt, "raw"));
}

/** The prompt's prefix shared with the same selection at other times, for other requests. */
function selectionPrefix(tools: readonly AnyTool[], prompt: readonly number[]): number {
  const others = [
    tokens(tools, "something else entirely", new Date("2025-11-27T23:59:00Z"), []),
    tokens(tools, "x", new Date("2024-01-01T00:00:00Z"), []),
  ];
  return Math.min(...others.map((other) => sharedPrefixLength(prompt, other)));
}

async function main(): Promise<void> {
  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({
    classifier,
    registry: defaultRegistry,
    examples: await loadRetrievalExamples(),
  });
  const key = (tools: readonly AnyTool[]) => tools.map((tool) => tool.name).join(",");

  const train = readFileSync(join(import.meta.dirname, "..", "data", "toolrag", "train.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => (JSON.parse(line) as { query: string }).query);
  const frequency = new Map<string, number>();
  for (const query of train) {
    const tools = await rag.select(query);
    if (tools.length > 0) frequency.set(key(tools), (frequency.get(key(tools)) ?? 0) + 1);
  }
  const ranked = [...frequency.entries()].sort((a, b) => b[1] - a[1]);
  const rank = new Map(ranked.map(([selection], i) => [selection, i]));
  const withTools = ranked.reduce((sum, [, n]) => sum + n, 0);
  console.log(
    `training requests: ${train.length}, ${withTools} with tools, ${ranked.length} distinct selections`,
  );
  for (const k of KS) {
    const covered = ranked.slice(0, k).reduce((sum, [, n]) => sum + n, 0);
    console.log(`  the ${k} most frequent cover ${((100 * covered) / withTools).toFixed(1)} %`);
  }

  for (const count of [16, 60]) {
    const queries = naturalQueries();
    const step = Math.max(1, Math.floor(queries.length / count));
    const rows: Row[] = [];
    for (let i = 0; i < queries.length && rows.length < count; i += step) {
      const query = queries[i]!;
      const tools = await rag.select(query);
      if (tools.length === 0) continue;
      const examples = rag.examplesFor(
        query,
        tools.map((tool) => tool.name),
      );
      const prompt = tokens(tools, query, context.now, examples);
      const prefix = selectionPrefix(tools, prompt);
      rows.push({
        selection: key(tools),
        prompt: prompt.length,
        afterPrefix: prompt.length - prefix,
        afterPrefixNoExamples: tokens(tools, query, context.now, []).length - prefix,
        afterPrefixOneExample: tokens(tools, query, context.now, examples.slice(0, 1)).length - prefix,
        prefix,
      });
    }
    const later = rows.slice(1);
    console.log(
      `\nstream of ${rows.length}: prompt ${spread(rows.map((r) => r.prompt)).p50}, ` +
        `after the selection prefix ${spread(later.map((r) => r.afterPrefix)).p50} ` +
        `(${spread(later.map((r) => r.afterPrefixNoExamples)).p50} without the examples, ` +
        `${spread(later.map((r) => r.afterPrefixOneExample)).p50} with one), ` +
        `selection prefix ${spread(later.map((r) => r.prefix)).p50}: medians over the requests after the first`,
    );
    for (const k of KS) {
      const inTopK = rows.filter((r) => (rank.get(r.selection) ?? Infinity) < k).length;
      let learned = 0;
      const evaluated = later.map((r, j) => {
        if ((rank.get(r.selection) ?? Infinity) < k) return r.afterPrefix;
        if (rows.slice(0, j + 1).some((earlier) => earlier.selection === r.selection)) {
          learned++;
          return r.afterPrefix;
        }
        return r.prompt;
      });
      console.log(
        `  K = ${k}: ${inTopK} of ${rows.length} selections saved, ${learned} more learned from use; ` +
          `evaluated per request after the first, median ${spread(evaluated).p50}`,
      );
    }
  }
  await classifier.dispose();
}

void main();
