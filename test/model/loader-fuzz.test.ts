import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeModelFile } from "../../src/agent/engines/probe-model";
import {
  ModelFileError,
  readGgufHeader,
  type GgufHeader,
  type ModelFileErrorCode,
} from "../../src/agent/model/gguf-header";
import { writeGguf, type GgufTensorInput, type GgufWriteValue } from "../../src/agent/model/gguf-writer";
import { buildTinyModel } from "../../src/agent/model/tiny-model";
import { mulberry32 } from "../../src/agent/seeded-random";
import { settlesWithin } from "../executor/helpers";

/*
 * A fuzz run of the model loader (issue 17, "Done when"): what runs on a model file before any native code
 * sees it. Thousands of tiny GGUF files — made by the project's writer from random metadata and tensors, or
 * the tiny llama model every planner test uses — are damaged at random (bytes changed, huge counts and
 * lengths, cuts, bytes removed or inserted, pieces repeated) and read by readGgufHeader in this process:
 * each read settles within a bound, with a header that holds together or with a ModelFileError that names
 * the file and says what to do, never another error. Then a handful of damaged models that pass the header
 * check go through the real child-process probe (probeModelFile), which loads and evaluates them in
 * node-llama-cpp: each ends passed or refused with a ModelFileError, within its limit, and this process
 * lives on. The run is seeded: a failure names its seed and the shrunk case, and repeats. FUZZ_REPORT=1
 * prints what the damage led to (how many reads, refusals by code, and each probe's outcome).
 */

const SEED = 20261207;
const IN_PROCESS_RUNS = 2500;
/** Each read settles within this; a read takes about a millisecond (a loop driven by a count would not). */
const READ_LIMIT_MS = 2000;
/** What a probe may take on a busy 2-core machine (node-llama-cpp loads in the child). */
const PROBE_LIMIT_MS = 60_000;

const CODES: ModelFileErrorCode[] = [
  "not-found",
  "unreadable",
  "not-gguf",
  "truncated",
  "corrupt",
  "unsupported",
];

let folder: string;
/** The tiny llama model the planner tests use (small vocabulary), and where its header ends. */
let tinyModel: Uint8Array;
let tinyHeaderEnd: number;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-loader-fuzz-"));
  tinyModel = await buildTinyModel({ vocab: "small", seed: 11 });
  const path = join(folder, "tiny.gguf");
  await writeFile(path, tinyModel);
  tinyHeaderEnd = (await readGgufHeader(path)).dataOffset;
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

// ---- Files to damage ----------------------------------------------------------------------------

const KEY_NAMES = [
  "general.architecture",
  "general.name",
  "general.alignment",
  "llama.context_length",
  "llama.embedding_length",
  "llama.block_count",
  "llama.attention.head_count",
  "llama.attention.layer_norm_rms_epsilon",
  "tokenizer.ggml.model",
  "tokenizer.ggml.tokens",
  "tokenizer.ggml.scores",
  "tokenizer.ggml.token_type",
];

const floats = fc.oneof(
  fc.float({ noDefaultInfinity: false, noNaN: false }),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, 1e-5, 3.4e38),
);
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom("llama", "gpt2", "", "\u0000", "\ud800", "▁the"),
);

/** A metadata value of any type the format has, arrays included. */
const metadataValue: fc.Arbitrary<GgufWriteValue> = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map((value) => ({ type: "uint8" as const, value })),
  fc.integer({ min: -128, max: 127 }).map((value) => ({ type: "int8" as const, value })),
  fc.integer({ min: 0, max: 0xffff }).map((value) => ({ type: "uint16" as const, value })),
  fc.nat().map((value) => ({ type: "uint32" as const, value })),
  fc.integer().map((value) => ({ type: "int32" as const, value })),
  floats.map((value) => ({ type: "float32" as const, value })),
  fc.double().map((value) => ({ type: "float64" as const, value })),
  fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((value) => ({ type: "uint64" as const, value })),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map((value) => ({ type: "int64" as const, value })),
  fc.boolean().map((value) => ({ type: "bool" as const, value })),
  text.map((value) => ({ type: "string" as const, value })),
  fc
    .array(text, { maxLength: 6 })
    .map((items) => ({ type: "array" as const, itemType: "string" as const, items })),
  fc
    .array(floats, { maxLength: 6 })
    .map((items) => ({ type: "array" as const, itemType: "float32" as const, items })),
  fc
    .array(fc.integer(), { maxLength: 6 })
    .map((items) => ({ type: "array" as const, itemType: "int32" as const, items })),
);

const tensor: fc.Arbitrary<GgufTensorInput> = fc
  .record({
    type: fc.constantFrom("F32" as const, "F16" as const, "Q8_0" as const, "Q4_0" as const),
    rows: fc.integer({ min: 1, max: 2 }),
    extra: fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 2 }),
    fill: floats,
  })
  .map(({ type, rows, extra, fill }) => {
    const rowLength = type === "F32" || type === "F16" ? 8 * rows : 32 * rows;
    const dims = [rowLength, ...extra];
    const count = dims.reduce((a, b) => a * b, 1);
    return { name: "", dims, type, values: new Float32Array(count).fill(Number.isFinite(fill) ? fill : 0) };
  });

/** A small well-formed GGUF file from random metadata and tensors (usually a llama one). */
const writtenFile = fc
  .record({
    architecture: fc.option(fc.constantFrom("llama", "gpt2", "phi3"), { nil: undefined, freq: 8 }),
    keys: fc.dictionary(
      fc.oneof(fc.constantFrom(...KEY_NAMES.slice(1)), fc.string({ minLength: 1, maxLength: 10 })),
      metadataValue,
      {
        maxKeys: 6,
      },
    ),
    tensors: fc.array(tensor, { maxLength: 3 }),
    alignment: fc.constantFrom(32, 32, 32, 8, 64),
  })
  .map(({ architecture, keys, tensors, alignment }) => {
    const metadata: Record<string, GgufWriteValue> = {};
    for (const [key, value] of Object.entries(keys)) if (key !== "general.alignment") metadata[key] = value;
    if (architecture !== undefined)
      metadata["general.architecture"] = { type: "string", value: architecture };
    const named = tensors.map((t, i) => ({ ...t, name: `blk.${i}.weight` }));
    return { bytes: writeGguf({ metadata, tensors: named, alignment }), valid: architecture !== undefined };
  });

// ---- Damage --------------------------------------------------------------------------------------

/** One change to a file; `at` is a fraction of the part of the file that is damaged (usually its header). */
type Damage =
  | { kind: "bytes"; at: number; values: number[] }
  | { kind: "u64"; at: number; value: bigint }
  | { kind: "u32"; at: number; value: number }
  | { kind: "cut"; at: number }
  | { kind: "remove"; at: number; count: number }
  | { kind: "insert"; at: number; values: number[] }
  | { kind: "repeat"; at: number; count: number };

// Unbiased: fast-check leans towards 0 otherwise, and most damage would hit the magic bytes.
const fraction = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);
const damage: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({
    kind: fc.constant("bytes" as const),
    at: fraction,
    values: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({
    kind: fc.constant("u64" as const),
    at: fraction,
    value: fc.oneof(
      fc.constantFrom(0n, 1n, 2n ** 32n, 2n ** 63n, 2n ** 64n - 1n),
      fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
    ),
  }),
  fc.record({
    kind: fc.constant("u32" as const),
    at: fraction,
    value: fc.oneof(fc.constantFrom(0, 1, 9, 13, 0xffffffff), fc.nat()),
  }),
  fc.record({ kind: fc.constant("cut" as const), at: fraction }),
  fc.record({ kind: fc.constant("remove" as const), at: fraction, count: fc.integer({ min: 1, max: 16 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: fraction,
    values: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
  }),
  fc.record({ kind: fc.constant("repeat" as const), at: fraction, count: fc.integer({ min: 1, max: 64 }) }),
);

function damaged(original: Uint8Array, changes: Damage[], span: number): Buffer {
  let bytes = Buffer.from(original);
  for (const change of changes) {
    const at = Math.floor(change.at * Math.min(span, bytes.length));
    switch (change.kind) {
      case "bytes":
        change.values.forEach((value, i) => {
          if (at + i < bytes.length) bytes[at + i] = value;
        });
        break;
      case "u64":
        if (at + 8 <= bytes.length) bytes.writeBigUInt64LE(change.value, at);
        break;
      case "u32":
        if (at + 4 <= bytes.length) bytes.writeUInt32LE(change.value, at);
        break;
      case "cut":
        bytes = bytes.subarray(0, at);
        break;
      case "remove":
        bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + change.count)]);
        break;
      case "insert":
        bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(change.values), bytes.subarray(at)]);
        break;
      case "repeat":
        bytes = Buffer.concat([bytes.subarray(0, at + change.count), bytes.subarray(at)]);
        break;
    }
  }
  return bytes;
}

// ---- Checks --------------------------------------------------------------------------------------

/** A header that holds together: everything it describes lies inside the file, in order. */
function expectConsistent(header: GgufHeader, size: number): void {
  expect(header.fileSize).toBe(size);
  expect(header.dataOffset % header.alignment).toBe(0);
  expect(header.dataOffset + header.dataSize).toBeLessThanOrEqual(Math.max(size, header.dataOffset));
  expect(typeof header.architecture).toBe("string");
  for (const t of header.tensors) {
    expect(t.offset % header.alignment).toBe(0);
    expect(t.offset + t.byteSize).toBeLessThanOrEqual(header.dataSize);
  }
}

/** A refusal a person can act on: the right class and code, the file named, one short message. */
function expectClearRefusal(error: unknown, path: string): ModelFileError {
  if (!(error instanceof ModelFileError)) throw new Error(`not a ModelFileError: ${String(error)}`);
  expect(CODES).toContain(error.code);
  expect(error.path).toBe(path);
  expect(error.message).toContain(path);
  expect(error.message.length).toBeLessThan(path.length + 600);
  return error;
}

/** The tokenizer's strings in a model file, as [start, length] of their bytes (empty ones left out). */
function tokenStrings(bytes: Buffer): [start: number, length: number][] {
  const key = "tokenizer.ggml.tokens";
  let at = bytes.indexOf(key) + key.length + 8; // the array's type, then its item type
  const count = Number(bytes.readBigUInt64LE(at));
  at += 8;
  const spans: [number, number][] = [];
  for (let i = 0; i < count; i++) {
    const length = Number(bytes.readBigUInt64LE(at));
    if (length > 0) spans.push([at + 8, length]);
    at += 8 + length;
  }
  return spans;
}

type ReadOutcome = { header: GgufHeader } | { error: unknown };

async function readWithin(path: string): Promise<ReadOutcome> {
  return settlesWithin(
    readGgufHeader(path).then(
      (header) => ({ header }),
      (error: unknown) => ({ error }),
    ),
    READ_LIMIT_MS,
    `reading ${path}`,
  );
}

describe("fuzzing the model loader", () => {
  it(`reads ${IN_PROCESS_RUNS} damaged GGUF files in-process: a consistent header or a clear ModelFileError, each within ${READ_LIMIT_MS} ms`, async () => {
    const path = join(folder, "damaged.gguf");
    const outcomes = new Map<string, number>();
    const count = (what: string) => outcomes.set(what, (outcomes.get(what) ?? 0) + 1);
    const base = fc.oneof(
      { weight: 3, arbitrary: writtenFile.map((file) => ({ ...file, span: file.bytes.length })) },
      {
        weight: 1,
        arbitrary: fc.constant(null).map(() => ({ bytes: tinyModel, valid: true, span: tinyHeaderEnd })),
      },
    );
    await fc.assert(
      fc.asyncProperty(base, fc.array(damage, { maxLength: 4 }), async (file, changes) => {
        const bytes = damaged(file.bytes, changes, file.span);
        await writeFile(path, bytes);
        const started = performance.now();
        const outcome = await readWithin(path);
        expect(performance.now() - started).toBeLessThan(READ_LIMIT_MS);
        if ("header" in outcome) {
          expectConsistent(outcome.header, bytes.length);
          count("read");
        } else {
          count(expectClearRefusal(outcome.error, path).code);
        }
        // What the writer makes, undamaged, always reads back.
        if (changes.length === 0 && file.valid) expect("header" in outcome).toBe(true);
      }),
      { numRuns: IN_PROCESS_RUNS, seed: SEED, endOnFailure: true },
    );
    if (process.env.FUZZ_REPORT) console.log(JSON.stringify([...outcomes]));
    // The damage reaches every part of the reader, not one early check.
    for (const what of ["read", "not-gguf", "truncated", "corrupt", "unsupported"])
      expect(outcomes.get(what) ?? 0, `${what} in ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
  }, 120_000);

  it("probes a handful of damaged models that pass the header check in the real child process: passed or a clear refusal, never a crash here", async () => {
    const random = mulberry32(SEED);
    const header = await readGgufHeader(join(folder, "tiny.gguf"));
    const floatKeys = [...header.metadata].filter(([, v]) => v.type === "float32").map(([k]) => k);
    const countKeys = [...header.metadata].filter(([, v]) => v.type === "uint32").map(([k]) => k);
    // A key is found with its length before it, so "head_count" never finds "head_count_kv".
    const valueAt = (key: string) => {
      const prefix = Buffer.alloc(8);
      prefix.writeBigUInt64LE(BigInt(Buffer.byteLength(key)));
      const at = Buffer.from(tinyModel).indexOf(Buffer.concat([prefix, Buffer.from(key)]));
      expect(at).toBeGreaterThan(0);
      return at + 8 + Buffer.byteLength(key) + 4;
    };
    const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
    // Damage inside values, where the header check cannot see it: llama.cpp meets it when it loads and runs.
    const cases: [string, (bytes: Buffer) => void][] = [
      [
        "a float setting made NaN, infinite or huge",
        (b) => b.writeFloatLE(pick([Number.NaN, Infinity, -1, 3e38]), valueAt(pick(floatKeys))),
      ],
      [
        "a count setting changed",
        (b) => b.writeUInt32LE(pick([0, 1, 3, 7, 4096, 0x7fffffff]), valueAt(pick(countKeys))),
      ],
      [
        "bytes inside the tokenizer's strings changed (their lengths kept)",
        (b) => {
          const strings = tokenStrings(b);
          for (let i = 0; i < 8; i++) {
            const [start, length] = pick(strings);
            b[start + Math.floor(random() * length)] = 0x21 + Math.floor(random() * 0x5e);
          }
        },
      ],
      [
        "tensor data overwritten with random bytes",
        (b) => {
          for (let i = 0; i < 2000; i++)
            b[tinyHeaderEnd + Math.floor(random() * (b.length - tinyHeaderEnd))] = Math.floor(random() * 256);
        },
      ],
      [
        "a stretch of tensor data set to 0xFF (NaN scales and values)",
        (b) => {
          const start = tinyHeaderEnd + Math.floor(random() * (b.length - tinyHeaderEnd - 4096));
          b.fill(0xff, start, start + 4096);
        },
      ],
    ];
    const results = await Promise.all(
      cases.map(async ([what, change], i) => {
        const bytes = Buffer.from(tinyModel);
        change(bytes);
        const path = join(folder, `probe-${i}.gguf`);
        await writeFile(path, bytes);
        const read = await readWithin(path);
        if ("error" in read)
          return `${what}: refused before the probe (${expectClearRefusal(read.error, path).code})`;
        const probed = await settlesWithin(
          probeModelFile(path, { timeoutMs: PROBE_LIMIT_MS }).then(
            () => "passed",
            (error: unknown) => `refused (${expectClearRefusal(error, path).code})`,
          ),
          PROBE_LIMIT_MS + 10_000,
          `the probe of ${what}`,
        );
        return `${what}: ${probed}`;
      }),
    );
    if (process.env.FUZZ_REPORT) console.log(results.join("\n"));
    // The damage is inside values the header check cannot judge: every file reaches llama.cpp.
    expect(results.filter((line) => line.includes("before the probe"))).toEqual([]);
    expect(
      results.every((line) => / (passed|refused)/.test(line)),
      results.join("\n"),
    ).toBe(true);
  }, 150_000);
});
