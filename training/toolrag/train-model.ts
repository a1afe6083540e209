import { mulberry32 } from "../../src/agent/seeded-random";
import { featurize, type FeaturizerSettings } from "../../src/agent/toolrag/featurize";
import { featureScale, hiddenInto, sigmoid, type ToolModel } from "../../src/agent/toolrag/tool-model";

export interface LabeledRequest {
  query: string;
  tools: readonly string[];
}

export interface TrainOptions {
  labels: readonly string[];
  featurizer: FeaturizerSettings;
  hidden: number;
  epochs: number;
  learningRate: number;
  /**
   * Share of a request's features dropped at random each time it is seen. People phrase things in ways
   * the templates never did; dropping words and n-grams keeps the model from leaning on any one of them.
   */
  featureDropout: number;
  seed: number;
}

/** Adagrad state for one parameter array: the running sum of squared gradients per weight. */
class Adagrad {
  private readonly squares: Float32Array;

  constructor(
    readonly values: Float32Array,
    private readonly rate: number,
  ) {
    this.squares = new Float32Array(values.length).fill(1e-8);
  }

  step(index: number, gradient: number): void {
    this.squares[index] = this.squares[index]! + gradient * gradient;
    this.values[index] = this.values[index]! - (this.rate * gradient) / Math.sqrt(this.squares[index]!);
  }
}

/**
 * Trains the hidden-layer classifier with Adagrad, one request at a time. Only the embedding rows of the
 * features a request has are touched, so an epoch over 30,000 requests takes a few seconds on one core.
 * Deterministic for a given seed and data: the same model, byte for byte, from a clean clone.
 */
export function trainToolModel(examples: readonly LabeledRequest[], options: TrainOptions): ToolModel {
  const random = mulberry32(options.seed);
  const model = initialModel(options, random);
  const width = model.hidden;
  const labels = model.labels.length;
  const embedding = new Adagrad(model.embedding, options.learningRate);
  const hiddenBias = new Adagrad(model.hiddenBias, options.learningRate);
  const output = new Adagrad(model.output, options.learningRate);
  const outputBias = new Adagrad(model.outputBias, options.learningRate);
  const rows = examples.map((example) => ({
    ids: featurize(example.query, options.featurizer),
    targets: options.labels.map((label) => (example.tools.includes(label) ? 1 : 0)),
  }));
  const order = rows.map((_, i) => i);
  const hidden = new Float64Array(width);
  const logitGradient = new Float64Array(labels);
  const hiddenGradient = new Float64Array(width);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    for (const index of order) {
      const { ids: all, targets } = rows[index]!;
      const ids = dropFeatures(all, options.featureDropout, random);
      const scale = featureScale(ids.length);
      hiddenInto(model, ids, hidden);
      for (let j = 0; j < labels; j++) {
        let logit = model.outputBias[j]!;
        for (let k = 0; k < width; k++) logit += hidden[k]! * model.output[k * labels + j]!;
        logitGradient[j] = sigmoid(logit) - targets[j]!;
      }
      for (let k = 0; k < width; k++) {
        hiddenGradient[k] = 0;
        if (hidden[k] === 0) continue; // ReLU: no gradient flows through an inactive unit
        for (let j = 0; j < labels; j++) {
          hiddenGradient[k]! += logitGradient[j]! * model.output[k * labels + j]!;
          output.step(k * labels + j, logitGradient[j]! * hidden[k]!);
        }
      }
      for (let j = 0; j < labels; j++) outputBias.step(j, logitGradient[j]!);
      for (let k = 0; k < width; k++) {
        const g = hiddenGradient[k]!;
        if (g === 0) continue;
        hiddenBias.step(k, g);
        for (const id of ids) embedding.step(id * width + k, g * scale);
      }
    }
  }
  return model;
}

/** Small random weights (row 0, the padding row, stays zero), zero biases. */
function initialModel(options: TrainOptions, random: () => number): ToolModel {
  const width = options.hidden;
  const labels = options.labels.length;
  const embedding = new Float32Array(options.featurizer.buckets * width);
  for (let i = width; i < embedding.length; i++) embedding[i] = (random() * 2 - 1) * 0.1;
  const output = new Float32Array(width * labels);
  const limit = Math.sqrt(6 / (width + labels));
  for (let i = 0; i < output.length; i++) output[i] = (random() * 2 - 1) * limit;
  return {
    labels: options.labels,
    featurizer: options.featurizer,
    hidden: width,
    embedding,
    hiddenBias: new Float32Array(width),
    output,
    outputBias: new Float32Array(labels),
  };
}

/** A random subset of the features, never empty when there were any. */
function dropFeatures(ids: readonly number[], share: number, random: () => number): readonly number[] {
  if (share <= 0) return ids;
  const kept = ids.filter(() => random() >= share);
  return kept.length > 0 ? kept : ids;
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
