import { describe, expect, it } from "vitest";
import { buildTinyWhisperModel, tinyWhisperHyperparameters } from "../../src/agent/speech/tiny-whisper-model";
import {
  ENGLISH_VOCAB,
  GGML_MAGIC,
  readWhisperHeader,
  whisperTensorShapes,
} from "../../src/agent/speech/whisper-ggml";

describe("whisper.cpp model files", () => {
  it("lists every tensor whisper.cpp creates, matrices and kernels in f16", () => {
    const h = tinyWhisperHyperparameters({ layers: 2 });
    const shapes = whisperTensorShapes(h);
    // whisper.cpp: 7 encoder tensors, 15 per encoder layer, 4 decoder tensors, 24 per decoder layer.
    expect(shapes).toHaveLength(7 + 15 * 2 + 4 + 24 * 2);
    expect(new Set(shapes.map((s) => s.name)).size).toBe(shapes.length);
    const byName = new Map(shapes.map((s) => [s.name, s]));
    expect(byName.get("encoder.conv1.weight")).toEqual({
      name: "encoder.conv1.weight",
      dims: [3, 80, 8],
      type: "f16",
    });
    expect(byName.get("decoder.token_embedding.weight")?.dims).toEqual([8, ENGLISH_VOCAB]);
    expect(byName.get("decoder.blocks.1.cross_attn.key.weight")?.type).toBe("f16");
    expect(byName.get("encoder.conv1.bias")?.type).toBe("f32");
    expect(byName.get("decoder.positional_embedding")?.type).toBe("f32");
    expect(byName.has("encoder.blocks.0.attn.key.bias")).toBe(false);
  });

  it("writes the header whisper.cpp reads, and reads it back", () => {
    const bytes = buildTinyWhisperModel();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true)).toBe(GGML_MAGIC);
    const header = readWhisperHeader(bytes);
    expect(header).toEqual({ hyperparameters: tinyWhisperHyperparameters(), ftype: 1, englishOnly: true });
    // A couple of MB: the token embedding (51,864 × 8 in f16) is most of it.
    expect(bytes.length).toBeGreaterThan(800_000);
    expect(bytes.length).toBeLessThan(3_000_000);
  });

  it("is the same file from the same seed, another from another", () => {
    const a = buildTinyWhisperModel({ seed: 1 });
    expect(Buffer.from(buildTinyWhisperModel({ seed: 1 })).equals(Buffer.from(a))).toBe(true);
    expect(Buffer.from(buildTinyWhisperModel({ seed: 2 })).equals(Buffer.from(a))).toBe(false);
  });

  it("refuses files that are not whisper models before native code sees them", () => {
    const problem = (bytes: Uint8Array) => (readWhisperHeader(bytes) as { problem?: string }).problem;
    expect(problem(new Uint8Array(10))).toMatch(/too short/);
    expect(problem(Buffer.from(`GGUF${"\0".repeat(60)}`))).toMatch(/GGUF file/);
    expect(problem(Buffer.from(`<!doctype html>${" ".repeat(60)}`))).toMatch(/not a whisper\.cpp model/);
    const damaged = Buffer.from(buildTinyWhisperModel().subarray(0, 64));
    damaged.writeInt32LE(0x7fffffff, 4); // vocabulary size
    expect(problem(damaged)).toMatch(/damaged/);
  });
});
