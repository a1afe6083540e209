import { featurize, type FeaturizerSettings } from "../../src/agent/toolrag/featurize";
import { featureScale, sigmoid, type LinearToolModel } from "../../src/agent/toolrag/linear-model";

export interface LabeledRequest {
  query: string;
  tools: readonly string[];
}

export interface TrainOptions {
  labels: readonly string[];
  featurizer: FeaturizerSettings;
  epochs: number;
  learningRate: number;
  /** Weight of a positive label's error: above 1 trades precision for recall, which selection needs. */
  positiveWeight: number;
  seed: number;
}

/**
 * Multi-label logistic regression over hashed features, trained with Adagrad on sparse rows: only the
 * weights of the features an example has are touched, so an epoch over 30,000 requests takes well under a
 * second on one core. Deterministic for a given seed and data.
 */
export function trainLinearModel(
  examples: readonly LabeledRequest[],
  options: TrainOptions,
): LinearToolModel {
  const width = options.labels.length;
  const buckets = options.featurizer.buckets;
  const weights = new Float32Array(buckets * width);
  const bias = new Float32Array(width);
  const weightSquares = new Float32Array(buckets * width).fill(1e-8);
  const biasSquares = new Float32Array(width).fill(1e-8);
  const rows = examples.map((example) => ({
    ids: featurize(example.query, options.featurizer),
    targets: options.labels.map((label) => (example.tools.includes(label) ? 1 : 0)),
  }));
  const order = rows.map((_, i) => i);
  const random = mulberry32(options.seed);
  const gradient = new Float64Array(width);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const index of order) {
      const { ids, targets } = rows[index]!;
      const scale = featureScale(ids.length);
      for (let j = 0; j < width; j++) {
        let logit = bias[j]!;
        let sum = 0;
        for (const id of ids) sum += weights[id * width + j]!;
        logit += sum * scale;
        const target = targets[j]!;
        gradient[j] = (sigmoid(logit) - target) * (target === 1 ? options.positiveWeight : 1);
      }
      for (let j = 0; j < width; j++) {
        const g = gradient[j]!;
        if (g === 0) continue;
        biasSquares[j] = biasSquares[j]! + g * g;
        bias[j] = bias[j]! - (options.learningRate * g) / Math.sqrt(biasSquares[j]!);
        const gw = g * scale;
        for (const id of ids) {
          const k = id * width + j;
          weightSquares[k] = weightSquares[k]! + gw * gw;
          weights[k] = weights[k]! - (options.learningRate * gw) / Math.sqrt(weightSquares[k]!);
        }
      }
    }
  }
  return { labels: options.labels, featurizer: options.featurizer, weights, bias };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** A small, fast, seeded PRNG: training must be reproducible from a clean clone. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
