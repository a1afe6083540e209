/**
 * Builds a tiny "llama" model with random (seeded, deterministic) weights, for tests and CI, which
 * can never download a real model.
 *
 * The weights are noise, but the model is real to llama.cpp: same architecture, tensor names and
 * SentencePiece tokenizer metadata as TinyLlama. Grammar-constrained decoding therefore works as
 * with the real planner: the grammar decides what may come next, the random logits only choose
 * among the allowed tokens, and byte-fallback tokens (<0x00>..<0xFF>) make every string reachable.
 */
import { randomBytes } from "node:crypto";
import { rename, unlink, writeFile } from "node:fs/promises";
import { encodeTensor, writeGguf, type EncodableTensorType, type GgufTensorInput } from "./gguf-writer";
import {
  baseTokens,
  llamaMetadata,
  llamaTensorShapes,
  SPACE,
  TOKEN_TYPE,
  type LlamaTensorRole,
  type LlamaVocabulary,
} from "./llama-gguf";
import { mulberry32 } from "../seeded-random";

export type TinyVocabName = "small" | "tinyllama";

export type TinyModelOptions = {
  /** "small": ~1,000 pieces, fast to build and load. "tinyllama": the real 32,000-piece LLaMA vocabulary. */
  vocab?: TinyVocabName;
  seed?: number;
  layers?: number;
  /** Width of the model; a multiple of 32 (quantization blocks) and of `heads`. */
  embedding?: number;
  heads?: number;
  /** Grouped-query attention as in TinyLlama; must divide `heads`. */
  kvHeads?: number;
  /** Hidden width of the feed-forward layers; a multiple of 32. */
  feedForward?: number;
  /** Must hold the planner prompt (1,000-3,000 tokens) plus the plan. */
  contextLength?: number;
  /** Type of the weight matrices; norms are always F32, as llama.cpp expects. */
  weightType?: EncodableTensorType;
  /** Spread of the output projection: larger makes the random model more "decided" per step. */
  outputScale?: number;
  name?: string;
};

type ResolvedOptions = Required<Omit<TinyModelOptions, "name">> & { name: string };

export type TinyVocabulary = LlamaVocabulary;

/** Builds the model file in memory. */
export async function buildTinyModel(options: TinyModelOptions = {}): Promise<Uint8Array> {
  const resolved = resolveOptions(options);
  const vocabulary = resolved.vocab === "tinyllama" ? await tinyLlamaVocabulary() : smallVocabulary();
  return writeGguf({
    metadata: llamaMetadata({
      name: resolved.name,
      shape: resolved,
      vocabulary,
      matrixType: resolved.weightType,
    }),
    tensors: modelTensors(resolved, vocabulary.tokens.length),
  });
}

/** Builds the model and writes it to `path` (whole or not at all: written beside it, then renamed). */
export async function writeTinyModel(path: string, options: TinyModelOptions = {}): Promise<number> {
  const bytes = await buildTinyModel(options);
  const partial = `${path}.${randomBytes(4).toString("hex")}.partial`;
  try {
    await writeFile(partial, bytes);
    await rename(partial, path);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw error;
  }
  return bytes.length;
}

function resolveOptions(options: TinyModelOptions): ResolvedOptions {
  const vocab = options.vocab ?? "small";
  const resolved: ResolvedOptions = {
    vocab,
    seed: options.seed ?? 1,
    layers: options.layers ?? 2,
    embedding: options.embedding ?? 64,
    heads: options.heads ?? 4,
    kvHeads: options.kvHeads ?? 2,
    feedForward: options.feedForward ?? 128,
    contextLength: options.contextLength ?? 4096,
    weightType: options.weightType ?? "Q8_0",
    outputScale: options.outputScale ?? 1,
    name: options.name ?? `tinyagent-test-${vocab}-seed${options.seed ?? 1}`,
  };
  checkDimensions(resolved);
  return resolved;
}

function checkDimensions(o: ResolvedOptions): void {
  const block = o.weightType === "Q8_0" || o.weightType === "Q4_0" ? 32 : 1;
  const problems = [
    o.embedding % o.heads !== 0 && "embedding must be a multiple of heads",
    o.heads % o.kvHeads !== 0 && "kvHeads must divide heads",
    (o.embedding / o.heads) % 2 !== 0 && "the head size must be even for rope",
    o.embedding % block !== 0 && `embedding must be a multiple of ${block} for ${o.weightType}`,
    o.feedForward % block !== 0 && `feedForward must be a multiple of ${block} for ${o.weightType}`,
    o.layers < 1 && "layers must be at least 1",
    !Number.isSafeInteger(o.seed) && "seed must be an integer",
  ].filter((problem): problem is string => typeof problem === "string");
  if (problems.length > 0) throw new Error(`invalid tiny model options: ${problems.join("; ")}`);
}

function modelTensors(o: ResolvedOptions, vocabSize: number): GgufTensorInput[] {
  const random = gaussian(o.seed);
  // Small weights as in a freshly initialised transformer; RMS norms rescale activations anyway. The
  // output projection sets how peaked the next-token distribution is (logit spread ≈ outputScale).
  const spread: Record<Exclude<LlamaTensorRole, "norm">, number> = {
    embedding: 1,
    matrix: 0.02,
    output: o.outputScale / Math.sqrt(o.embedding),
  };
  return llamaTensorShapes(o, vocabSize).map(({ name, dims, role }) => {
    const count = dims.reduce((a, b) => a * b, 1);
    if (role === "norm") return { name, dims, type: "F32", values: new Float32Array(count).fill(1) };
    // Encoded at once, so only one tensor's floats are held at a time: a model of TinyLlama-1.1B's shape
    // is 4.4 GB as floats, 1.2 GB as Q8_0.
    const values = randomValues(random, count, spread[role]);
    return { name, dims, type: o.weightType, data: encodeTensor(values, o.weightType) };
  });
}

function randomValues(random: () => number, count: number, std: number): Float32Array {
  const values = new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = random() * std;
  return values;
}

/** Standard normal samples from a seeded generator (mulberry32 + Box-Muller), identical on every machine. */
function gaussian(seed: number): () => number {
  const random = mulberry32(seed);
  // Half a step up keeps the uniform sample off zero, where the logarithm below is infinite.
  const uniform = (): number => random() + 0.5 / 4294967296;
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()));
    const angle = 2 * Math.PI * uniform();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/**
 * The real LLaMA / TinyLlama vocabulary from llama-tokenizer-js. That package has no scores, only
 * BPE merge ranks; SentencePiece merges the pair whose result scores highest, so a piece's score is
 * minus the rank of the best merge producing it. Single characters are never merge results and
 * score below every merged piece, as in LLaMA's own model file.
 */
export async function tinyLlamaVocabulary(): Promise<TinyVocabulary> {
  // Loaded on demand: a development dependency, and 670 kB the small vocabulary never needs.
  const { default: tokenizer } = await import("llama-tokenizer-js");
  const tokens = tokenizer.vocabById;
  const bestRank = bestMergeRanks(tokenizer.merges, tokenizer.vocabByString);
  const maxRank = [...bestRank.values()].reduce((max, rank) => Math.max(max, rank), 0);
  const { types: baseTypes } = baseTokens();
  const scores = new Float32Array(tokens.length);
  const types = new Int32Array(tokens.length);
  tokens.forEach((piece, id) => {
    const baseType = baseTypes[id];
    types[id] = baseType ?? TOKEN_TYPE.normal;
    if (baseType === undefined) scores[id] = -(bestRank.get(id) ?? maxRank + id);
  });
  return { tokens: [...tokens], scores, types };
}

function bestMergeRanks(
  merges: ReadonlyMap<string, number>,
  vocab: ReadonlyMap<string, number>,
): Map<number, number> {
  const best = new Map<number, number>();
  for (const [pair, rank] of merges) {
    // Keys are "left right"; pieces never contain a plain space (SentencePiece uses "▁").
    const id = vocab.get(pair.replace(" ", ""));
    if (id === undefined) continue;
    best.set(id, Math.min(rank, best.get(id) ?? Infinity));
  }
  return best;
}

/** Words the planner prompt and plans use a lot: tool names, argument names, plan syntax. */
const SMALL_VOCAB_WORDS = [
  "create_calendar_event",
  "get_phone_number",
  "get_email_address",
  "open_and_get_file_path",
  "summarize_pdf",
  "compose_new_email",
  "reply_to_email",
  "forward_email",
  "maps_open_location",
  "maps_show_directions",
  "create_note",
  "open_note",
  "append_note_content",
  "create_reminder",
  "send_sms",
  "get_zoom_meeting_link",
  "join",
  "<END_OF_PLAN>",
  "Thought",
  "Question",
  "Guidelines",
  "True",
  "False",
  "None",
  "title",
  "start_date",
  "end_date",
  "location",
  "invitees",
  "notes",
  "calendar",
  "recipients",
  "subject",
  "context",
  "attachments",
  "transport",
  "folder",
  "content",
  "due_date",
  "list_name",
  "priority",
  "all_day",
  "message",
  "topic",
  "start_time",
  "duration",
  "meeting",
  "email",
  "name",
  "file",
  "the",
  "to",
  "and",
  "a",
  "of",
  "for",
  "in",
  "on",
  "at",
  "with",
  "my",
  "me",
  "is",
  "it",
  "that",
  "this",
  "you",
  "your",
  "please",
  "send",
  "tomorrow",
  "today",
  "about",
  "from",
  "all",
  "an",
  "be",
  "by",
  "tool",
  "plan",
  "step",
  "Today",
  "date",
  "Here",
  "are",
  "some",
  "examples",
];

const SMALL_VOCAB_SYMBOLS = [
  "()",
  "(",
  ")",
  '("',
  '")',
  '",',
  "',",
  '"$',
  "$1",
  "$2",
  "$3",
  "[]",
  '["',
  '"]',
  "1.",
  "2.",
  "3.",
  "4.",
  "5.",
  "2024",
  "2025",
  "2026",
  "00",
  ":00",
  "###",
  "...",
  "--",
];

/**
 * A small SentencePiece vocabulary: special and byte tokens, every printable ASCII character, and
 * common words (with and without a leading "▁") together with all their prefixes, because
 * SentencePiece builds a piece by merging two adjacent pieces that are themselves in the vocabulary.
 * Shorter pieces score higher so merges happen bottom-up.
 */
export function smallVocabulary(): TinyVocabulary {
  const { tokens, types } = baseTokens();
  const pieces = new Set<string>([SPACE, `${SPACE}${SPACE}`]);
  for (let code = 0x21; code < 0x7f; code++) pieces.add(String.fromCharCode(code));
  const words = [...SMALL_VOCAB_WORDS, ...SMALL_VOCAB_SYMBOLS];
  for (const word of words) {
    addWithPrefixes(pieces, word);
    addWithPrefixes(pieces, `${SPACE}${word}`);
  }
  const ordered = [...pieces].sort((a, b) => [...a].length - [...b].length);
  const scores = new Float32Array(tokens.length + ordered.length);
  ordered.forEach((piece, rank) => {
    scores[tokens.length] = -rank;
    tokens.push(piece);
    types.push(TOKEN_TYPE.normal);
  });
  return { tokens, scores, types: Int32Array.from(types) };
}

function addWithPrefixes(pieces: Set<string>, word: string): void {
  const chars = [...word];
  for (let end = 1; end <= chars.length; end++) pieces.add(chars.slice(0, end).join(""));
}
