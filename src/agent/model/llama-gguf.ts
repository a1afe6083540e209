/**
 * What every llama-architecture GGUF this project writes has in common: the SentencePiece ("llama")
 * tokenizer's fixed tokens, the metadata llama.cpp reads, and the tensors' names and shapes. The tiny
 * random test models and TinyAgent-micro are both written through it.
 */
import { gguf, type EncodableTensorType, type GgufWriteValue } from "./gguf-writer";

/** SentencePiece token types as llama.cpp numbers them. */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

export const UNK_ID = 0;
export const BOS_ID = 1;
export const EOS_ID = 2;
/** SentencePiece writes a space as U+2581 "▁". */
export const SPACE = "\u2581";

/** A tokenizer vocabulary as the GGUF stores it. */
export interface LlamaVocabulary {
  tokens: string[];
  scores: Float32Array;
  types: Int32Array;
}

/** The 3 special tokens and 256 byte tokens every LLaMA-style SentencePiece vocabulary starts with. */
export function baseTokens(): { tokens: string[]; types: number[] } {
  const tokens = ["<unk>", "<s>", "</s>"];
  const types: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_TYPE.byte);
  }
  return { tokens, types };
}

/** The sizes of a llama model. */
export interface LlamaShape {
  embedding: number;
  layers: number;
  heads: number;
  /** Grouped-query attention: must divide `heads`. */
  kvHeads: number;
  feedForward: number;
  contextLength: number;
}

/** llama.cpp's llama_ftype for a model whose matrices are all of one type. */
export const FILE_TYPE: Record<EncodableTensorType, number> = { F32: 0, F16: 1, Q4_0: 2, Q8_0: 7 };

export function llamaMetadata(options: {
  name: string;
  shape: LlamaShape;
  vocabulary: LlamaVocabulary;
  matrixType: EncodableTensorType;
  /** Whether llama.cpp puts "▁" before the first word; absent leaves its default (yes). */
  addSpacePrefix?: boolean;
}): Record<string, GgufWriteValue> {
  const { shape: s, vocabulary } = options;
  return {
    "general.architecture": gguf.str("llama"),
    "general.name": gguf.str(options.name),
    "general.file_type": gguf.u32(FILE_TYPE[options.matrixType]),
    "llama.vocab_size": gguf.u32(vocabulary.tokens.length),
    "llama.context_length": gguf.u32(s.contextLength),
    "llama.embedding_length": gguf.u32(s.embedding),
    "llama.block_count": gguf.u32(s.layers),
    "llama.feed_forward_length": gguf.u32(s.feedForward),
    "llama.attention.head_count": gguf.u32(s.heads),
    "llama.attention.head_count_kv": gguf.u32(s.kvHeads),
    "llama.rope.dimension_count": gguf.u32(s.embedding / s.heads),
    "llama.rope.freq_base": gguf.f32(10000),
    "llama.attention.layer_norm_rms_epsilon": gguf.f32(1e-5),
    "tokenizer.ggml.model": gguf.str("llama"),
    "tokenizer.ggml.tokens": gguf.strings(vocabulary.tokens),
    "tokenizer.ggml.scores": gguf.f32s(vocabulary.scores),
    "tokenizer.ggml.token_type": gguf.i32s(vocabulary.types),
    "tokenizer.ggml.bos_token_id": gguf.u32(BOS_ID),
    "tokenizer.ggml.eos_token_id": gguf.u32(EOS_ID),
    "tokenizer.ggml.unknown_token_id": gguf.u32(UNK_ID),
    "tokenizer.ggml.add_bos_token": gguf.bool(true),
    "tokenizer.ggml.add_eos_token": gguf.bool(false),
    ...(options.addSpacePrefix === undefined
      ? {}
      : { "tokenizer.ggml.add_space_prefix": gguf.bool(options.addSpacePrefix) }),
  };
}

/** What a tensor is, for choosing its type and initial values. */
export type LlamaTensorRole = "embedding" | "norm" | "matrix" | "output";

/** The tensors of a llama model in file order, llama.cpp dims order (fastest-varying first). */
export function llamaTensorShapes(
  shape: LlamaShape,
  vocabSize: number,
): { name: string; dims: number[]; role: LlamaTensorRole }[] {
  const e = shape.embedding;
  const kv = (e / shape.heads) * shape.kvHeads;
  const tensors: { name: string; dims: number[]; role: LlamaTensorRole }[] = [
    { name: "token_embd.weight", dims: [e, vocabSize], role: "embedding" },
  ];
  for (let layer = 0; layer < shape.layers; layer++) {
    const blk = `blk.${layer}`;
    tensors.push(
      { name: `${blk}.attn_norm.weight`, dims: [e], role: "norm" },
      { name: `${blk}.attn_q.weight`, dims: [e, e], role: "matrix" },
      { name: `${blk}.attn_k.weight`, dims: [e, kv], role: "matrix" },
      { name: `${blk}.attn_v.weight`, dims: [e, kv], role: "matrix" },
      { name: `${blk}.attn_output.weight`, dims: [e, e], role: "matrix" },
      { name: `${blk}.ffn_norm.weight`, dims: [e], role: "norm" },
      { name: `${blk}.ffn_gate.weight`, dims: [e, shape.feedForward], role: "matrix" },
      { name: `${blk}.ffn_up.weight`, dims: [e, shape.feedForward], role: "matrix" },
      { name: `${blk}.ffn_down.weight`, dims: [shape.feedForward, e], role: "matrix" },
    );
  }
  tensors.push(
    { name: "output_norm.weight", dims: [e], role: "norm" },
    { name: "output.weight", dims: [e, vocabSize], role: "output" },
  );
  return tensors;
}
