/**
 * Loads the tiny random models in the real node-llama-cpp (plain Node, CPU, one thread) and
 * generates under a grammar. Only files our own writer made and our header reader accepted are
 * loaded here: a malformed GGUF can abort the whole test process inside llama.cpp.
 */
import type { Llama, LlamaModel } from "node-llama-cpp";
import llamaTokenizer from "llama-tokenizer-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readGgufHeader } from "../../src/agent/model/gguf-header";
import { smallVocabulary, writeTinyModel, type TinyModelOptions } from "../../src/agent/model/tiny-model";
import { makeTempDir } from "./helpers";

const temp = makeTempDir();
let llama: Llama;

beforeAll(async () => {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  // One thread: on the 2-core CI machine the default threading is hundreds of times slower.
  llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error });
}, 60_000);

afterAll(async () => {
  await llama?.dispose();
  temp.remove();
});

async function loadTinyModel(options: TinyModelOptions): Promise<LlamaModel> {
  const path = temp.file(`${options.name ?? options.vocab ?? "small"}-${options.seed ?? 1}.gguf`);
  await writeTinyModel(path, options);
  await readGgufHeader(path);
  return llama.loadModel({ modelPath: path });
}

/** Generates once under `grammar` from `prompt` in a fresh context (2,048 tokens unless given). */
async function generate(
  model: LlamaModel,
  prompt: string,
  grammarText: string,
  {
    contextSize = 2048,
    maxTokens = 64,
    ...sampling
  }: { contextSize?: number; maxTokens?: number; temperature?: number; seed?: number } = {},
): Promise<string> {
  const { LlamaCompletion } = await import("node-llama-cpp");
  const context = await model.createContext({ contextSize });
  try {
    const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
    const grammar = await llama.createGrammar({ grammar: grammarText });
    return await completion.generateCompletion(prompt, { grammar, maxTokens, ...sampling });
  } finally {
    await context.dispose();
  }
}

const STEP_GRAMMAR = 'root ::= "1. " [a-z]{1,12} "()"';
const STEP_PATTERN = /^1\. [a-z]{1,12}\(\)$/;

describe("tiny model with the small vocabulary in node-llama-cpp", () => {
  let model: LlamaModel;
  beforeAll(async () => {
    model = await loadTinyModel({ vocab: "small", seed: 1 });
  });

  it("reports the vocabulary's special tokens", () => {
    expect(model.tokens.bos).toBe(1);
    expect(model.tokens.eos).toBe(2);
  });

  it("tokenizes any text, using byte tokens for what has no piece, and detokenizes it back", () => {
    for (const text of ['1. get_email_address("Sid")', "Ünïcødé ✓ 🍕\n\ttabs", "join()<END_OF_PLAN>"]) {
      const tokens = model.tokenize(text);
      expect(tokens.every((token) => token >= 0 && token < smallVocabulary().tokens.length)).toBe(true);
      expect(model.detokenize(tokens)).toBe(text);
    }
    // Whole words of the plan language are single pieces (llama.cpp adds the leading "▁" itself).
    expect(model.tokenize("get_email_address")).toHaveLength(1);
  });

  it("generates only what the grammar allows, greedy and sampled", async () => {
    expect(await generate(model, "Question: plan it\n", STEP_GRAMMAR)).toMatch(STEP_PATTERN);
    for (const seed of [1, 2, 3]) {
      expect(await generate(model, "Question: plan it\n", STEP_GRAMMAR, { temperature: 1, seed })).toMatch(
        STEP_PATTERN,
      );
    }
  });

  it("can write any string the grammar allows, even one made of byte tokens only", async () => {
    const text = await generate(model, "Q:", 'root ::= "ünï✓" [\\n] "🍕"');
    expect(text).toBe("ünï✓\n🍕");
  });

  it("stops at maxTokens", async () => {
    const { LlamaCompletion } = await import("node-llama-cpp");
    const context = await model.createContext({ contextSize: 2048 });
    try {
      const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
      const grammar = await llama.createGrammar({ grammar: 'root ::= [a-z]+ "." ' });
      const result = await completion.generateCompletionWithMeta("x", { grammar, maxTokens: 5 });
      expect(result.metadata.stopReason).toBe("maxTokens");
      expect(model.tokenize(result.response).length).toBeLessThanOrEqual(5);
    } finally {
      await context.dispose();
    }
  });
});

describe("weight types", () => {
  it.each(["F32", "F16", "Q4_0"] as const)(
    "a model with %s matrices loads and generates",
    async (weightType) => {
      const model = await loadTinyModel({ vocab: "small", seed: 3, weightType, name: weightType });
      try {
        expect(await generate(model, "Question: plan it\n", STEP_GRAMMAR)).toMatch(STEP_PATTERN);
      } finally {
        await model.dispose();
      }
    },
  );
});

describe("tiny model with the TinyLlama vocabulary in node-llama-cpp", () => {
  let model: LlamaModel;
  beforeAll(async () => {
    model = await loadTinyModel({ vocab: "tinyllama", seed: 1 });
  });

  it('tokenizes "Hello world" exactly like LLaMA: [15043, 3186]', () => {
    expect(Array.from(model.tokenize("Hello world"))).toEqual([15043, 3186]);
  });

  it("tokenizes planner-like text exactly like llama-tokenizer-js", () => {
    const texts = [
      'Question: Email Sid the Q3 deck\n1. get_email_address("Sid")\n2. compose_new_email(["$1"], [], "Q3", "Here it is", [])\n3. join()<END_OF_PLAN>',
      "Today's date is Friday 2024-05-03 15:00. Bring $20 for pizza 🍕, café naïve 日本語",
      "  two leading spaces,\ttabs\n\n\nand   runs   of spaces",
      "###\nThought: I need the phone number first.",
    ];
    for (const text of texts) {
      expect(Array.from(model.tokenize(text)), text).toEqual(llamaTokenizer.encode(text, false, true));
    }
  });

  const line =
    "Today's date is Friday 2024-05-03 15:00. Look up email addresses before composing an email.\n";

  it("holds a planner-sized prompt and still generates under the grammar", async () => {
    const prompt = `${line.repeat(40)}Question: plan it\n`;
    const promptTokens = model.tokenize(prompt).length;
    expect(promptTokens).toBeGreaterThan(1400);
    expect(promptTokens).toBeLessThan(2000);
    expect(await generate(model, prompt, STEP_GRAMMAR, { temperature: 1, seed: 7 })).toMatch(STEP_PATTERN);
  });

  it("uses its whole 4,096-token context for a 3,000-token prompt (the reference's longest)", async () => {
    const prompt = `${line.repeat(82)}Question: plan it\n`;
    expect(model.tokenize(prompt).length).toBeGreaterThan(3000);
    expect(await generate(model, prompt, STEP_GRAMMAR, { contextSize: 4096 })).toMatch(STEP_PATTERN);
  });
});
