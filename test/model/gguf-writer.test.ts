import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { readGgufHeader } from "../../src/agent/model/gguf-header";
import {
  decodeQ4_0,
  decodeQ8_0,
  decodeTensor,
  encodeQ4_0,
  encodeQ8_0,
  encodeTensor,
  fromF16Bits,
  gguf,
  toF16Bits,
  writeGguf,
  type EncodableTensorType,
  type GgufWriteValue,
} from "../../src/agent/model/gguf-writer";
import { makeTempDir, ramp, sampleGguf, SAMPLE_TENSORS, seededRandom, writeBytes } from "./helpers";

const temp = makeTempDir();
afterAll(() => temp.remove());

describe("GGUF writer → header reader round trip", () => {
  const metadata: Record<string, GgufWriteValue> = {
    "general.architecture": gguf.str("llama"),
    "general.name": gguf.str("round trip ✓ ünïcode"),
    "llama.context_length": gguf.u32(4096),
    "test.int32": gguf.i32(-7),
    "test.float32": gguf.f32(0.25),
    "test.bool": gguf.bool(true),
    "test.uint8": { type: "uint8", value: 200 },
    "test.int16": { type: "int16", value: -300 },
    "test.uint64": { type: "uint64", value: 2n ** 40n },
    "test.int64": { type: "int64", value: -(2n ** 40n) },
    "test.float64": { type: "float64", value: Math.PI },
    "test.strings": gguf.strings(["a", "▁b", ""]),
    "test.floats": gguf.f32s([1.5, -2]),
    "test.ints": gguf.i32s([-1, 0, 1]),
    "test.uints": gguf.u32s([4294967295]),
    "tokenizer.ggml.model": gguf.str("llama"),
    "tokenizer.ggml.tokens": gguf.strings(Array.from({ length: 300 }, (_, i) => `t${i}`)),
  };
  const tensors = [
    { name: "a.weight", dims: [8], type: "F32" as const, values: ramp(8) },
    { name: "b.weight", dims: [32, 3], type: "Q8_0" as const, values: ramp(96) },
    { name: "c.weight", dims: [64, 2], type: "Q4_0" as const, values: ramp(128) },
    { name: "d.weight", dims: [5, 3], type: "F16" as const, values: ramp(15) },
  ];
  const path = writeBytes(temp.file("round-trip.gguf"), writeGguf({ metadata, tensors }));

  it("reads back every key with its type and value", async () => {
    const header = await readGgufHeader(path);
    expect(header.version).toBe(3);
    expect([...header.metadata.keys()]).toEqual(Object.keys(metadata));
    expect(header.metadata.get("general.name")).toEqual({ type: "string", value: "round trip ✓ ünïcode" });
    expect(header.metadata.get("test.int32")).toEqual({ type: "int32", value: -7 });
    expect(header.metadata.get("test.float32")).toEqual({ type: "float32", value: 0.25 });
    expect(header.metadata.get("test.bool")).toEqual({ type: "bool", value: true });
    expect(header.metadata.get("test.uint8")).toEqual({ type: "uint8", value: 200 });
    expect(header.metadata.get("test.int16")).toEqual({ type: "int16", value: -300 });
    expect(header.metadata.get("test.uint64")).toEqual({ type: "uint64", value: 2n ** 40n });
    expect(header.metadata.get("test.int64")).toEqual({ type: "int64", value: -(2n ** 40n) });
    expect(header.metadata.get("test.float64")).toEqual({ type: "float64", value: Math.PI });
    expect(header.metadata.get("test.strings")).toEqual({
      type: "array",
      itemType: "string",
      length: 3,
      items: ["a", "▁b", ""],
    });
    expect(header.metadata.get("test.floats")).toEqual({
      type: "array",
      itemType: "float32",
      length: 2,
      items: [1.5, -2],
    });
    expect(header.metadata.get("test.ints")).toEqual({
      type: "array",
      itemType: "int32",
      length: 3,
      items: [-1, 0, 1],
    });
    expect(header.metadata.get("test.uints")).toEqual({
      type: "array",
      itemType: "uint32",
      length: 1,
      items: [4294967295],
    });
  });

  it("counts long arrays without keeping them, and summarizes the usual facts", async () => {
    const header = await readGgufHeader(path);
    expect(header.metadata.get("tokenizer.ggml.tokens")).toEqual({
      type: "array",
      itemType: "string",
      length: 300,
    });
    expect(header).toMatchObject({
      architecture: "llama",
      name: "round trip ✓ ünïcode",
      contextLength: 4096,
      tokenizerModel: "llama",
      vocabSize: 300,
      alignment: 32,
    });
    const kept = await readGgufHeader(path, { keepArrayItems: 1000 });
    const tokens = kept.metadata.get("tokenizer.ggml.tokens");
    expect(tokens?.type === "array" && tokens.items?.[299]).toBe("t299");
  });

  it("reads back tensor infos, and the data at their offsets decodes to the values written", async () => {
    const header = await readGgufHeader(path);
    expect(header.tensors.map(({ name, dims, type }) => ({ name, dims, type }))).toEqual(
      tensors.map(({ name, dims, type }) => ({ name, dims, type })),
    );
    expect(header.tensors.map((tensor) => tensor.byteSize)).toEqual([32, 3 * 34, 4 * 18, 30]);
    expect(header.dataOffset % 32).toBe(0);
    const file = readFileSync(path);
    header.tensors.forEach((info, i) => {
      const input = tensors[i];
      if (input === undefined) throw new Error("tensor missing");
      expect(info.offset % 32).toBe(0);
      const start = header.dataOffset + info.offset;
      const decoded = decodeTensor(file.subarray(start, start + info.byteSize), input.type);
      const tolerance = { F32: 0, F16: 1e-3, Q8_0: 0.02, Q4_0: 0.1 }[input.type];
      decoded.forEach((value, j) =>
        expect(Math.abs(value - (input.values[j] ?? NaN))).toBeLessThanOrEqual(tolerance),
      );
    });
    expect(header.dataOffset + header.dataSize).toBeLessThanOrEqual(file.length);
  });

  it("agrees with node-llama-cpp's own GGUF parser", async () => {
    const { readGgufFileInfo } = await import("node-llama-cpp");
    const info = await readGgufFileInfo(path, { logWarnings: false });
    expect(info.version).toBe(3);
    expect(info.metadata.general.architecture).toBe("llama");
    expect(info.metadata.general.name).toBe("round trip ✓ ünïcode");
    expect((info.metadata as unknown as { test: { strings: string[] } }).test.strings).toEqual([
      "a",
      "▁b",
      "",
    ]);
    expect(
      info.tensorInfo?.map((tensor) => [tensor.name, tensor.dimensions.map(Number), tensor.ggmlType]),
    ).toEqual([
      ["a.weight", [8], 0],
      ["b.weight", [32, 3], 8],
      ["c.weight", [64, 2], 2],
      ["d.weight", [5, 3], 1],
    ]);
  });

  it("records a non-default alignment as general.alignment and aligns data to it", async () => {
    const bytes = writeGguf({
      metadata: { "general.architecture": gguf.str("llama") },
      tensors: SAMPLE_TENSORS,
      alignment: 64,
    });
    const header = await readGgufHeader(writeBytes(temp.file("aligned.gguf"), bytes));
    expect(header.metadata.get("general.alignment")).toEqual({ type: "uint32", value: 64 });
    expect(header.alignment).toBe(64);
    expect(header.dataOffset % 64).toBe(0);
    for (const tensor of header.tensors) expect(tensor.offset % 64).toBe(0);
  });

  it("writes version 2 files when asked (same layout)", async () => {
    const bytes = writeGguf({
      metadata: { "general.architecture": gguf.str("llama") },
      tensors: [],
      version: 2,
    });
    expect((await readGgufHeader(writeBytes(temp.file("v2.gguf"), bytes))).version).toBe(2);
  });

  it("is deterministic", () => {
    expect(Buffer.from(sampleGguf()).equals(Buffer.from(sampleGguf()))).toBe(true);
  });
});

describe("GGUF writer refuses tensors llama.cpp would reject", () => {
  const write = (tensor: Parameters<typeof writeGguf>[0]["tensors"][number]) => () =>
    writeGguf({ metadata: {}, tensors: [tensor] });

  it("checks value count, block size, dimensions and name length", () => {
    expect(write({ name: "x", dims: [4, 2], type: "F32", values: new Float32Array(7) })).toThrow(/7 values/);
    expect(write({ name: "x", dims: [16], type: "Q8_0", values: new Float32Array(16) })).toThrow(
      /blocks of 32/,
    );
    expect(write({ name: "x", dims: [1, 1, 1, 1, 1], type: "F32", values: new Float32Array(1) })).toThrow(
      /5 dimensions/,
    );
    expect(write({ name: "x".repeat(64), dims: [1], type: "F32", values: new Float32Array(1) })).toThrow(
      /too long/,
    );
    expect(write({ name: "x", dims: [0], type: "F32", values: new Float32Array(0) })).toThrow(
      /invalid dimensions/,
    );
    expect(write({ name: "x", dims: [256], type: "Q4_K", data: new Uint8Array(100) })).toThrow(
      /expected 144/,
    );
  });

  it("accepts pre-encoded data of any type", () => {
    expect(write({ name: "x", dims: [256], type: "Q4_K", data: new Uint8Array(144) })).not.toThrow();
  });
});

describe("half precision", () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up past the largest half: infinity
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // exactly halfway to zero: ties to even
    [3 * 2 ** -25, 0x0002], // halfway between 1 and 2 subnormal steps: ties to even
    [2 ** -14, 0x0400], // smallest normal
    [1 + 2 ** -11, 0x3c00], // halfway, ties to even (down)
    [1 + 3 * 2 ** -11, 0x3c02], // halfway, ties to even (up)
    [1e-10, 0x0000],
  ])("%s ↔ 0x%s", (value, bits) => {
    expect(toF16Bits(value).toString(16)).toBe(bits.toString(16));
  });

  it("keeps NaN a NaN", () => {
    expect(Number.isNaN(fromF16Bits(toF16Bits(NaN)))).toBe(true);
  });

  it("round-trips every half value exactly", () => {
    const mismatches: number[] = [];
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = fromF16Bits(bits);
      if (!Number.isNaN(value) && toF16Bits(value) !== bits) mismatches.push(bits);
    }
    expect(mismatches).toEqual([]);
  });
});

describe("quantized blocks", () => {
  it("Q8_0 lays out a block as an f16 scale then 32 int8 values", () => {
    const values = Float32Array.from({ length: 32 }, (_, j) => (j === 0 ? -127 : j - 16));
    const block = encodeQ8_0(values);
    expect(block.length).toBe(34);
    expect(new DataView(block.buffer).getUint16(0, true)).toBe(0x3c00); // scale 1.0
    expect(Array.from(new Int8Array(block.buffer, 2, 32))).toEqual(Array.from(values));
  });

  it("Q4_0 lays out a block as an f16 scale then value j in the low and j+16 in the high nibble of byte j", () => {
    // The largest magnitude is -8, so the scale is -8 / -8 = 1 and each nibble is value + 8.
    const values = Float32Array.from({ length: 32 }, (_, j) => (j % 16) - 8);
    const block = encodeQ4_0(values);
    expect(block.length).toBe(18);
    expect(new DataView(block.buffer).getUint16(0, true)).toBe(0x3c00);
    expect(Array.from(block.subarray(2))).toEqual(Array.from({ length: 16 }, (_, j) => j | (j << 4)));
    expect(Array.from(decodeQ4_0(block))).toEqual(Array.from(values));
  });

  it("all-zero blocks encode to zero scales and decode to zeros", () => {
    for (const type of ["Q8_0", "Q4_0"] as const) {
      expect(decodeTensor(encodeTensor(new Float32Array(64), type), type).every((value) => value === 0)).toBe(
        true,
      );
    }
  });

  it.each<Exclude<EncodableTensorType, "F32">>(["F16", "Q8_0", "Q4_0"])(
    "%s round-trips random blocks within its step size",
    (type) => {
      const random = seededRandom(42);
      for (let trial = 0; trial < 50; trial++) {
        // From 0.1 to 1000: far below that the f16 scale itself becomes subnormal and loses precision.
        const magnitude = 10 ** (random() * 4 - 1);
        const values = Float32Array.from({ length: 32 * 4 }, () => (random() * 2 - 1) * magnitude);
        const decoded = decodeTensor(encodeTensor(values, type), type);
        for (let b = 0; b < 4; b++) {
          const block = values.subarray(b * 32, (b + 1) * 32);
          const amax = Math.max(...Array.from(block, Math.abs));
          // Q8_0 rounds to the nearest of 127 steps, plus up to 127 times the f16 rounding of the scale
          // (2^-11 relative): 0.5 + 0.062 steps. Q4_0 has 8 steps on one side and 7 on the other, so
          // values near the maximum on the short side may be off by a whole step.
          const bound = { F16: amax * 2 ** -11, Q8_0: (amax / 127) * 0.57, Q4_0: (amax / 8) * 1.01 }[type];
          block.forEach((value, j) => {
            expect(Math.abs((decoded[b * 32 + j] ?? NaN) - value)).toBeLessThanOrEqual(bound);
          });
        }
      }
    },
  );

  it("Q8_0 error averages well under half a step", () => {
    const random = seededRandom(7);
    const values = Float32Array.from({ length: 32 * 64 }, () => random() * 2 - 1);
    const decoded = decodeQ8_0(encodeQ8_0(values));
    const meanError =
      values.reduce((sum, value, i) => sum + Math.abs(value - (decoded[i] ?? NaN)), 0) / values.length;
    expect(meanError).toBeLessThan(1 / 127 / 2);
  });
});
