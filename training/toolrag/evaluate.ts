/**
 * Measures the shipped classifier (models/toolrag.onnx, run by onnxruntime-node) on the test split and
 * the hand-written natural dev set: recall, precision, exact-set accuracy, tools selected per request,
 * out-of-domain rejection and latency per request.
 *
 *   npm run eval:toolrag
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { percentile } from "../../src/agent/eval/percentile";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { measureSelection } from "./metrics";

const DATA = join(import.meta.dirname, "..", "..", "data", "toolrag");

function readJsonl(name: string): { query: string; tools: string[] }[] {
  return readFileSync(join(DATA, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { query: string; tools: string[] });
}

async function evaluate(rag: ToolRag, name: string): Promise<void> {
  const examples = readJsonl(name);
  const selections = new Map<string, string[]>();
  const times: number[] = [];
  for (const example of examples) {
    const started = performance.now();
    const tools = await rag.select(example.query);
    times.push(performance.now() - started);
    selections.set(
      example.query,
      tools.map((tool) => tool.name),
    );
  }
  const metrics = measureSelection(examples, (query) => selections.get(query)!);
  const figures = {
    requests: metrics.requests,
    recall: metrics.recall.toFixed(4),
    precision: metrics.precision.toFixed(4),
    exactSet: metrics.exactSet.toFixed(4),
    toolsPerRequest: metrics.averageSelected.toFixed(2),
    outOfDomainRejected: `${(metrics.outOfDomainRejected * 100).toFixed(1)} % of ${metrics.outOfDomainCount}`,
    p50ms: percentile(times, 0.5)!.toFixed(3),
    p95ms: percentile(times, 0.95)!.toFixed(3),
  };
  console.log(`${name}: ${JSON.stringify(figures)}`);
}

async function main(): Promise<void> {
  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({ classifier, registry: defaultRegistry });
  for (const name of ["test.jsonl", "natural-dev.jsonl"]) await evaluate(rag, name);
  console.log(
    "targets: recall ≥ 0.998, fewer than 3 tools per request, ≥ 90 % out-of-domain rejected, p50 < 1 ms",
  );
  await classifier.dispose();
}

void main();
