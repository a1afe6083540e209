import { createInterface } from "node:readline";
import { ToolClassifier } from "../agent/toolrag/classifier";
import { ToolRag } from "../agent/toolrag/tool-rag";
import { NO_TOOLS_MESSAGE } from "../agent/agent";
import { defaultRegistry } from "../tools/registry";
import { UsageError } from "./usage-error";

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
    if (options.jsonl) return await toolLines(rag);
    const record = await recordFor(rag, request!);
    if (options.json) process.stdout.write(`${JSON.stringify(record, null, 2)}\n`);
    else process.stdout.write(`${record.tools.length === 0 ? NO_TOOLS_MESSAGE : record.tools.join("\n")}\n`);
    return 0;
  } finally {
    await classifier.dispose();
  }
}

async function toolLines(rag: ToolRag): Promise<number> {
  let bad = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    const query = queryOf(line);
    if (query === undefined) {
      bad++;
      process.stdout.write(
        `${JSON.stringify({ query: null, error: 'each line must be a JSON object with a "query" string' })}\n`,
      );
      continue;
    }
    process.stdout.write(`${JSON.stringify(await recordFor(rag, query))}\n`);
  }
  return bad === 0 ? 0 : 1;
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

function queryOf(line: string): string | undefined {
  try {
    const query = (JSON.parse(line) as { query?: unknown } | null)?.query;
    return typeof query === "string" ? query : undefined;
  } catch {
    return undefined;
  }
}
