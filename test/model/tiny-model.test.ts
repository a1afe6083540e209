import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { readGgufHeader } from "../../src/agent/model/gguf-header";
import {
  buildTinyModel,
  smallVocabulary,
  tinyLlamaVocabulary,
  writeTinyModel,
} from "../../src/agent/model/tiny-model";
import { makeTempDir } from "./helpers";

const temp = makeTempDir();
afterAll(() => temp.remove());

const LAYER_TENSORS = [
  "attn_norm",
  "attn_q",
  "attn_k",
  "attn_v",
  "attn_output",
  "ffn_norm",
  "ffn_gate",
  "ffn_up",
  "ffn_down",
];

describe("tiny model file", () => {
  it("is a llama model with the tensors and metadata llama.cpp needs", async () => {
    const path = temp.file("small.gguf");
    const size = await writeTinyModel(path, { seed: 5 });
    const header = await readGgufHeader(path);
    expect(header.fileSize).toBe(size);
    expect(header).toMatchObject({
      architecture: "llama",
      name: "tinyagent-test-small-seed5",
      contextLength: 4096,
      tokenizerModel: "llama",
      vocabSize: smallVocabulary().tokens.length,
    });
    expect(header.tensors.map((tensor) => tensor.name)).toEqual([
      "token_embd.weight",
      ...[0, 1].flatMap((layer) => LAYER_TENSORS.map((name) => `blk.${layer}.${name}.weight`)),
      "output_norm.weight",
      "output.weight",
    ]);
    const byName = new Map(header.tensors.map((tensor) => [tensor.name, tensor]));
    const vocab = header.vocabSize ?? 0;
    // Dimensions are innermost first: token_embd is [n_embd, n_vocab].
    expect(byName.get("token_embd.weight")).toMatchObject({ dims: [64, vocab], type: "Q8_0" });
    expect(byName.get("output.weight")).toMatchObject({ dims: [64, vocab], type: "Q8_0" });
    expect(byName.get("blk.0.attn_k.weight")).toMatchObject({ dims: [64, 32] }); // 2 kv heads of 16
    expect(byName.get("blk.1.ffn_down.weight")).toMatchObject({ dims: [128, 64] });
    expect(byName.get("blk.1.ffn_norm.weight")).toMatchObject({ dims: [64], type: "F32" });
    for (const key of [
      "llama.embedding_length",
      "llama.block_count",
      "llama.feed_forward_length",
      "llama.attention.head_count",
      "llama.attention.head_count_kv",
      "llama.rope.dimension_count",
      "llama.attention.layer_norm_rms_epsilon",
      "tokenizer.ggml.scores",
      "tokenizer.ggml.token_type",
      "tokenizer.ggml.bos_token_id",
      "tokenizer.ggml.eos_token_id",
    ]) {
      expect(header.metadata.has(key), key).toBe(true);
    }
  });

  it("is deterministic for a seed and differs between seeds", async () => {
    const a = await buildTinyModel({ seed: 1 });
    const b = await buildTinyModel({ seed: 1 });
    const c = await buildTinyModel({ seed: 2 });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(c))).toBe(false);
    expect(a.length).toBe(c.length);
  });

  it("takes other sizes and weight types", async () => {
    const path = temp.file("f16.gguf");
    await writeTinyModel(path, {
      layers: 1,
      embedding: 32,
      heads: 2,
      kvHeads: 1,
      feedForward: 64,
      weightType: "Q4_0",
    });
    const header = await readGgufHeader(path);
    expect(header.tensors).toHaveLength(1 + 9 + 2);
    expect(header.tensors[0]).toMatchObject({ dims: [32, header.vocabSize], type: "Q4_0" });
  });

  it("refuses dimensions llama.cpp or the quantization cannot use", async () => {
    await expect(buildTinyModel({ embedding: 48, heads: 4 })).rejects.toThrow(/multiple of 32/);
    await expect(buildTinyModel({ heads: 4, kvHeads: 3 })).rejects.toThrow(/kvHeads must divide heads/);
    await expect(buildTinyModel({ embedding: 64, heads: 64, weightType: "F32" })).rejects.toThrow(
      /head size must be even/,
    );
  });

  it("is written whole or not at all", async () => {
    const path = temp.file("missing-folder/model.gguf");
    await expect(writeTinyModel(path)).rejects.toThrow();
    expect(() => readFileSync(path)).toThrow();
  });
});

describe("small vocabulary", () => {
  const vocab = smallVocabulary();

  it("starts with <unk>, <s>, </s> and the 256 byte tokens, so any text can be tokenized", () => {
    expect(vocab.tokens.slice(0, 3)).toEqual(["<unk>", "<s>", "</s>"]);
    expect(Array.from(vocab.types.subarray(0, 3))).toEqual([2, 3, 3]);
    expect(vocab.tokens[3]).toBe("<0x00>");
    expect(vocab.tokens[3 + 0x0a]).toBe("<0x0A>");
    expect(vocab.tokens[258]).toBe("<0xFF>");
    expect(Array.from(vocab.types.subarray(3, 259)).every((type) => type === 6)).toBe(true);
  });

  it("has unique pieces whose prefixes are all pieces too (SentencePiece builds pieces by merging)", () => {
    const pieces = vocab.tokens.slice(259);
    expect(new Set(pieces).size).toBe(pieces.length);
    const known = new Set(pieces);
    for (const piece of pieces) {
      const chars = [...piece];
      for (let end = 1; end < chars.length; end++)
        expect(known.has(chars.slice(0, end).join("")), piece).toBe(true);
    }
    expect(known.has("▁get_email_address")).toBe(true);
    expect(known.has("join")).toBe(true);
    expect(vocab.tokens.length).toBeLessThan(2000);
  });

  it("scores shorter pieces higher", () => {
    for (let id = 260; id < vocab.tokens.length; id++) {
      expect(vocab.scores[id] ?? 0).toBeLessThan(vocab.scores[id - 1] ?? 0);
    }
  });
});

describe("TinyLlama vocabulary", () => {
  it("has the 32,000 LLaMA pieces with SentencePiece types and merge-derived scores", async () => {
    const vocab = await tinyLlamaVocabulary();
    expect(vocab.tokens).toHaveLength(32000);
    expect(vocab.tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    expect(Array.from(vocab.types.subarray(0, 3))).toEqual([2, 3, 3]);
    expect(vocab.types[258]).toBe(6);
    expect(vocab.types[259]).toBe(1);
    expect(vocab.tokens[15043]).toBe("▁Hello");
    expect(vocab.tokens[3186]).toBe("▁world");
    // Earlier merges score higher, and single characters (never a merge result) lowest of all.
    const score = (id: number) => vocab.scores[id] ?? NaN;
    expect(score(260)).toBeGreaterThan(score(15043)); // "▁t" is the first merge
    expect(score(15043)).toBeGreaterThan(score(29871)); // "▁" alone
  });
});
