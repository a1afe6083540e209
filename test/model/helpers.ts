import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  gguf,
  writeGguf,
  type GgufTensorInput,
  type GgufWriteValue,
} from "../../src/agent/model/gguf-writer";
import { mulberry32 } from "../../src/agent/seeded-random";

/** A fresh folder under the system temp dir; `remove()` deletes it with everything in it. */
export function makeTempDir(prefix = "tinyagent-model-"): {
  path: string;
  file(name: string): string;
  remove(): void;
} {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return {
    path,
    file: (name) => join(path, name),
    remove: () => rmSync(path, { recursive: true, force: true }),
  };
}

export function writeBytes(path: string, bytes: Uint8Array | string): string {
  writeFileSync(path, bytes);
  return path;
}

/** Values 0, 1, 2, ... scaled, so every element of a decoded tensor is recognisable. */
export function ramp(count: number, scale = 0.01): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => (i - count / 2) * scale);
}

export const SAMPLE_METADATA: Record<string, GgufWriteValue> = {
  "general.architecture": gguf.str("llama"),
  "general.name": gguf.str("sample"),
  "llama.context_length": gguf.u32(2048),
  "tokenizer.ggml.model": gguf.str("llama"),
  "tokenizer.ggml.tokens": gguf.strings(["<unk>", "<s>", "</s>", "▁a"]),
};

export const SAMPLE_TENSORS: GgufTensorInput[] = [
  { name: "norm.weight", dims: [8], type: "F32", values: ramp(8) },
  { name: "proj.weight", dims: [32, 2], type: "Q8_0", values: ramp(64) },
  { name: "half.weight", dims: [4, 3], type: "F16", values: ramp(12) },
];

/** A small valid GGUF file: a few keys and three tensors of different types. */
export function sampleGguf(): Uint8Array {
  return writeGguf({ metadata: SAMPLE_METADATA, tensors: SAMPLE_TENSORS });
}

/**
 * Writes raw GGUF pieces by hand, for files the real writer refuses to make (duplicate names,
 * impossible counts, unknown types).
 */
export class RawGguf {
  private readonly parts: Buffer[] = [];

  u32(value: number): this {
    const part = Buffer.alloc(4);
    part.writeUInt32LE(value >>> 0);
    return this.push(part);
  }

  u64(value: number | bigint): this {
    const part = Buffer.alloc(8);
    part.writeBigUInt64LE(BigInt(value));
    return this.push(part);
  }

  string(value: string): this {
    const bytes = Buffer.from(value, "utf8");
    return this.u64(bytes.length).push(bytes);
  }

  raw(bytes: Uint8Array | string): this {
    return this.push(Buffer.from(bytes));
  }

  /** Magic, version and the two counts. */
  header(tensors: number | bigint, keys: number | bigint, version = 3): this {
    return this.raw("GGUF").u32(version).u64(tensors).u64(keys);
  }

  stringKey(key: string, value: string): this {
    return this.string(key).u32(8).string(value);
  }

  u32Key(key: string, value: number): this {
    return this.string(key).u32(4).u32(value);
  }

  tensorInfo(name: string, dims: readonly (number | bigint)[], type: number, offset: number | bigint): this {
    this.string(name).u32(dims.length);
    for (const dim of dims) this.u64(dim);
    return this.u32(type).u64(offset);
  }

  /** Zero bytes up to the next multiple of `alignment`. */
  pad(alignment = 32): this {
    const length = this.length();
    return this.push(Buffer.alloc((alignment - (length % alignment)) % alignment));
  }

  zeros(count: number): this {
    return this.push(Buffer.alloc(count));
  }

  length(): number {
    return this.parts.reduce((sum, part) => sum + part.length, 0);
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }

  private push(part: Buffer): this {
    this.parts.push(part);
    return this;
  }
}

/** Deterministic pseudo-random numbers for fuzzing. */
export const seededRandom = mulberry32;
