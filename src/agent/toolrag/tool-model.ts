import { featurize, type FeaturizerSettings } from "./featurize";

/**
 * The classifier's math, in TypeScript: the embedding rows of the request's hashed features are summed
 * and scaled by 1/sqrt(count), a bias and a ReLU make the hidden vector, and one logistic output per tool
 * reads it. The hidden layer is what lets the model tell "remind me to call mom" from "call mom": a linear
 * model can only add up word evidence, so near-misses that share words with real requests got through.
 * The ONNX graph computes the same; tests prove the two agree. Training uses it directly.
 */
export interface ToolModel {
  labels: readonly string[];
  featurizer: FeaturizerSettings;
  /** Width of the hidden layer. */
  hidden: number;
  /** buckets × hidden, row-major. Row 0 (padding) is all zeros. */
  embedding: Float32Array;
  hiddenBias: Float32Array;
  /** hidden × labels, row-major. */
  output: Float32Array;
  outputBias: Float32Array;
}

/**
 * The embedding as shipped: one signed byte per weight and one float scale per row, a quarter of the
 * float size (8 MB instead of 33 MB for 65,536 × 128). A weight's value is `Math.fround(byte · scale)`,
 * exactly what the ONNX graph computes after its Cast and Mul.
 */
export interface QuantizedEmbedding {
  bytes: Int8Array;
  scales: Float32Array;
}

/** Symmetric per-row int8 quantization. */
export function quantizeEmbedding(embedding: Float32Array, width: number): QuantizedEmbedding {
  const rows = embedding.length / width;
  const bytes = new Int8Array(embedding.length);
  const scales = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let largest = 0;
    for (let k = 0; k < width; k++) largest = Math.max(largest, Math.abs(embedding[r * width + k]!));
    const scale = Math.fround(largest / 127);
    scales[r] = scale;
    if (scale === 0) continue;
    for (let k = 0; k < width; k++) bytes[r * width + k] = Math.round(embedding[r * width + k]! / scale);
  }
  return { bytes, scales };
}

/** The float embedding a quantized one stands for. */
export function dequantizeEmbedding(quantized: QuantizedEmbedding, width: number): Float32Array {
  const embedding = new Float32Array(quantized.bytes.length);
  for (let i = 0; i < embedding.length; i++) {
    embedding[i] = quantized.bytes[i]! * quantized.scales[Math.floor(i / width)]!;
  }
  return embedding;
}

export function featureScale(count: number): number {
  return count === 0 ? 0 : 1 / Math.sqrt(count);
}

/** The hidden vector for a set of feature ids: ReLU(scale · Σ embedding rows + bias). */
export function hiddenOf(model: ToolModel, ids: readonly number[]): Float64Array {
  return hiddenInto(model, ids, new Float64Array(model.hidden));
}

/** `hiddenOf` into a buffer the caller reuses (training calls it once per request, hundreds of thousands of times). */
export function hiddenInto(model: ToolModel, ids: readonly number[], into: Float64Array): Float64Array {
  const width = model.hidden;
  into.fill(0);
  for (const id of ids) {
    const row = id * width;
    for (let k = 0; k < width; k++) into[k]! += model.embedding[row + k]!;
  }
  const scale = featureScale(ids.length);
  for (let k = 0; k < width; k++) into[k] = Math.max(0, into[k]! * scale + model.hiddenBias[k]!);
  return into;
}

/** Logits per label for a hidden vector. */
export function logitsOfHidden(model: ToolModel, hidden: Float64Array): Float64Array {
  const labels = model.labels.length;
  const logits = Float64Array.from(model.outputBias);
  for (let k = 0; k < model.hidden; k++) {
    const h = hidden[k]!;
    if (h === 0) continue;
    const row = k * labels;
    for (let j = 0; j < labels; j++) logits[j]! += h * model.output[row + j]!;
  }
  return logits;
}

export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** Probability per label for a request. */
export function scoreRequest(model: ToolModel, text: string): number[] {
  const ids = featurize(text, model.featurizer);
  return [...logitsOfHidden(model, hiddenOf(model, ids))].map(sigmoid);
}
