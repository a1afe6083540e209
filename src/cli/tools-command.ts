import { ToolClassifier } from "../agent/toolrag/classifier";
import { ToolRag } from "../agent/toolrag/tool-rag";
import { NO_TOOLS_MESSAGE } from "../agent/agent";
import { defaultRegistry } from "../tools/registry";
import { answerRequestLines } from "./request-lines";
import { UsageError } from "./usage-error";
import { stdout } from "./terminal-output";

/**
 * `tinyagent tools "<request>" [--json]` and `tinyagent tools --jsonl`: which tools the classifier would
 * offer the planner, with every tool's probability and the time it took.
 */
export async function toolsCommand(
  request: string | undefined,
  options: { json: boolean; jsonl: boolean },
): Promise<number> {
  if (options.jsonl && request !== undefined)
    throw new UsageError("--jsonl reads requests from standard input; give no request");
  if (!options.jsonl && (request === undefined || request.trim() === ""))
    throw new UsageError('give a request, e.g. tinyagent tools "text Sid I am late"');
  const classifier = await ToolClassifier.load();
  try {
    const rag = new ToolRag({ classifier, registry: defaultRegistry });
    if (options.jsonl)
      return await answerRequestLines(async (query) => ({ record: await recordFor(rag, query), ok: true }));
    const record = await recordFor(rag, request!);
    if (options.json) stdout.json(record, 2);
    else stdout.write(`${probabilityListing(record.tools, record.scores)}\n`);
    return 0;
  } finally {
    await classifier.dispose();
  }
}

async function recordFor(rag: ToolRag, query: string) {
  const started = performance.now();
  const selection = await rag.selection(query);
  const ms = performance.now() - started;
  const scores = Object.fromEntries(
    Object.entries(selection.scores).map(([tool, p]) => [tool, Math.round(p * 10_000) / 10_000]),
  );
  return { query, tools: selection.tools.map((tool) => tool.name), scores, ms: Math.round(ms * 1000) / 1000 };
}

/**
 * The tools offered to the planner, then the others, each with its probability, most likely first; a
 * request no tool fits says so first.
 */
function probabilityListing(offered: readonly string[], scores: Record<string, number>): string {
  const names = Object.keys(scores);
  const width = Math.max(...names.map((name) => name.length));
  const rows = (tools: string[]) =>
    tools
      .sort((a, b) => scores[b]! - scores[a]!)
      .map((tool) => `  ${tool.padEnd(width)}  ${scores[tool]!.toFixed(3)}`);
  const others = names.filter((name) => !offered.includes(name));
  return [
    ...(offered.length === 0 ? [NO_TOOLS_MESSAGE] : ["Offered to the planner:", ...rows([...offered])]),
    ...(others.length === 0 ? [] : ["Not offered:", ...rows(others)]),
  ].join("\n");
}
