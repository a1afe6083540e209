/**
 * Measures the shipped classifier (models/toolrag.onnx, run by onnxruntime-node) on the test split, the
 * hand-written natural dev set and the multi-part dev set (data/planner/natural-dev-multi.jsonl, tools
 * read from its plans): recall, precision, exact-set accuracy, tools selected per request, out-of-domain
 * rejection and latency per request, with every tool the classifier selects and at TinyAgent-micro's floor.
 *
 *   npm run eval:toolrag                    the dev sets and the synthetic test split
 *   npm run eval:toolrag -- FILE.jsonl ...  other files ({"query", "tools"} or {"query", "plan"} lines)
 */
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { checkPlan } from "../../src/agent/plan/check";
import { percentile } from "../../src/agent/eval/percentile";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { measureSelection } from "./metrics";

const DATA = join(import.meta.dirname, "..", "..", "data", "toolrag");
const PLANNER_DATA = join(import.meta.dirname, "..", "..", "data", "planner");

interface Labeled {
  query: string;
  tools: string[];
}

/** Lines with tools, or with plans whose tools are read (an empty plan is out of domain). */
function readJsonl(path: string): Labeled[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { query: string; tools?: string[]; plan?: string })
    .map((line) => ({ query: line.query, tools: line.tools ?? toolsOf(line.plan ?? "") }));
}

function toolsOf(plan: string): string[] {
  if (plan === "") return [];
  return [...new Set(checkPlan(plan, defaultRegistry).plan.steps.map((step) => step.tool))];
}

async function evaluate(rag: ToolRag, path: string, floor?: number): Promise<void> {
  const examples = readJsonl(path);
  const selections = new Map<string, string[]>();
  const times: number[] = [];
  for (const example of examples) {
    const started = performance.now();
    const tools = await rag.select(example.query, floor === undefined ? {} : { minProbability: floor });
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
  console.log(
    `${basename(path)}${floor === undefined ? "" : ` at micro's floor ${floor}`}: ${JSON.stringify(figures)}`,
  );
}

async function main(): Promise<void> {
  const classifier = await ToolClassifier.load();
  const rag = new ToolRag({ classifier, registry: defaultRegistry });
  const files = process.argv.slice(2);
  const paths =
    files.length > 0
      ? files
      : [
          join(DATA, "test.jsonl"),
          join(DATA, "natural-dev.jsonl"),
          join(PLANNER_DATA, "natural-dev-multi.jsonl"),
        ];
  for (const path of paths) {
    await evaluate(rag, path);
    await evaluate(rag, path, MICRO_MODEL.toolFloor);
  }
  console.log(
    "targets: recall ≥ 0.998, fewer than 3 tools per request, ≥ 90 % out-of-domain rejected, p50 < 1 ms",
  );
  await classifier.dispose();
}

void main();
