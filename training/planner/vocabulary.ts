/**
 * The GGUF side of TinyAgent-micro: its vocabulary as llama.cpp's SentencePiece ("llama") tokenizer reads
 * it, and the model file (llama architecture) around a set of weights.
 */
import { writeGguf, type EncodableTensorType, type GgufTensorInput } from "../../src/agent/model/gguf-writer";
import {
  baseTokens,
  llamaMetadata,
  llamaTensorShapes,
  TOKEN_TYPE,
  type LlamaShape,
  type LlamaVocabulary,
} from "../../src/agent/model/llama-gguf";

export { BOS_ID, SPACE } from "../../src/agent/model/llama-gguf";
export type Vocabulary = LlamaVocabulary;

/** `<unk> <s> </s>`, the 256 byte tokens, then characters and merged pieces. */
export function buildVocabulary(learned: {
  chars: readonly string[];
  merges: readonly string[];
}): Vocabulary {
  const { tokens, types } = baseTokens();
  const scores: number[] = tokens.map(() => 0);
  const merges = learned.merges.length;
  // Merged pieces score by merge order; single characters below all of them (they are never merge results).
  learned.chars.forEach((char, i) => {
    tokens.push(char);
    types.push(TOKEN_TYPE.normal);
    scores.push(-(merges + 1 + i));
  });
  learned.merges.forEach((piece, i) => {
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
    scores.push(-i);
  });
  return { tokens, scores: Float32Array.from(scores), types: Int32Array.from(types) };
}

export type Architecture = LlamaShape;

/** A named float tensor, llama.cpp dims order (fastest-varying first: [columns, rows]). */
export interface FloatTensor {
  name: string;
  dims: number[];
  values: Float32Array;
}

/**
 * The model file. Matrices get `matrixType`; norms stay F32 as llama.cpp expects; the token embedding gets
 * `embeddingType` (a row lookup, so any type llama.cpp can dequantize).
 */
export function modelFile(options: {
  name: string;
  architecture: Architecture;
  vocabulary: Vocabulary;
  tensors: readonly FloatTensor[];
  matrixType: EncodableTensorType;
  embeddingType?: EncodableTensorType;
}): Uint8Array {
  const tensors: GgufTensorInput[] = options.tensors.map((tensor) => ({
    name: tensor.name,
    dims: tensor.dims,
    type:
      tensor.dims.length === 1
        ? "F32"
        : tensor.name === "token_embd.weight"
          ? (options.embeddingType ?? options.matrixType)
          : options.matrixType,
    values: tensor.values,
  }));
  return writeGguf({
    // The prompt starts "today:", not " today:": no leading "▁" (training and inference both tokenize so).
    metadata: llamaMetadata({
      name: options.name,
      shape: options.architecture,
      vocabulary: options.vocabulary,
      matrixType: options.matrixType,
      addSpacePrefix: false,
    }),
    tensors,
  });
}

/** Zero weights of the right shapes: a file llama.cpp loads just to use its tokenizer. */
export function placeholderTensors(a: Architecture, vocabSize: number): FloatTensor[] {
  return llamaTensorShapes(a, vocabSize).map(({ name, dims }) => ({
    name,
    dims,
    values: new Float32Array(dims.reduce((x, y) => x * y, 1)),
  }));
}
