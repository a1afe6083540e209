import { mkdirSync, openSync, closeSync, ftruncateSync, writeSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { ModelFileError, readGgufHeader, type ModelFileErrorCode } from "../../src/agent/model/gguf-header";
import { gguf, writeGguf } from "../../src/agent/model/gguf-writer";
import { makeTempDir, RawGguf, sampleGguf, seededRandom, writeBytes } from "./helpers";

const temp = makeTempDir();
afterAll(() => temp.remove());

let fileNumber = 0;
function fileWith(bytes: Uint8Array | string): string {
  fileNumber += 1;
  return writeBytes(temp.file(`case-${fileNumber}.gguf`), bytes);
}

/** Reads `path`, expecting a ModelFileError and nothing else; returns it. */
async function rejection(path: string): Promise<ModelFileError> {
  try {
    await readGgufHeader(path);
  } catch (error) {
    if (error instanceof ModelFileError) return error;
    throw new Error(`expected a ModelFileError, got ${String(error)}`);
  }
  throw new Error("expected the file to be rejected");
}

async function expectRejected(
  bytes: Uint8Array | string,
  code: ModelFileErrorCode,
  message?: RegExp,
): Promise<void> {
  const error = await rejection(fileWith(bytes));
  expect(error.code, error.message).toBe(code);
  if (message) expect(error.message).toMatch(message);
}

/** A minimal valid file: one key, one F32 tensor of 8 values. */
function minimalFile(
  edit: { tensors?: number | bigint; keys?: number | bigint; version?: number } = {},
): Buffer {
  const raw = new RawGguf()
    .header(edit.tensors ?? 1, edit.keys ?? 1, edit.version ?? 3)
    .stringKey("general.architecture", "llama")
    .tensorInfo("t.weight", [8], 0, 0);
  return raw.pad().zeros(32).bytes();
}

describe("files that are missing or not GGUF at all", () => {
  it("a missing file is not-found, and the message says how to get it", async () => {
    const error = await rejection(temp.file("nowhere.gguf"));
    expect(error.code).toBe("not-found");
    expect(error.message).toContain("tinyagent model download");
    expect(error.path).toBe(temp.file("nowhere.gguf"));
  });

  it("a folder is unreadable", async () => {
    const folder = temp.file("a-folder.gguf");
    mkdirSync(folder);
    expect((await rejection(folder)).code).toBe("unreadable");
  });

  it("an empty file or one cut off inside the magic is truncated", async () => {
    await expectRejected("", "truncated", /incomplete.*download it again with `tinyagent model download`/);
    await expectRejected("GG", "truncated");
    await expectRejected("GGU", "truncated");
  });

  it("an HTML page is not-gguf, and the message quotes its start", async () => {
    await expectRejected(
      "<html><head><title>Sign in</title></head></html>",
      "not-gguf",
      /is not a GGUF model file \(it starts with "<html><head><tit"\); download it again with `tinyagent model download`/,
    );
    await expectRejected("\n\n<!DOCTYPE html><html>", "not-gguf", /starts with "<!DOCTYPE html><"/);
  });

  it("a Git LFS pointer, JSON error or binary junk is not-gguf", async () => {
    await expectRejected(
      "version https://git-lfs.github.com/spec/v1\noid sha256:abc\n",
      "not-gguf",
      /starts with "version https:\/\//,
    );
    await expectRejected('{"error":"Repository not found"}', "not-gguf", /starts with "\{\\"error\\":/);
    await expectRejected(
      new Uint8Array([0x00, 0xff, 0x10, 0x80, 1, 2, 3, 4, 5]),
      "not-gguf",
      /starts with the bytes 00 ff 10 80/,
    );
    await expectRejected("ggml", "not-gguf");
  });
});

describe("GGUF files the reader refuses", () => {
  it("unsupported versions, with what to do", async () => {
    await expectRejected(minimalFile({ version: 1 }), "unsupported", /version 1/);
    await expectRejected(minimalFile({ version: 4 }), "unsupported", /version 4/);
    await expectRejected(minimalFile({ version: 0 }), "unsupported");
    await expectRejected(minimalFile({ version: 0x03000000 }), "unsupported", /big-endian/);
  });

  it("huge counts are corrupt, without allocating or looping", async () => {
    await expectRejected(minimalFile({ tensors: 2n ** 63n }), "corrupt", /tensor count/);
    await expectRejected(minimalFile({ tensors: 2n ** 64n - 1n }), "corrupt");
    await expectRejected(minimalFile({ keys: 2n ** 40n }), "corrupt", /key\/value count/);
  });

  it("plausible counts the file is too short for are truncated", async () => {
    await expectRejected(minimalFile({ tensors: 1000 }), "truncated");
    await expectRejected(minimalFile({ keys: 50 }), "truncated");
  });

  it("huge strings and arrays are corrupt", async () => {
    const hugeKey = new RawGguf()
      .header(0, 1)
      .u64(2n ** 62n)
      .zeros(64)
      .bytes();
    await expectRejected(hugeKey, "corrupt", /claims to be/);
    const hugeValue = new RawGguf()
      .header(0, 1)
      .string("general.name")
      .u32(8)
      .u64(2n ** 50n)
      .zeros(64)
      .bytes();
    await expectRejected(hugeValue, "corrupt");
    const hugeArray = new RawGguf()
      .header(0, 1)
      .string("tokenizer.ggml.tokens")
      .u32(9)
      .u32(8)
      .u64(2n ** 60n)
      .bytes();
    await expectRejected(hugeArray, "corrupt", /length of tokenizer\.ggml\.tokens/);
    const longArray = new RawGguf()
      .header(0, 1)
      .string("tokenizer.ggml.scores")
      .u32(9)
      .u32(6)
      .u64(1_000_000)
      .bytes();
    await expectRejected(longArray, "truncated");
    const stringInLongArray = new RawGguf()
      .header(0, 1)
      .string("tokenizer.ggml.tokens")
      .u32(9)
      .u32(8)
      .u64(300)
      .u64(2n ** 40n)
      .zeros(300 * 8)
      .bytes();
    await expectRejected(stringInLongArray, "corrupt", /string 0 of tokenizer\.ggml\.tokens/);
  });

  it("unknown value types, nested arrays and duplicate keys are corrupt", async () => {
    await expectRejected(
      new RawGguf().header(0, 1).string("a").u32(13).zeros(8).bytes(),
      "corrupt",
      /unknown value type 13/,
    );
    await expectRejected(
      new RawGguf().header(0, 1).string("a").u32(9).u32(9).u64(1).zeros(16).bytes(),
      "corrupt",
      /item type 9/,
    );
    const duplicate = new RawGguf()
      .header(0, 2)
      .stringKey("general.architecture", "llama")
      .stringKey("general.architecture", "x");
    await expectRejected(duplicate.bytes(), "corrupt", /appears twice/);
  });

  it("a long damaged key is quoted short: the message stays one readable line", async () => {
    // Found by the loader fuzz run (test/model/loader-fuzz.test.ts): a key length bumped by damage
    // swallowed the rest of the header, and the whole 1 KB (up to 64 KB) of it was quoted in the message.
    const key = `llama.${"\u0001x".repeat(3000)}`;
    const error = await rejection(fileWith(new RawGguf().header(0, 1).string(key).u32(99).zeros(8).bytes()));
    expect(error.code).toBe("corrupt");
    expect(error.message).toMatch(
      /the key "llama\.(\\u0001x)+"… \(6006 characters\) has unknown value type 99/,
    );
    expect(error.message.length).toBeLessThan(error.path.length + 400);
  });

  it("a general.alignment llama.cpp would choke on is corrupt", async () => {
    const asString = new RawGguf()
      .header(0, 2)
      .stringKey("general.architecture", "llama")
      .stringKey("general.alignment", "32");
    await expectRejected(asString.bytes(), "corrupt", /general\.alignment is a string/);
    const notPowerOfTwo = new RawGguf()
      .header(0, 2)
      .stringKey("general.architecture", "llama")
      .u32Key("general.alignment", 48);
    await expectRejected(notPowerOfTwo.bytes(), "corrupt", /48/);
    const zero = new RawGguf()
      .header(0, 2)
      .stringKey("general.architecture", "llama")
      .u32Key("general.alignment", 0);
    await expectRejected(zero.bytes(), "corrupt");
  });

  it("a file without general.architecture is corrupt", async () => {
    await expectRejected(
      new RawGguf().header(0, 1).stringKey("general.name", "x").bytes(),
      "corrupt",
      /architecture/,
    );
  });

  const withTensor = (
    name: string,
    dims: (number | bigint)[],
    type: number,
    offset: number | bigint = 0,
  ): Buffer =>
    new RawGguf()
      .header(1, 1)
      .stringKey("general.architecture", "llama")
      .tensorInfo(name, dims, type, offset)
      .pad()
      .zeros(4096)
      .bytes();

  it("tensor types llama.cpp does not know, or no longer supports, are unsupported", async () => {
    await expectRejected(withTensor("t", [32], 99), "unsupported", /tensor type 99/);
    await expectRejected(withTensor("t", [32], 31), "unsupported", /Q4_0_4_4/);
    await expectRejected(withTensor("t", [32], 4), "unsupported", /Q4_2/);
  });

  it("impossible tensor shapes are corrupt", async () => {
    await expectRejected(withTensor("t", [33], 8), "corrupt", /not a multiple of Q8_0's block of 32/);
    await expectRejected(withTensor("t", [1, 1, 1, 1, 1], 0), "corrupt", /5 dimensions/);
    await expectRejected(withTensor("t", [], 0), "corrupt", /0 dimensions/);
    await expectRejected(withTensor("t", [2n ** 40n, 2n ** 40n], 0), "corrupt", /claims/);
    await expectRejected(withTensor("t", [2n ** 63n, 0], 0), "corrupt", /dimension of/);
    await expectRejected(withTensor("x".repeat(64), [8], 0), "corrupt", /name longer than 63/);
  });

  it("misplaced or duplicate tensors are corrupt", async () => {
    await expectRejected(withTensor("t", [8], 0, 32), "corrupt", /offset 32, expected 0/);
    const twoTensors = (second: string, offset: number): Buffer =>
      new RawGguf()
        .header(2, 1)
        .stringKey("general.architecture", "llama")
        .tensorInfo("a", [8], 0, 0)
        .tensorInfo(second, [8], 0, offset)
        .pad()
        .zeros(64)
        .bytes();
    await expectRejected(twoTensors("b", 0), "corrupt", /expected 32/);
    await expectRejected(twoTensors("b", 40), "corrupt");
    await expectRejected(twoTensors("a", 32), "corrupt", /appears twice/);
    expect((await readGgufHeader(fileWith(twoTensors("b", 32)))).tensors).toHaveLength(2);
  });

  it("tensor data past the end of the file is truncated", async () => {
    const header = new RawGguf()
      .header(1, 1)
      .stringKey("general.architecture", "llama")
      .tensorInfo("t", [1024, 1024], 0, 0)
      .pad();
    await expectRejected(header.zeros(1000).bytes(), "truncated", /need \d+ bytes but the file has only/);
  });
});

describe("cut-off files", () => {
  const whole = sampleGguf();

  it("every cut inside header, tensor infos or tensor data is truncated; the whole file reads", async () => {
    const full = await readGgufHeader(fileWith(whole));
    const needed = full.dataOffset + full.dataSize;
    const path = temp.file("cut.gguf");
    for (let length = 0; length < whole.length; length++) {
      writeBytes(path, whole.subarray(0, length));
      if (length >= needed) {
        // Only the padding after the last tensor is missing: llama.cpp does not need it either.
        await expect(readGgufHeader(path)).resolves.toMatchObject({ architecture: "llama" });
        continue;
      }
      const error = await rejection(path);
      expect(error.code, `cut at ${length}: ${error.message}`).toBe("truncated");
    }
  });
});

describe("fuzzed headers", () => {
  /** Mutations a damaged download or a hostile file might bring. */
  function mutate(original: Uint8Array, random: () => number, headerLength: number): Uint8Array {
    const bytes = Uint8Array.from(original);
    const at = () => Math.floor(random() * headerLength);
    const kind = Math.floor(random() * 5);
    if (kind === 0) {
      for (let i = 0; i < 1 + random() * 4; i++) bytes[at()] = Math.floor(random() * 256);
    } else if (kind === 1) {
      // Overwrite 8 bytes with an extreme u64 (a huge count or length).
      const where = at();
      const view = new DataView(bytes.buffer);
      if (where + 8 <= bytes.length)
        view.setBigUint64(
          where,
          [2n ** 63n, 2n ** 64n - 1n, 2n ** 32n, 0n][Math.floor(random() * 4)] ?? 0n,
          true,
        );
    } else if (kind === 2) {
      return bytes.subarray(0, at());
    } else if (kind === 3) {
      const where = at();
      return Uint8Array.from([
        ...bytes.subarray(0, where),
        ...bytes.subarray(where + 1 + Math.floor(random() * 8)),
      ]);
    } else {
      const where = at();
      const inserted = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256));
      return Uint8Array.from([...bytes.subarray(0, where), ...inserted, ...bytes.subarray(where)]);
    }
    return bytes;
  }

  it("400 mutated files either read consistently or give a ModelFileError, quickly", async () => {
    const original = writeGguf({
      metadata: {
        "general.architecture": gguf.str("llama"),
        "llama.context_length": gguf.u32(2048),
        "tokenizer.ggml.tokens": gguf.strings(Array.from({ length: 40 }, (_, i) => `piece${i}`)),
        "tokenizer.ggml.scores": gguf.f32s(new Float32Array(40)),
      },
      tensors: [
        { name: "a", dims: [8], type: "F32", values: new Float32Array(8) },
        { name: "b", dims: [32, 2], type: "Q8_0", values: new Float32Array(64) },
      ],
    });
    const headerLength = (await readGgufHeader(fileWith(original))).dataOffset;
    const random = seededRandom(20240601);
    const path = temp.file("fuzz.gguf");
    const codes = new Map<string, number>();
    for (let trial = 0; trial < 400; trial++) {
      const bytes = mutate(original, random, headerLength);
      writeBytes(path, bytes);
      const started = performance.now();
      try {
        const header = await readGgufHeader(path);
        expect(header.dataOffset + header.dataSize).toBeLessThanOrEqual(bytes.length);
        expect(header.dataOffset % header.alignment).toBe(0);
        codes.set("ok", (codes.get("ok") ?? 0) + 1);
      } catch (error) {
        if (!(error instanceof ModelFileError)) throw new Error(`trial ${trial}: ${String(error)}`);
        codes.set(error.code, (codes.get(error.code) ?? 0) + 1);
      }
      // A guard against loops driven by the file's counts, not a speed budget (each read takes ~1 ms).
      expect(performance.now() - started).toBeLessThan(5000);
    }
    // The mutations reach all the main outcomes, not just one early check.
    for (const code of ["ok", "truncated", "corrupt", "not-gguf"])
      expect(codes.get(code) ?? 0, code).toBeGreaterThan(0);
  });
});

describe("large files", () => {
  it("checks a 3 GiB (sparse) model file by reading its header only", async () => {
    const dims = [4096, 196_608];
    const header = new RawGguf()
      .header(1, 1)
      .stringKey("general.architecture", "llama")
      .tensorInfo("big.weight", dims, 0, 0)
      .pad()
      .bytes();
    const path = temp.file("big.gguf");
    const fd = openSync(path, "w");
    try {
      writeSync(fd, header);
      ftruncateSync(fd, header.length + 4096 * 196_608 * 4);
    } finally {
      closeSync(fd);
    }
    const started = performance.now();
    const result = await readGgufHeader(path);
    expect(result.tensors[0]?.byteSize).toBe(3 * 2 ** 30);
    // Reading the data would take seconds; the header alone takes milliseconds.
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
