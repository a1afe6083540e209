/**
 * Trains the Tool RAG classifier from data/toolrag and writes models/toolrag.onnx with its sidecar
 * models/toolrag.json (labels, featurizer, thresholds, training-data hash, metrics).
 *
 *   npm run train:toolrag            (about a minute on two cores)
 */
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_FEATURIZER } from "../../src/agent/toolrag/featurize";
import { dequantizeEmbedding, quantizeEmbedding, scoreRequest } from "../../src/agent/toolrag/tool-model";
import { selectTools } from "../../src/agent/toolrag/policy";
import { TOOLS } from "../../src/tools/registry";
import { measureSelection, type SelectionMetrics } from "./metrics";
import { exportOnnx } from "./onnx-export";
import { trainToolModel, type LabeledRequest } from "./train-model";

const ROOT = join(import.meta.dirname, "..", "..");
const { values: flags } = parseArgs({
  options: {
    data: { type: "string", default: join(ROOT, "data", "toolrag") },
    out: { type: "string", default: join(ROOT, "models") },
    hidden: { type: "string", default: "256" },
    epochs: { type: "string", default: "8" },
    dropout: { type: "string", default: "0.5" },
    buckets: { type: "string", default: String(1 << 15) },
    seed: { type: "string", default: "7" },
  },
});
const DATA = flags.data;
const OUT = flags.out;
const LABELS = TOOLS.map((tool) => tool.name);
const SETTINGS = {
  hidden: Number(flags.hidden),
  epochs: Number(flags.epochs),
  learningRate: 0.1,
  featureDropout: Number(flags.dropout),
  seed: Number(flags.seed),
};
const FEATURIZER = { ...DEFAULT_FEATURIZER, buckets: Number(flags.buckets) };
/**
 * Upper bounds for the calibrated thresholds and gate. Synthetic validation requests are easier than the
 * way people write: calibrated on them alone, thresholds come out high (up to 0.5) and the hand-written
 * dev set loses recall (0.990 instead of 0.998). The caps were chosen on that dev set, which is what it
 * is for; requests written by others are the real test. The gate's cap was raised from 0.05 to 0.1 on the
 * dev sets of issue 15: no in-domain request of either is turned away at 0.1, and three more out-of-domain
 * ones of the multi-part set are (0.15 turned away two in-domain requests of the natural dev set).
 */
const THRESHOLD_CAP = 0.005;
const GATE_CAP = 0.1;
/** Under these, scores are noise. */
const THRESHOLD_FLOOR = 0.001;
const GATE_FLOOR = 0.02;

function readJsonl(name: string): LabeledRequest[] {
  return readFileSync(join(DATA, name), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as LabeledRequest);
}

/**
 * Per-tool thresholds from the validation split: just under the lowest probability any request needing
 * the tool got, so recall comes first, within the floor and cap. They can be low because the gate, not
 * they, turns away requests that need no tool.
 */
function calibrateThresholds(scores: readonly number[][], validation: readonly LabeledRequest[]) {
  const thresholds: Record<string, number> = {};
  LABELS.forEach((label, j) => {
    const positives = validation.flatMap((example, i) =>
      example.tools.includes(label) ? [scores[i]![j]!] : [],
    );
    const lowest = positives.length === 0 ? THRESHOLD_CAP : Math.min(...positives);
    thresholds[label] = round(Math.min(THRESHOLD_CAP, Math.max(THRESHOLD_FLOOR, lowest * 0.9)));
  });
  return thresholds;
}

/**
 * The gate from the validation split: just under the lowest top score of any request that needs a tool,
 * within the floor and cap.
 */
function calibrateGate(scores: readonly number[][], validation: readonly LabeledRequest[]): number {
  const tops = validation.flatMap((example, i) =>
    example.tools.length > 0 ? [Math.max(...scores[i]!)] : [],
  );
  const lowest = tops.length === 0 ? GATE_CAP : Math.min(...tops);
  return round(Math.min(GATE_CAP, Math.max(GATE_FLOOR, lowest * 0.9)));
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
  const trained = trainToolModel(train, { labels: LABELS, featurizer: FEATURIZER, ...SETTINGS });
  // Calibrate and measure the model as shipped, with its int8 embedding.
  const model = {
    ...trained,
    embedding: dequantizeEmbedding(quantizeEmbedding(trained.embedding, trained.hidden), trained.hidden),
  };
  const validationScores = validation.map((example) => scoreRequest(model, example.query));
  const thresholds = calibrateThresholds(validationScores, validation);
  const gate = calibrateGate(validationScores, validation);
  const select = (query: string) => selectTools(LABELS, scoreRequest(model, query), { thresholds, gate });
  const metrics = {
    validation: summary(measureSelection(validation, select)),
    test: summary(measureSelection(test, select)),
    natural: measureSelection(natural, select),
  };
  // The file quantizes the trained embedding itself; `model` above is what it computes.
  writeFileSync(join(OUT, "toolrag.onnx"), exportOnnx(trained));
  writeFileSync(join(OUT, "toolrag-examples.jsonl"), retrievalPool(train));
  const sidecar = {
    format: 2,
    description:
      "TinyAgent Tool RAG classifier: hashed word and character n-grams, a ReLU hidden layer, one logistic output per tool.",
    labels: LABELS,
    featurizer: FEATURIZER,
    hidden: SETTINGS.hidden,
    thresholds,
    gate,
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
