/**
 * A tiny English-only whisper model with random (seeded) weights, for tests, CI and the bench, which can
 * never download a real one. whisper.cpp loads and runs it like ggml-base.en: same tensors, same
 * 30-second window and special tokens, only a few channels wide and one layer deep, so the real binding
 * is exercised end to end (load, mel spectrogram, encoder, decoder, token text) in a fraction of a second.
 * Its transcripts are noise made of its made-up vocabulary.
 */
import { randomBytes } from "node:crypto";
import { rename, rm, writeFile } from "node:fs/promises";
import { mulberry32 } from "../seeded-random";
import {
  ENGLISH_VOCAB,
  MEL_FFT_BINS,
  whisperTensorShapes,
  writeWhisperModel,
  type WhisperHyperparameters,
} from "./whisper-ggml";

export interface TinyWhisperOptions {
  seed?: number;
  /** Channels of encoder and decoder; a multiple of `heads`. */
  state?: number;
  heads?: number;
  layers?: number;
  /** See WhisperModelInput.precision: "f32" makes a file whisper.cpp aborts on. */
  precision?: "f16" | "f32";
}

/** Text tokens before the special ones (end of text is token 50,256 in English-only models). */
const TEXT_TOKENS = 50_256;

// A few syllables, so a random transcript reads as words rather than bytes.
const SYLLABLES = ["ta", "ne", "ri", "mo", "ku", "sa", "le", "vo", "pi", "da", "en", "ol"];

/** The hyperparameters of the tiny model: base.en's window and vocabulary, a sliver of its width. */
export function tinyWhisperHyperparameters(options: TinyWhisperOptions = {}): WhisperHyperparameters {
  const state = options.state ?? 8;
  const heads = options.heads ?? 2;
  const layers = options.layers ?? 1;
  if (state % heads !== 0) throw new Error("state must be a multiple of heads");
  return {
    vocab: ENGLISH_VOCAB,
    audioContext: 1500,
    audioState: state,
    audioHeads: heads,
    audioLayers: layers,
    textContext: 448,
    textState: state,
    textHeads: heads,
    textLayers: layers,
    mels: 80,
  };
}

/** The model file's bytes (about 2 MB with the defaults, most of it the token embedding). */
export function buildTinyWhisperModel(options: TinyWhisperOptions = {}): Uint8Array {
  const hyperparameters = tinyWhisperHyperparameters(options);
  const random = mulberry32(options.seed ?? 7);
  const weights = new Map<string, Float32Array>();
  for (const tensor of whisperTensorShapes(hyperparameters)) {
    const count = tensor.dims.reduce((product, dim) => product * dim, 1);
    // Norm weights near 1 keep activations in range; everything else small noise around 0.
    const isNormWeight = /_ln(_post)?\.weight$|\.ln(_post)?\.weight$/.test(tensor.name);
    weights.set(
      tensor.name,
      Float32Array.from({ length: count }, () => (isNormWeight ? 1 : 0) + (random() - 0.5) * 0.2),
    );
  }
  const melFilters = Float32Array.from(
    { length: hyperparameters.mels * MEL_FFT_BINS },
    () => random() * 0.01,
  );
  const tokens = Array.from({ length: TEXT_TOKENS }, (_, id) => tokenText(id));
  return writeWhisperModel({
    hyperparameters,
    melFilters,
    tokens,
    weights,
    precision: options.precision ?? "f16",
  });
}

/** Writes the tiny model to `path` (aside, then renamed, so a reader never sees half a file). */
export async function writeTinyWhisperModel(path: string, options: TinyWhisperOptions = {}): Promise<string> {
  const temporary = `${path}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, buildTinyWhisperModel(options));
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return path;
}

/**
 * Token n: a space and one or two syllables, as GPT-2 pieces start words with a space. Token 220 is a
 * lone space, as in GPT-2: whisper.cpp looks it up by text to keep a transcript from opening with a blank,
 * and throws when it is missing (which the binding turns into a promise that never settles).
 */
const SPACE_TOKEN = 220;

function tokenText(id: number): string {
  if (id === SPACE_TOKEN) return " ";
  const first = SYLLABLES[id % SYLLABLES.length] as string;
  const second =
    id % 3 === 0 ? "" : (SYLLABLES[Math.floor(id / SYLLABLES.length) % SYLLABLES.length] as string);
  return ` ${first}${second}`;
}
