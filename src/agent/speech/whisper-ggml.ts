import { encodeF16 } from "../model/gguf-writer";

/**
 * whisper.cpp's model file (the legacy "ggml" format its published `ggml-*.bin` models use, not GGUF):
 * the shapes and names of its tensors, and a writer for files with 32-bit float weights. The writer
 * makes the tiny random-weight models tests and the bench load with the real binding, since no real
 * model can be downloaded there; the layout follows whisper.cpp's loader (src/whisper.cpp,
 * whisper_model_load). Files are written as published models are: matrices and convolution kernels in
 * f16, everything else f32 (an all-f32 file loads, then aborts the process in the first convolution:
 * ggml's CPU im2col asserts an f16 kernel).
 *
 * Layout, little-endian: magic "ggml" (u32 0x67676d6c); eleven i32 hyperparameters; the mel filter bank
 * (i32 mels, i32 fft bins, mels × bins f32); the vocabulary (i32 count, then per token a u32 byte length
 * and UTF-8 bytes); then tensors until the end of the file, each i32 dimension count, i32 name length,
 * i32 type (0 = f32, 1 = f16), the dimensions as i32 (ggml order: fastest-varying first), the name, the data.
 */

/** The file's hyperparameters, in file order. */
export interface WhisperHyperparameters {
  /** Tokens the model scores; 51,864 for English-only models (special tokens sit at fixed ids). */
  vocab: number;
  /** Encoder positions: 1,500 for the 30-second window whisper.cpp always feeds. */
  audioContext: number;
  audioState: number;
  audioHeads: number;
  audioLayers: number;
  /** Decoder positions: 448 in every published model. */
  textContext: number;
  /** Must equal audioState (whisper.cpp asserts it). */
  textState: number;
  textHeads: number;
  textLayers: number;
  /** Mel bands of the input spectrogram: 80 (128 for large-v3). */
  mels: number;
}

export const GGML_MAGIC = 0x67676d6c;

/** Frequency bins of whisper.cpp's 400-point FFT, which the mel filter bank must match. */
export const MEL_FFT_BINS = 201;

/** whisper.cpp decides English-only by vocabulary size: below this it is English-only. */
export const ENGLISH_VOCAB = 51_864;

export interface WhisperTensor {
  name: string;
  /** ggml order: the fastest-varying dimension first. */
  dims: number[];
  /** f16 for weight matrices and kernels in an f16 model (ftype 1), f32 for vectors and embeddings of positions. */
  type: "f32" | "f16";
}

type Shape = Omit<WhisperTensor, "type">;

// whisper.cpp creates these with the model's weight type; everything else is f32 whatever the file.
function typeOf(shape: Shape): WhisperTensor["type"] {
  return shape.name.endsWith(".weight") && shape.dims.length >= 2 ? "f16" : "f32";
}

/** Every tensor whisper.cpp expects for these hyperparameters, with its shape. */
export function whisperTensorShapes(h: WhisperHyperparameters): WhisperTensor[] {
  const a = h.audioState;
  const t = h.textState;
  const tensors: Shape[] = [
    { name: "encoder.positional_embedding", dims: [a, h.audioContext] },
    { name: "encoder.conv1.weight", dims: [3, h.mels, a] },
    { name: "encoder.conv1.bias", dims: [1, a] },
    { name: "encoder.conv2.weight", dims: [3, a, a] },
    { name: "encoder.conv2.bias", dims: [1, a] },
    { name: "encoder.ln_post.weight", dims: [a] },
    { name: "encoder.ln_post.bias", dims: [a] },
  ];
  for (let i = 0; i < h.audioLayers; i++) tensors.push(...blockTensors(`encoder.blocks.${i}`, "attn", a));
  tensors.push(
    { name: "decoder.positional_embedding", dims: [t, h.textContext] },
    { name: "decoder.token_embedding.weight", dims: [t, h.vocab] },
    { name: "decoder.ln.weight", dims: [t] },
    { name: "decoder.ln.bias", dims: [t] },
  );
  for (let i = 0; i < h.textLayers; i++) {
    const block = `decoder.blocks.${i}`;
    tensors.push(...blockTensors(block, "attn", t), ...attentionTensors(block, "cross_attn", t));
  }
  return tensors.map((shape) => ({ ...shape, type: typeOf(shape) }));
}

/** A transformer block: feed-forward with its norm, self-attention with its norm. */
function blockTensors(block: string, attention: string, state: number): Shape[] {
  return [
    { name: `${block}.mlp_ln.weight`, dims: [state] },
    { name: `${block}.mlp_ln.bias`, dims: [state] },
    { name: `${block}.mlp.0.weight`, dims: [state, 4 * state] },
    { name: `${block}.mlp.0.bias`, dims: [4 * state] },
    { name: `${block}.mlp.2.weight`, dims: [4 * state, state] },
    { name: `${block}.mlp.2.bias`, dims: [state] },
    ...attentionTensors(block, attention, state),
  ];
}

// The key projection has no bias in Whisper.
function attentionTensors(block: string, attention: string, state: number): Shape[] {
  return [
    { name: `${block}.${attention}_ln.weight`, dims: [state] },
    { name: `${block}.${attention}_ln.bias`, dims: [state] },
    { name: `${block}.${attention}.query.weight`, dims: [state, state] },
    { name: `${block}.${attention}.query.bias`, dims: [state] },
    { name: `${block}.${attention}.key.weight`, dims: [state, state] },
    { name: `${block}.${attention}.value.weight`, dims: [state, state] },
    { name: `${block}.${attention}.value.bias`, dims: [state] },
    { name: `${block}.${attention}.out.weight`, dims: [state, state] },
    { name: `${block}.${attention}.out.bias`, dims: [state] },
  ];
}

export interface WhisperModelInput {
  hyperparameters: WhisperHyperparameters;
  /** mels × MEL_FFT_BINS weights, band by band. */
  melFilters: Float32Array;
  /** Text of tokens 0, 1, …; whisper.cpp names the ones not given (special and timestamp tokens). */
  tokens: readonly string[];
  /** Values of each tensor of whisperTensorShapes, by name. */
  weights: ReadonlyMap<string, Float32Array>;
  /**
   * "f16" (default): matrices and kernels in f16, as published models are. "f32": every tensor f32 (ftype
   * 0), a file whisper.cpp loads and then aborts on; tests use it to show the abort stays contained.
   */
  precision?: "f16" | "f32";
}

/** The model file's bytes; throws when a tensor is missing or has the wrong number of values. */
export function writeWhisperModel(input: WhisperModelInput): Uint8Array {
  const h = input.hyperparameters;
  if (h.audioState !== h.textState) throw new Error("whisper.cpp needs audioState equal to textState");
  if (input.melFilters.length !== h.mels * MEL_FFT_BINS) {
    throw new Error(`the mel filter bank needs ${h.mels * MEL_FFT_BINS} values`);
  }
  const f16 = (input.precision ?? "f16") === "f16";
  const parts: Uint8Array[] = [];
  parts.push(int32s([GGML_MAGIC | 0]));
  parts.push(
    int32s([
      h.vocab,
      h.audioContext,
      h.audioState,
      h.audioHeads,
      h.audioLayers,
      h.textContext,
      h.textState,
      h.textHeads,
      h.textLayers,
      h.mels,
      f16 ? 1 : 0, // ftype
    ]),
  );
  parts.push(int32s([h.mels, MEL_FFT_BINS]), floats(input.melFilters));
  parts.push(int32s([input.tokens.length]));
  for (const token of input.tokens) {
    const bytes = Buffer.from(token, "utf8");
    parts.push(int32s([bytes.length]), bytes);
  }
  for (const tensor of whisperTensorShapes(h)) {
    const values = input.weights.get(tensor.name);
    const count = tensor.dims.reduce((product, dim) => product * dim, 1);
    if (values?.length !== count) throw new Error(`${tensor.name} needs ${count} values`);
    const name = Buffer.from(tensor.name, "utf8");
    const half = f16 && tensor.type === "f16";
    const type = half ? 1 : 0;
    const data = half ? encodeF16(values) : floats(values);
    parts.push(int32s([tensor.dims.length, name.length, type, ...tensor.dims]), name, data);
  }
  return Buffer.concat(parts);
}

function int32s(values: readonly number[]): Uint8Array {
  const buffer = Buffer.alloc(4 * values.length);
  values.forEach((value, index) => buffer.writeInt32LE(value, 4 * index));
  return buffer;
}

function floats(values: Float32Array): Uint8Array {
  const buffer = Buffer.alloc(4 * values.length);
  values.forEach((value, index) => buffer.writeFloatLE(value, 4 * index));
  return buffer;
}

/** What the start of a file says about it, read before any native code sees the file. */
export interface WhisperFileHeader {
  hyperparameters: WhisperHyperparameters;
  /** 0 f32, 1 f16, others quantized (with the quantization version folded in, as whisper.cpp writes it). */
  ftype: number;
  englishOnly: boolean;
}

/**
 * Reads and checks a whisper.cpp model's header: the magic and hyperparameters in plausible ranges. A
 * GGUF planner model, an HTML error page or a truncated download is refused here with a sentence, before
 * the file reaches whisper.cpp, whose loader trusts every number it reads.
 */
export function readWhisperHeader(bytes: Uint8Array): WhisperFileHeader | { problem: string } {
  if (bytes.length < 48) return { problem: "it is too short to be a whisper model" };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, true);
  if (magic === 0x46554747)
    return { problem: "it is a GGUF file (a planner model?), not a whisper.cpp model" };
  if (magic !== GGML_MAGIC) return { problem: "it is not a whisper.cpp model (no ggml magic)" };
  const n = (index: number) => view.getInt32(4 + 4 * index, true);
  const hyperparameters: WhisperHyperparameters = {
    vocab: n(0),
    audioContext: n(1),
    audioState: n(2),
    audioHeads: n(3),
    audioLayers: n(4),
    textContext: n(5),
    textState: n(6),
    textHeads: n(7),
    textLayers: n(8),
    mels: n(9),
  };
  const ftype = n(10);
  const h = hyperparameters;
  const plausible =
    h.vocab > 50_000 &&
    h.vocab < 60_000 &&
    h.audioContext > 0 &&
    h.audioContext <= 1500 &&
    h.textContext > 0 &&
    h.textContext <= 448 &&
    h.audioState > 0 &&
    h.audioState <= 4096 &&
    h.audioState === h.textState &&
    [h.audioHeads, h.textHeads].every((heads) => heads > 0 && h.audioState % heads === 0) &&
    [h.audioLayers, h.textLayers].every((layers) => layers > 0 && layers <= 64) &&
    (h.mels === 80 || h.mels === 128) &&
    ftype >= 0 &&
    ftype < 100_000;
  if (!plausible) return { problem: "its header holds numbers no whisper model has: it is damaged" };
  return { hyperparameters, ftype, englishOnly: h.vocab < ENGLISH_VOCAB + 1 };
}
