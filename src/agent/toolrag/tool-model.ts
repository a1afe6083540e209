import { featurize, type FeaturizerSettings } from "./featurize";

/**
 * The classifier's math, in TypeScript: one weight row per feature bucket, summed over the request's
 * features and scaled by 1/sqrt(count), plus a bias, through a sigmoid per tool. The ONNX graph computes
 * the same; tests prove the two agree. Training uses it directly.
 */
export interface LinearToolModel {
  labels: readonly string[];
  featurizer: FeaturizerSettings;
  /** buckets × labels, row-major. Row 0 (padding) is all zeros. */
  weights: Float32Array;
  bias: Float32Array;
}

export function featureScale(count: number): number {
  return count === 0 ? 0 : 1 / Math.sqrt(count);
}

/** Logits per label for a set of feature ids. */
export function logitsOf(model: LinearToolModel, ids: readonly number[]): Float64Array {
  const width = model.labels.length;
  const logits = new Float64Array(width);
  for (const id of ids) {
    const row = id * width;
    for (let j = 0; j < width; j++) logits[j]! += model.weights[row + j]!;
  }
  const scale = featureScale(ids.length);
  for (let j = 0; j < width; j++) logits[j] = logits[j]! * scale + model.bias[j]!;
  return logits;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probability per label for a request. */
export function scoreRequest(model: LinearToolModel, text: string): number[] {
  return [...logitsOf(model, featurize(text, model.featurizer))].map(sigmoid);
}
