/**
 * Trains the Tool RAG classifier from data/toolrag and writes models/toolrag.onnx with its sidecar
 * models/toolrag.json (labels, featurizer, thresholds, training-data hash, metrics).
 *
 *   npm run train:toolrag            (about half a minute on two cores)
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_FEATURIZER } from "../../src/agent/toolrag/featurize";
import { scoreRequest, type LinearToolModel } from "../../src/agent/toolrag/linear-model";
import { selectTools } from "../../src/agent/toolrag/policy";
import { TOOLS } from "../../src/tools/registry";
import { measureSelection, type SelectionMetrics } from "./metrics";
import { exportOnnx } from "./onnx-export";
import { trainLinearModel, type LabeledRequest } from "./train-model";

const ROOT = join(import.meta.dirname, "..", "..");
const { values: flags } = parseArgs({
  options: {
    data: { type: "string", default: join(ROOT, "data", "toolrag") },
    out: { type: "string", default: join(ROOT, "models") },
  },
});
const DATA = flags.data;
const OUT = flags.out;
const LABELS = TOOLS.map((tool) => tool.name);
const SETTINGS = { epochs: 12, learningRate: 0.35, positiveWeight: 1, seed: 7 };

function readJsonl(name: string): LabeledRequest[] {
  return readFileSync(join(DATA, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabeledRequest);
}

/**
 * Per-tool thresholds from the validation split: just under the lowest probability any request needing
 * the tool got, so recall comes first; never above 0.5 and never so low that noise gets through.
 */
function calibrate(model: LinearToolModel, validation: readonly LabeledRequest[]): Record<string, number> {
  const scores = validation.map((example) => scoreRequest(model, example.query));
  const thresholds: Record<string, number> = {};
  LABELS.forEach((label, j) => {
    const positives = validation.flatMap((example, i) =>
      example.tools.includes(label) ? [scores[i]![j]!] : [],
    );
    const lowest = positives.length === 0 ? 0.5 : Math.min(...positives);
    thresholds[label] = round(Math.min(0.5, Math.max(0.02, lowest * 0.9)));
  });
  return thresholds;
}

function summary(metrics: SelectionMetrics) {
  const { misses, ...figures } = metrics;
  return {
    ...Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, round(v)])),
    misses: misses.length,
  };
}

/**
 * The in-context examples shipped with the model: every 15th in-domain training request with its plan
 * (about 1,800), enough variety for retrieval while keeping the file small.
 */
function retrievalPool(train: readonly (LabeledRequest & { plan?: string })[]): string {
  const pool = train.filter((example, i) => example.tools.length > 0 && example.plan && i % 15 === 0);
  return (
    pool.map((example) => JSON.stringify({ question: example.query, plan: example.plan })).join("\n") + "\n"
  );
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function main(): void {
  const started = performance.now();
  const trainText = readFileSync(join(DATA, "train.jsonl"));
  const train = readJsonl("train.jsonl");
  const validation = readJsonl("validation.jsonl");
  const test = readJsonl("test.jsonl");
  const natural = readJsonl("natural-dev.jsonl");
  const model = trainLinearModel(train, { labels: LABELS, featurizer: DEFAULT_FEATURIZER, ...SETTINGS });
  const thresholds = calibrate(model, validation);
  const select = (query: string) => selectTools(LABELS, scoreRequest(model, query), { thresholds });
  const metrics = {
    validation: summary(measureSelection(validation, select)),
    test: summary(measureSelection(test, select)),
    natural: measureSelection(natural, select),
  };
  writeFileSync(join(OUT, "toolrag.onnx"), exportOnnx(model));
  writeFileSync(join(OUT, "toolrag-examples.jsonl"), retrievalPool(train));
  const sidecar = {
    format: 1,
    description:
      "TinyAgent Tool RAG classifier: hashed word and character n-grams, one logistic output per tool.",
    labels: LABELS,
    featurizer: DEFAULT_FEATURIZER,
    thresholds,
    training: {
      data: "data/toolrag/train.jsonl",
      sha256: createHash("sha256").update(trainText).digest("hex"),
      examples: train.length,
      ...SETTINGS,
    },
    metrics: { validation: metrics.validation, test: metrics.test, natural: summary(metrics.natural) },
  };
  writeFileSync(join(OUT, "toolrag.json"), `${JSON.stringify(sidecar, null, 2)}\n`);
  console.log(JSON.stringify(sidecar.metrics, null, 2));
  for (const miss of metrics.natural.misses.slice(0, 30)) {
    console.log(
      `missed ${miss.missing.join(",")} in "${miss.query}" (selected ${miss.selected.join(",") || "nothing"})`,
    );
  }
  console.log(`trained in ${Math.round((performance.now() - started) / 1000)} s`);
}

main();
