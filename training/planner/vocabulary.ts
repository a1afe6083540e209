/**
 * The GGUF side of TinyAgent-micro: its vocabulary as llama.cpp's SentencePiece ("llama") tokenizer reads
 * it, and the model file (llama architecture) around a set of weights.
 */
import {
  gguf,
  writeGguf,
  type EncodableTensorType,
  type GgufTensorInput,
} from "../../src/agent/model/gguf-writer";

/** SentencePiece writes a space as U+2581 "▁". */
export const SPACE = "\u2581";
export const BOS_ID = 1;
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export interface Vocabulary {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
}

/** `<unk> <s> </s>`, the 256 byte tokens, then characters and merged pieces. */
export function buildVocabulary(learned: {
  chars: readonly string[];
  merges: readonly string[];
}): Vocabulary {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  const scores: number[] = [0, 0, 0];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_TYPE.byte);
    scores.push(0);
  }
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

export interface Architecture {
  embedding: number;
  layers: number;
  heads: number;
  kvHeads: number;
  feedForward: number;
  contextLength: number;
}

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
  const { architecture: a, vocabulary } = options;
  const fileType = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 }[options.matrixType];
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
    metadata: {
      "general.architecture": gguf.str("llama"),
      "general.name": gguf.str(options.name),
      "general.file_type": gguf.u32(fileType),
      "llama.vocab_size": gguf.u32(vocabulary.tokens.length),
      "llama.context_length": gguf.u32(a.contextLength),
      "llama.embedding_length": gguf.u32(a.embedding),
      "llama.block_count": gguf.u32(a.layers),
      "llama.feed_forward_length": gguf.u32(a.feedForward),
      "llama.attention.head_count": gguf.u32(a.heads),
      "llama.attention.head_count_kv": gguf.u32(a.kvHeads),
      "llama.rope.dimension_count": gguf.u32(a.embedding / a.heads),
      "llama.rope.freq_base": gguf.f32(10000),
      "llama.attention.layer_norm_rms_epsilon": gguf.f32(1e-5),
      "tokenizer.ggml.model": gguf.str("llama"),
      "tokenizer.ggml.tokens": gguf.strings(vocabulary.tokens),
      "tokenizer.ggml.scores": gguf.f32s(vocabulary.scores),
      "tokenizer.ggml.token_type": gguf.i32s(vocabulary.types),
      "tokenizer.ggml.bos_token_id": gguf.u32(BOS_ID),
      "tokenizer.ggml.eos_token_id": gguf.u32(2),
      "tokenizer.ggml.unknown_token_id": gguf.u32(0),
      "tokenizer.ggml.add_bos_token": gguf.bool(true),
      "tokenizer.ggml.add_eos_token": gguf.bool(false),
      // The prompt starts "today:", not " today:": no leading "▁" (training and inference both tokenize so).
      "tokenizer.ggml.add_space_prefix": gguf.bool(false),
    },
    tensors,
  });
}

/** Zero weights of the right shapes: a file llama.cpp loads just to use its tokenizer. */
export function placeholderTensors(a: Architecture, vocabSize: number): FloatTensor[] {
  const kv = (a.embedding / a.heads) * a.kvHeads;
  const t = (name: string, dims: number[]): FloatTensor => ({
    name,
    dims,
    values: new Float32Array(dims.reduce((x, y) => x * y, 1)),
  });
  const out = [t("token_embd.weight", [a.embedding, vocabSize])];
  for (let l = 0; l < a.layers; l++)
    out.push(
      t(`blk.${l}.attn_norm.weight`, [a.embedding]),
      t(`blk.${l}.attn_q.weight`, [a.embedding, a.embedding]),
      t(`blk.${l}.attn_k.weight`, [a.embedding, kv]),
      t(`blk.${l}.attn_v.weight`, [a.embedding, kv]),
      t(`blk.${l}.attn_output.weight`, [a.embedding, a.embedding]),
      t(`blk.${l}.ffn_norm.weight`, [a.embedding]),
      t(`blk.${l}.ffn_gate.weight`, [a.embedding, a.feedForward]),
      t(`blk.${l}.ffn_up.weight`, [a.embedding, a.feedForward]),
      t(`blk.${l}.ffn_down.weight`, [a.feedForward, a.embedding]),
    );
  out.push(t("output_norm.weight", [a.embedding]), t("output.weight", [a.embedding, vocabSize]));
  return out;
}
