/**
 * Checks a GGUF model file's header without loading the model.
 *
 * llama.cpp can abort the whole process on a malformed file, so every model file is checked here
 * before it goes anywhere near node-llama-cpp. The reader trusts nothing in the file: every count and
 * length is checked against hard caps and against the file's real size before anything is allocated
 * or looped over, and the file is read through a small buffer, never whole.
 *
 * Format (all little-endian): "GGUF", uint32 version, uint64 tensor count, uint64 key/value count,
 * the key/values, the tensor infos, padding to `general.alignment` (default 32), then tensor data.
 */
import { open, type FileHandle } from "node:fs/promises";

export const GGUF_MAGIC = "GGUF";
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_DIMS: a tensor has 1 to 4 dimensions. */
export const GGML_MAX_DIMS = 4;
/** ggml's GGML_MAX_NAME: tensor names are shorter than this (in bytes). */
export const GGML_MAX_NAME = 64;

/** Metadata value types, with their ids in the file. */
export const GGUF_VALUE_TYPES = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

export type GgufValueTypeName = keyof typeof GGUF_VALUE_TYPES;
export type GgufScalarTypeName = Exclude<GgufValueTypeName, "array">;
export type GgufNumberTypeName =
  "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";
export type GgufBigIntTypeName = "uint64" | "int64";

export type GgufScalarValue =
  | { type: GgufNumberTypeName; value: number }
  | { type: GgufBigIntTypeName; value: bigint }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string };

export type GgufScalar = GgufScalarValue["value"];

/**
 * An array as read from a file. Long arrays (a 32,000-token vocabulary) are counted, not kept:
 * `items` is present only when `length` is at most the reader's `keepArrayItems`.
 */
export type GgufArrayInfo = {
  type: "array";
  itemType: GgufScalarTypeName;
  length: number;
  items?: readonly GgufScalar[];
};

export type GgufReadValue = GgufScalarValue | GgufArrayInfo;

/** Size of one block in bytes and values per block, per ggml tensor type (from ggml itself). */
type GgmlTypeLayout = { id: number; blockBytes: number; blockValues: number };

/** The ggml tensor types llama.cpp (as shipped with node-llama-cpp 3.21.1) can load. */
export const GGML_TYPES = {
  F32: { id: 0, blockBytes: 4, blockValues: 1 },
  F16: { id: 1, blockBytes: 2, blockValues: 1 },
  Q4_0: { id: 2, blockBytes: 18, blockValues: 32 },
  Q4_1: { id: 3, blockBytes: 20, blockValues: 32 },
  Q5_0: { id: 6, blockBytes: 22, blockValues: 32 },
  Q5_1: { id: 7, blockBytes: 24, blockValues: 32 },
  Q8_0: { id: 8, blockBytes: 34, blockValues: 32 },
  Q8_1: { id: 9, blockBytes: 36, blockValues: 32 },
  Q2_K: { id: 10, blockBytes: 84, blockValues: 256 },
  Q3_K: { id: 11, blockBytes: 110, blockValues: 256 },
  Q4_K: { id: 12, blockBytes: 144, blockValues: 256 },
  Q5_K: { id: 13, blockBytes: 176, blockValues: 256 },
  Q6_K: { id: 14, blockBytes: 210, blockValues: 256 },
  Q8_K: { id: 15, blockBytes: 292, blockValues: 256 },
  IQ2_XXS: { id: 16, blockBytes: 66, blockValues: 256 },
  IQ2_XS: { id: 17, blockBytes: 74, blockValues: 256 },
  IQ3_XXS: { id: 18, blockBytes: 98, blockValues: 256 },
  IQ1_S: { id: 19, blockBytes: 50, blockValues: 256 },
  IQ4_NL: { id: 20, blockBytes: 18, blockValues: 32 },
  IQ3_S: { id: 21, blockBytes: 110, blockValues: 256 },
  IQ2_S: { id: 22, blockBytes: 82, blockValues: 256 },
  IQ4_XS: { id: 23, blockBytes: 136, blockValues: 256 },
  I8: { id: 24, blockBytes: 1, blockValues: 1 },
  I16: { id: 25, blockBytes: 2, blockValues: 1 },
  I32: { id: 26, blockBytes: 4, blockValues: 1 },
  I64: { id: 27, blockBytes: 8, blockValues: 1 },
  F64: { id: 28, blockBytes: 8, blockValues: 1 },
  IQ1_M: { id: 29, blockBytes: 56, blockValues: 256 },
  BF16: { id: 30, blockBytes: 2, blockValues: 1 },
  TQ1_0: { id: 34, blockBytes: 54, blockValues: 256 },
  TQ2_0: { id: 35, blockBytes: 66, blockValues: 256 },
  MXFP4: { id: 39, blockBytes: 17, blockValues: 32 },
  NVFP4: { id: 40, blockBytes: 36, blockValues: 64 },
  Q1_0: { id: 41, blockBytes: 18, blockValues: 128 },
  Q2_0: { id: 42, blockBytes: 18, blockValues: 64 },
} as const satisfies Record<string, GgmlTypeLayout>;

export type GgmlTypeName = keyof typeof GGML_TYPES;

/** Ids ggml once used and has since removed: a file using them needs converting again. */
const REMOVED_GGML_TYPES: ReadonlyMap<number, string> = new Map([
  [4, "Q4_2"],
  [5, "Q4_3"],
  [31, "Q4_0_4_4"],
  [32, "Q4_0_4_8"],
  [33, "Q4_0_8_8"],
  [36, "IQ4_NL_4_4"],
  [37, "IQ4_NL_4_8"],
  [38, "IQ4_NL_8_8"],
]);

const GGML_TYPE_BY_ID: ReadonlyMap<number, GgmlTypeName> = new Map(
  (Object.keys(GGML_TYPES) as GgmlTypeName[]).map((name) => [GGML_TYPES[name].id, name]),
);

export function ggmlTypeName(id: number): GgmlTypeName | undefined {
  return GGML_TYPE_BY_ID.get(id);
}

export type GgufTensorInfo = {
  name: string;
  /** Innermost first: `dims[0]` is the row length (token_embd is [n_embd, n_vocab]). */
  dims: readonly number[];
  type: GgmlTypeName;
  /** Offset from the start of the data section. */
  offset: number;
  byteSize: number;
};

export type GgufHeader = {
  path: string;
  fileSize: number;
  version: number;
  alignment: number;
  metadata: ReadonlyMap<string, GgufReadValue>;
  tensors: readonly GgufTensorInfo[];
  /** Where tensor data starts in the file, and how many bytes the tensors span from there. */
  dataOffset: number;
  dataSize: number;
  /** The facts callers usually want, pulled out of `metadata`. */
  architecture: string;
  name?: string;
  contextLength?: number;
  tokenizerModel?: string;
  vocabSize?: number;
};

export type ModelFileErrorCode =
  "not-found" | "unreadable" | "not-gguf" | "truncated" | "corrupt" | "unsupported";

/** A model file that cannot be used, with a message that says what to do about it. */
export class ModelFileError extends Error {
  override readonly name = "ModelFileError";
  constructor(
    readonly code: ModelFileErrorCode,
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

export type ReadGgufHeaderOptions = {
  /** How to replace a bad file, ending messages; defaults to the model manager's download command. */
  fix?: string;
  /** How to get a missing file; defaults to the model manager's download command. */
  fixMissing?: string;
  /** Arrays up to this length keep their items in the result (default 256); longer ones are only counted. */
  keepArrayItems?: number;
};

export const DEFAULT_FIX = "download it again with `tinyagent model download`";
export const DEFAULT_FIX_MISSING = "download it with `tinyagent model download`";

// Caps on what a file may claim. Real models stay far below them (a 7B llama has ~300 tensors and
// ~30 keys; the largest vocabularies have ~260,000 tokens), so anything above is a damaged or
// hostile file, and the caps keep the reader's memory and time bounded whatever the file says.
const MAX_TENSORS = 1 << 17;
const MAX_KEYS = 1 << 16;
const MAX_ARRAY_LENGTH = 1 << 24;
const MAX_KEY_BYTES = 1 << 16;
const MAX_STRING_BYTES = 1 << 24;
/**
 * Everything before the tensor data must fit in this. The largest vocabularies (~260,000 tokens
 * with scores and types) take under 10 MB; the cap also bounds the memory strings can take.
 */
const MAX_HEADER_BYTES = 1 << 26;
const CHUNK_BYTES = 1 << 16;
const DEFAULT_KEEP_ARRAY_ITEMS = 256;

const SCALAR_TYPE_BY_ID: ReadonlyMap<number, GgufValueTypeName> = new Map(
  (Object.keys(GGUF_VALUE_TYPES) as GgufValueTypeName[]).map((name) => [GGUF_VALUE_TYPES[name], name]),
);

/** Bytes per value for fixed-size types; strings are 8 bytes of length at least. */
const MIN_VALUE_BYTES: Record<GgufScalarTypeName, number> = {
  uint8: 1,
  int8: 1,
  uint16: 2,
  int16: 2,
  uint32: 4,
  int32: 4,
  float32: 4,
  bool: 1,
  string: 8,
  uint64: 8,
  int64: 8,
  float64: 8,
};

/** A problem found while reading; turned into a ModelFileError with the path and the fix. */
class FileProblem {
  constructor(
    readonly code: ModelFileErrorCode,
    readonly detail: string,
  ) {}
}

/**
 * Reads and checks the header of the GGUF file at `path`. Resolves with what it found, or rejects
 * with a ModelFileError (and nothing else) saying what is wrong and how to fix it.
 */
export async function readGgufHeader(path: string, options: ReadGgufHeaderOptions = {}): Promise<GgufHeader> {
  const fix = options.fix ?? DEFAULT_FIX;
  const fixMissing = options.fixMissing ?? DEFAULT_FIX_MISSING;
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, "r");
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FileProblem("unreadable", "is not a regular file");
    const cursor = new FileCursor(handle, stat.size);
    return await parseHeader(cursor, path, options.keepArrayItems ?? DEFAULT_KEEP_ARRAY_ITEMS);
  } catch (error) {
    throw toModelFileError(error, path, fix, fixMissing);
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** Longest part of a key quoted in a message: a damaged key can be 64 KB of binary. */
const QUOTED_KEY_CHARS = 60;

/** A key as a message quotes it: escaped, and cut short when a damaged file made it long. */
function quotedKey(key: string): string {
  const shown = [...key];
  return shown.length <= QUOTED_KEY_CHARS
    ? JSON.stringify(key)
    : `${JSON.stringify(shown.slice(0, QUOTED_KEY_CHARS).join(""))}… (${shown.length} characters)`;
}

function toModelFileError(error: unknown, path: string, fix: string, fixMissing: string): ModelFileError {
  if (error instanceof ModelFileError) return error;
  if (error instanceof FileProblem) {
    return new ModelFileError(error.code, path, describeProblem(error, path, fix));
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") {
    return new ModelFileError("not-found", path, `There is no model file at ${path}; ${fixMissing}.`);
  }
  if (code === "EISDIR") {
    return new ModelFileError(
      "unreadable",
      path,
      `${path} is a folder, not a model file; give the path of a .gguf file.`,
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new ModelFileError(
    "unreadable",
    path,
    `Cannot read the model file ${path} (${reason}); check that it exists and you may read it.`,
  );
}

function describeProblem(problem: FileProblem, path: string, fix: string): string {
  switch (problem.code) {
    case "not-gguf":
      return `${path} is not a GGUF model file (${problem.detail}); ${fix}.`;
    case "truncated":
      return `${path} is incomplete (${problem.detail}), probably from an interrupted download; ${fix}.`;
    case "corrupt":
      return `${path} is damaged (${problem.detail}); ${fix}.`;
    case "unsupported":
      return `${path} cannot be used: ${problem.detail}.`;
    default:
      return `Cannot read the model file ${path} (${problem.detail}).`;
  }
}

async function parseHeader(cursor: FileCursor, path: string, keepArrayItems: number): Promise<GgufHeader> {
  await checkMagic(cursor);
  const version = await readVersion(cursor);
  // The smallest tensor info is 32 bytes (name length, one dimension, type, offset); the smallest
  // key/value 13 (key length, type, one byte of value).
  const tensorCount = await readCount(cursor, "tensor count", MAX_TENSORS, 32);
  const keyCount = await readCount(cursor, "key/value count", MAX_KEYS, 13);
  const metadata = await readMetadata(cursor, keyCount, keepArrayItems);
  const alignment = alignmentOf(metadata);
  const tensors = await readTensorInfos(cursor, tensorCount, alignment);
  const dataOffset = alignUp(cursor.position, alignment);
  const dataSize = tensors.reduce((end, tensor) => Math.max(end, tensor.offset + tensor.byteSize), 0);
  // With no tensor data, llama.cpp does not need the padding before it either.
  if (dataSize > 0 && dataOffset + dataSize > cursor.size) {
    throw new FileProblem(
      "truncated",
      `its tensors need ${dataOffset + dataSize} bytes but the file has only ${cursor.size}`,
    );
  }
  return {
    path,
    fileSize: cursor.size,
    version,
    alignment,
    metadata,
    tensors,
    dataOffset,
    dataSize,
    ...summarize(metadata),
  };
}

async function checkMagic(cursor: FileCursor): Promise<void> {
  const head = await cursor.peek(Math.min(cursor.size, 64));
  const magic = Buffer.from(GGUF_MAGIC, "latin1");
  // A download cut off within the first four bytes still starts like a GGUF file.
  if (head.length < magic.length && head.equals(magic.subarray(0, head.length))) {
    throw new FileProblem("truncated", `it is only ${head.length} bytes long`);
  }
  if (!head.subarray(0, magic.length).equals(magic)) {
    throw new FileProblem("not-gguf", describeStart(head));
  }
  cursor.skip(magic.length, "magic");
}

/** Says what the file starts with, so "an HTML page" or "a Git LFS pointer" is visible at a glance. */
function describeStart(head: Buffer): string {
  if (head.length === 0) return "it is empty";
  const text = head.toString("latin1").trimStart().slice(0, 16);
  if (/^[\x20-\x7e\t\r\n]+$/.test(text)) return `it starts with ${JSON.stringify(text)}`;
  return `it starts with the bytes ${head
    .subarray(0, 8)
    .toString("hex")
    .replace(/(..)(?!$)/g, "$1 ")}`;
}

async function readVersion(cursor: FileCursor): Promise<number> {
  const version = await cursor.u32("version");
  if (version === 2 || version === 3) return version;
  if (version === 1) {
    throw new FileProblem(
      "unsupported",
      "it is a GGUF version 1 file, which llama.cpp no longer loads; get a newer conversion of the model",
    );
  }
  // A big-endian file (GGUF v3 allows them) reads its version byte-swapped here.
  if ((version & 0xffff) === 0 && version !== 0) {
    throw new FileProblem(
      "unsupported",
      "it is a big-endian GGUF file; use the little-endian version of the model",
    );
  }
  throw new FileProblem(
    "unsupported",
    `it is GGUF version ${version}, and only versions 2 and 3 are supported`,
  );
}

/** Reads a uint64 count and rejects it if implausible, or if the rest of the file cannot hold it. */
async function readCount(
  cursor: FileCursor,
  what: string,
  max: number,
  minBytesEach: number,
): Promise<number> {
  const count = await cursor.u64(what);
  if (count > BigInt(max)) {
    throw new FileProblem("corrupt", `its ${what} is ${count}, more than the ${max} a model can have`);
  }
  const value = Number(count);
  if (value * minBytesEach > cursor.remaining) {
    throw new FileProblem(
      "truncated",
      `its ${what} is ${value} but the file ends after ${cursor.size} bytes`,
    );
  }
  return value;
}

async function readMetadata(
  cursor: FileCursor,
  keyCount: number,
  keepArrayItems: number,
): Promise<Map<string, GgufReadValue>> {
  const metadata = new Map<string, GgufReadValue>();
  for (let i = 0; i < keyCount; i++) {
    const key = await cursor.string(MAX_KEY_BYTES, `key ${i}`);
    if (metadata.has(key)) throw new FileProblem("corrupt", `the key ${quotedKey(key)} appears twice`);
    const typeId = await cursor.u32(`type of ${key}`);
    const type = SCALAR_TYPE_BY_ID.get(typeId);
    if (type === undefined) {
      throw new FileProblem("corrupt", `the key ${quotedKey(key)} has unknown value type ${typeId}`);
    }
    const value =
      type === "array" ? await readArray(cursor, key, keepArrayItems) : await readScalar(cursor, type, key);
    metadata.set(key, value);
    cursor.checkHeaderLimit();
  }
  return metadata;
}

async function readArray(cursor: FileCursor, key: string, keepArrayItems: number): Promise<GgufArrayInfo> {
  const typeId = await cursor.u32(`item type of ${key}`);
  const itemType = SCALAR_TYPE_BY_ID.get(typeId);
  // llama.cpp rejects nested arrays too.
  if (itemType === undefined || itemType === "array") {
    throw new FileProblem("corrupt", `the array ${quotedKey(key)} has invalid item type ${typeId}`);
  }
  const length = await readCount(cursor, `length of ${key}`, MAX_ARRAY_LENGTH, MIN_VALUE_BYTES[itemType]);
  if (length > keepArrayItems) {
    await skipArrayItems(cursor, itemType, length, key);
    return { type: "array", itemType, length };
  }
  const items: GgufScalar[] = [];
  for (let i = 0; i < length; i++) items.push((await readScalar(cursor, itemType, key)).value);
  return { type: "array", itemType, length, items };
}

async function skipArrayItems(
  cursor: FileCursor,
  itemType: GgufScalarTypeName,
  length: number,
  key: string,
): Promise<void> {
  if (itemType !== "string") {
    cursor.skip(length * MIN_VALUE_BYTES[itemType], `items of ${key}`);
    return;
  }
  // Each string costs at least 8 bytes of the file, so this loop ends within the file's size.
  for (let i = 0; i < length; i++) {
    const bytes = await cursor.u64(`string ${i} of ${key}`);
    if (bytes > BigInt(MAX_STRING_BYTES)) {
      throw new FileProblem("corrupt", `string ${i} of ${key} claims ${bytes} bytes`);
    }
    cursor.skip(Number(bytes), `string ${i} of ${key}`);
    if ((i & 0xfff) === 0) cursor.checkHeaderLimit();
  }
}

async function readScalar(
  cursor: FileCursor,
  type: GgufScalarTypeName,
  key: string,
): Promise<GgufScalarValue> {
  const what = `value of ${key}`;
  switch (type) {
    case "string":
      return { type, value: await cursor.string(MAX_STRING_BYTES, what) };
    case "bool":
      return { type, value: (await cursor.bytes(1, what))[0] !== 0 };
    case "uint64":
      return { type, value: await cursor.u64(what) };
    case "int64":
      return { type, value: (await cursor.bytes(8, what)).readBigInt64LE(0) };
    default:
      return { type, value: await readNumber(cursor, type, what) };
  }
}

async function readNumber(cursor: FileCursor, type: GgufNumberTypeName, what: string): Promise<number> {
  const bytes = await cursor.bytes(MIN_VALUE_BYTES[type], what);
  switch (type) {
    case "uint8":
      return bytes.readUInt8(0);
    case "int8":
      return bytes.readInt8(0);
    case "uint16":
      return bytes.readUInt16LE(0);
    case "int16":
      return bytes.readInt16LE(0);
    case "uint32":
      return bytes.readUInt32LE(0);
    case "int32":
      return bytes.readInt32LE(0);
    case "float32":
      return bytes.readFloatLE(0);
    case "float64":
      return bytes.readDoubleLE(0);
  }
}

/** llama.cpp reads general.alignment as a uint32 and aborts on any other type, so check it here. */
function alignmentOf(metadata: ReadonlyMap<string, GgufReadValue>): number {
  const entry = metadata.get("general.alignment");
  if (entry === undefined) return GGUF_DEFAULT_ALIGNMENT;
  if (entry.type !== "uint32") {
    throw new FileProblem("corrupt", `general.alignment is a ${entry.type}, not a uint32`);
  }
  const alignment = entry.value;
  if (alignment === 0 || (alignment & (alignment - 1)) !== 0 || alignment > 1 << 20) {
    throw new FileProblem("corrupt", `general.alignment is ${alignment}, not a sensible power of two`);
  }
  return alignment;
}

async function readTensorInfos(
  cursor: FileCursor,
  count: number,
  alignment: number,
): Promise<GgufTensorInfo[]> {
  const tensors: GgufTensorInfo[] = [];
  const names = new Set<string>();
  // llama.cpp requires tensors to be stored back to back, in order, each padded to the alignment.
  let expectedOffset = 0;
  for (let i = 0; i < count; i++) {
    const tensor = await readTensorInfo(cursor, i);
    if (names.has(tensor.name)) throw new FileProblem("corrupt", `the tensor ${tensor.name} appears twice`);
    if (tensor.offset !== expectedOffset) {
      throw new FileProblem(
        "corrupt",
        `tensor ${tensor.name} is at offset ${tensor.offset}, expected ${expectedOffset}`,
      );
    }
    names.add(tensor.name);
    tensors.push(tensor);
    expectedOffset = alignUp(tensor.offset + tensor.byteSize, alignment);
    cursor.checkHeaderLimit();
  }
  return tensors;
}

async function readTensorInfo(cursor: FileCursor, index: number): Promise<GgufTensorInfo> {
  const name = await cursor.string(MAX_KEY_BYTES, `name of tensor ${index}`);
  if (Buffer.byteLength(name) >= GGML_MAX_NAME) {
    throw new FileProblem("corrupt", `tensor ${index} has a name longer than ${GGML_MAX_NAME - 1} bytes`);
  }
  const dimCount = await cursor.u32(`dimensions of ${name}`);
  if (dimCount < 1 || dimCount > GGML_MAX_DIMS) {
    throw new FileProblem("corrupt", `tensor ${name} has ${dimCount} dimensions`);
  }
  const dims: bigint[] = [];
  for (let d = 0; d < dimCount; d++) {
    const dim = await cursor.u64(`dimension ${d} of ${name}`);
    if (dim > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new FileProblem("corrupt", `tensor ${name} has a dimension of ${dim}`);
    }
    dims.push(dim);
  }
  const typeId = await cursor.u32(`type of ${name}`);
  const type = tensorType(typeId, name);
  const byteSize = tensorByteSize(name, dims, type);
  const offset = await cursor.u64(`offset of ${name}`);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FileProblem("corrupt", `tensor ${name} has offset ${offset}`);
  }
  return { name, dims: dims.map(Number), type, offset: Number(offset), byteSize };
}

function tensorType(id: number, tensorName: string): GgmlTypeName {
  const type = ggmlTypeName(id);
  if (type !== undefined) return type;
  const removed = REMOVED_GGML_TYPES.get(id);
  if (removed !== undefined) {
    throw new FileProblem(
      "unsupported",
      `tensor ${tensorName} uses ${removed}, a format llama.cpp no longer supports; get a newer conversion of the model`,
    );
  }
  throw new FileProblem(
    "unsupported",
    `tensor ${tensorName} uses tensor type ${id}, which this version of llama.cpp does not know`,
  );
}

/** Bytes a tensor takes, computed in bigint so hostile dimensions cannot overflow silently. */
function tensorByteSize(name: string, dims: readonly bigint[], type: GgmlTypeName): number {
  const layout = GGML_TYPES[type];
  const rowLength = dims[0] ?? 0n;
  if (rowLength % BigInt(layout.blockValues) !== 0n) {
    throw new FileProblem(
      "corrupt",
      `tensor ${name} has rows of ${rowLength} values, not a multiple of ${type}'s block of ${layout.blockValues}`,
    );
  }
  let bytes = (rowLength / BigInt(layout.blockValues)) * BigInt(layout.blockBytes);
  for (const dim of dims.slice(1)) bytes *= dim;
  if (bytes > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new FileProblem("corrupt", `tensor ${name} claims ${bytes} bytes`);
  }
  return Number(bytes);
}

function summarize(
  metadata: ReadonlyMap<string, GgufReadValue>,
): Pick<GgufHeader, "architecture" | "name" | "contextLength" | "tokenizerModel" | "vocabSize"> {
  const architecture = stringValue(metadata, "general.architecture");
  if (architecture === undefined) {
    throw new FileProblem("corrupt", "it does not say its architecture (general.architecture)");
  }
  const tokens = metadata.get("tokenizer.ggml.tokens");
  return {
    architecture,
    name: stringValue(metadata, "general.name"),
    contextLength: integerValue(metadata, `${architecture}.context_length`),
    tokenizerModel: stringValue(metadata, "tokenizer.ggml.model"),
    vocabSize: tokens?.type === "array" ? tokens.length : undefined,
  };
}

function stringValue(metadata: ReadonlyMap<string, GgufReadValue>, key: string): string | undefined {
  const entry = metadata.get(key);
  return entry?.type === "string" ? entry.value : undefined;
}

function integerValue(metadata: ReadonlyMap<string, GgufReadValue>, key: string): number | undefined {
  const entry = metadata.get(key);
  if (entry === undefined || entry.type === "array" || entry.type === "string" || entry.type === "bool") {
    return undefined;
  }
  const value = Number(entry.value);
  return Number.isSafeInteger(value) ? value : undefined;
}

export function alignUp(offset: number, alignment: number): number {
  return Math.ceil(offset / alignment) * alignment;
}

/**
 * Reads a file front to back through one small buffer. Every read first checks the bytes exist,
 * so a claim past the end of the file becomes a "truncated" problem instead of a short read.
 */
class FileCursor {
  position = 0;
  private buffer = Buffer.alloc(CHUNK_BYTES);
  private bufferStart = 0;
  private bufferLength = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  get remaining(): number {
    return this.size - this.position;
  }

  /** The next `count` bytes (at most one chunk) without moving past them. */
  async peek(count: number): Promise<Buffer> {
    const start = this.position;
    const bytes = await this.bytes(count, "start of file");
    this.position = start;
    return bytes;
  }

  /** The next `count` bytes, as a view valid until the next read (or a fresh copy if larger than a chunk). */
  async bytes(count: number, what: string): Promise<Buffer> {
    this.ensureAvailable(count, what);
    if (count > CHUNK_BYTES) return this.readLarge(count, what);
    const end = this.position + count;
    if (this.position < this.bufferStart || end > this.bufferStart + this.bufferLength) {
      await this.fill(count, what);
    }
    const from = this.position - this.bufferStart;
    this.position = end;
    return this.buffer.subarray(from, from + count);
  }

  skip(count: number, what: string): void {
    this.ensureAvailable(count, what);
    this.position += count;
  }

  async u32(what: string): Promise<number> {
    return (await this.bytes(4, what)).readUInt32LE(0);
  }

  async u64(what: string): Promise<bigint> {
    return (await this.bytes(8, what)).readBigUInt64LE(0);
  }

  /** A length-prefixed UTF-8 string; lengths above `maxBytes` mark a damaged file. */
  async string(maxBytes: number, what: string): Promise<string> {
    const length = await this.u64(what);
    if (length > BigInt(maxBytes)) {
      throw new FileProblem("corrupt", `${what} claims to be ${length} bytes long`);
    }
    this.checkHeaderLimit(Number(length));
    return (await this.bytes(Number(length), what)).toString("utf8");
  }

  /** Everything before the tensor data must stay under MAX_HEADER_BYTES; past that the file is not a model. */
  checkHeaderLimit(upcoming = 0): void {
    if (this.position + upcoming > MAX_HEADER_BYTES) {
      throw new FileProblem("corrupt", `its header runs past ${MAX_HEADER_BYTES} bytes`);
    }
  }

  private ensureAvailable(count: number, what: string): void {
    if (count > this.remaining) {
      throw new FileProblem("truncated", `the file ends after ${this.size} bytes, inside the ${what}`);
    }
  }

  private async fill(count: number, what: string): Promise<void> {
    const wanted = Math.min(CHUNK_BYTES, this.remaining);
    this.bufferStart = this.position;
    this.bufferLength = await this.readInto(this.buffer, wanted, count, what);
  }

  private async readLarge(count: number, what: string): Promise<Buffer> {
    const target = Buffer.alloc(count);
    await this.readInto(target, count, count, what);
    this.position += count;
    return target;
  }

  /** Reads up to `wanted` bytes at the cursor into `target`, failing if fewer than `needed` arrive. */
  private async readInto(target: Buffer, wanted: number, needed: number, what: string): Promise<number> {
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(target, filled, wanted - filled, this.position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // The file may shrink while we read it (a download being replaced).
    if (filled < needed) throw new FileProblem("truncated", `the file ended early, inside the ${what}`);
    return filled;
  }
}
