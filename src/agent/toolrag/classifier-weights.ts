import { featureScale } from "./tool-model";

/**
 * The Tool RAG classifier computed in TypeScript from the weights of the shipped ONNX file, for machines
 * onnxruntime-node has no library for (Intel Macs: onnxruntime-node 1.30 ships none, and its makers no
 * longer build one). The graph is small and fixed (training/toolrag/onnx-export.ts): gather the int8
 * embedding rows of the feature ids, scale them, sum, scale by 1/√n, add a bias, ReLU, one matrix
 * product, a bias, a sigmoid. Reading the weights checks that the file holds exactly that graph, and the
 * arithmetic is rounded to 32-bit floats step by step as onnxruntime does, so both give the same
 * selection (test/toolrag/classifier.test.ts compares them).
 */
export interface ClassifierWeights {
  buckets: number;
  hidden: number;
  labels: number;
  /** buckets × hidden int8 weights, row-major; a weight is `byte · scales[row]`. */
  embeddingBytes: Int8Array;
  scales: Float32Array;
  hiddenBias: Float32Array;
  /** hidden × labels, row-major. */
  output: Float32Array;
  outputBias: Float32Array;
}

/** The operators of the exported graph, in order; any other graph is refused. */
const GRAPH = [
  "Gather",
  "Cast",
  "Gather",
  "Mul",
  "ReduceSum",
  "Mul",
  "Add",
  "Relu",
  "MatMul",
  "Add",
  "Sigmoid",
];

const INT8 = 3;
const FLOAT = 1;

/**
 * Reads the classifier's weights out of an ONNX model file (`toolrag.onnx`), checking the graph and the
 * tensor shapes against the sidecar's sizes. Throws an Error saying what does not match.
 */
export function readClassifierWeights(
  file: Uint8Array,
  sizes: { buckets: number; hidden: number; labels: number },
): ClassifierWeights {
  const graph = only(fieldsOf(file), 7, "graph");
  const operators: string[] = [];
  const tensors = new Map<string, Tensor>();
  for (const field of fieldsOf(graph)) {
    if (field.number === 1) operators.push(text(only(fieldsOf(bytesOf(field)), 4, "op_type")));
    if (field.number === 5) {
      const tensor = tensorOf(bytesOf(field));
      tensors.set(tensor.name, tensor);
    }
  }
  if (operators.join(" ") !== GRAPH.join(" ")) {
    throw new Error(`its graph (${operators.join(", ")}) is not the Tool RAG classifier's`);
  }
  const { buckets, hidden, labels } = sizes;
  const tensor = (name: string, type: number, dims: number[]): Uint8Array => {
    const found = tensors.get(name);
    const length = dims.reduce((product, dim) => product * dim, type === FLOAT ? 4 : 1);
    if (
      !found ||
      found.type !== type ||
      found.dims.join("×") !== dims.join("×") ||
      found.raw?.byteLength !== length
    ) {
      throw new Error(`its tensor ${name} is missing or not ${dims.join("×")}`);
    }
    return found.raw;
  };
  const bytes = tensor("embedding_bytes", INT8, [buckets, hidden]);
  return {
    buckets,
    hidden,
    labels,
    embeddingBytes: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    scales: floats(tensor("embedding_scales", FLOAT, [buckets, 1])),
    hiddenBias: floats(tensor("hidden_bias", FLOAT, [hidden])),
    output: floats(tensor("output", FLOAT, [hidden, labels])),
    outputBias: floats(tensor("output_bias", FLOAT, [labels])),
  };
}

/** Probability per label for a request's feature ids (each in 0 … buckets − 1), as the ONNX graph computes it. */
export function scoreWithWeights(weights: ClassifierWeights, ids: readonly number[]): number[] {
  const { hidden, labels } = weights;
  const f = Math.fround;
  const sums = new Float32Array(hidden);
  for (const id of ids) {
    const scale = weights.scales[id]!;
    const row = id * hidden;
    for (let k = 0; k < hidden; k++) sums[k] = f(sums[k]! + f(weights.embeddingBytes[row + k]! * scale));
  }
  const scale = f(featureScale(ids.length));
  const activations = new Float32Array(hidden);
  for (let k = 0; k < hidden; k++) {
    activations[k] = Math.max(0, f(f(sums[k]! * scale) + weights.hiddenBias[k]!));
  }
  const probabilities: number[] = [];
  for (let j = 0; j < labels; j++) {
    let logit = 0;
    for (let k = 0; k < hidden; k++) logit = f(logit + f(activations[k]! * weights.output[k * labels + j]!));
    probabilities.push(f(1 / (1 + Math.exp(-f(logit + weights.outputBias[j]!)))));
  }
  return probabilities;
}

interface Tensor {
  name: string;
  type: number;
  dims: number[];
  raw?: Uint8Array;
}

function tensorOf(bytes: Uint8Array): Tensor {
  const tensor: Tensor = { name: "", type: 0, dims: [] };
  for (const field of fieldsOf(bytes)) {
    if (field.number === 1 && field.wire === 0) tensor.dims.push(field.value);
    if (field.number === 1 && field.wire === 2) tensor.dims.push(...packedVarints(bytesOf(field)));
    if (field.number === 2) tensor.type = field.value;
    if (field.number === 8) tensor.name = text(bytesOf(field));
    if (field.number === 9) tensor.raw = bytesOf(field);
  }
  return tensor;
}

/** A float32 tensor's raw data (little-endian), copied so the array is aligned. */
function floats(raw: Uint8Array): Float32Array {
  return new Float32Array(new Uint8Array(raw).buffer);
}

// A protocol-buffers reader for the few messages above: fields by number, varints and byte strings.

interface Field {
  number: number;
  wire: number;
  /** A varint's value (ONNX's counts and shapes are far below 2^53). */
  value: number;
  start: number;
  end: number;
  within: Uint8Array;
}

function* fieldsOf(bytes: Uint8Array): Generator<Field> {
  let at = 0;
  while (at < bytes.length) {
    const [key, afterKey] = varint(bytes, at);
    const number = Math.floor(key / 8);
    const wire = key % 8;
    let value = 0;
    let start = afterKey;
    let end: number;
    switch (wire) {
      case 0:
        [value, end] = varint(bytes, afterKey);
        break;
      case 1:
        end = afterKey + 8;
        break;
      case 2: {
        const [length, afterLength] = varint(bytes, afterKey);
        start = afterLength;
        end = afterLength + length;
        break;
      }
      case 5:
        end = afterKey + 4;
        break;
      default:
        throw new Error(`it is not an ONNX model (protocol buffer wire type ${wire})`);
    }
    if (end > bytes.length) throw new Error("it is cut short");
    yield { number, wire, value, start, end, within: bytes };
    at = end;
  }
}

function varint(bytes: Uint8Array, at: number): [number, number] {
  let value = 0;
  let factor = 1;
  for (let i = at; i < bytes.length && i < at + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * factor;
    factor *= 128;
    if (byte < 0x80) return [value, i + 1];
  }
  throw new Error("it is cut short");
}

function packedVarints(bytes: Uint8Array): number[] {
  const values: number[] = [];
  for (let at = 0; at < bytes.length;) {
    const [value, next] = varint(bytes, at);
    values.push(value);
    at = next;
  }
  return values;
}

function bytesOf(field: Field): Uint8Array {
  if (field.wire !== 2) throw new Error(`field ${field.number} is not a byte string`);
  return field.within.subarray(field.start, field.end);
}

function only(fields: Iterable<Field>, number: number, name: string): Uint8Array {
  for (const field of fields) if (field.number === number) return bytesOf(field);
  throw new Error(`it has no ${name}`);
}

function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
