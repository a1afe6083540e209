import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeTinyModel } from "../../src/agent/model/tiny-model";
import { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { resolveModel } from "../../src/agent/model/model-store";
import { modelTextWriter, textWriterFor } from "../../src/agent/text-writer";

describe("the text-writing sub-agent", () => {
  it("asks the model with the task's instruction and the person's words", async () => {
    const prompts: string[] = [];
    const writer = modelTextWriter({
      writeText: async (prompt) => {
        prompts.push(prompt);
        return "Hi Sid, here is the deck.";
      },
    });
    const body = await writer.write("email-body", "send the Q3 deck to Sid", new AbortController().signal);
    expect(body).toBe("Hi Sid, here is the deck.");
    expect(prompts[0]).toContain("Write the body of an email");
    expect(prompts[0]).toContain("send the Q3 deck to Sid");
  });

  it("writes free text with the real local model (tiny random weights), bounded by its token limit", async () => {
    const folder = await mkdtemp(join(tmpdir(), "tinyagent-writer-"));
    const path = join(folder, "m.gguf");
    await writeTinyModel(path, { vocab: "small", seed: 2 });
    const planner = await LlamaPlanner.load({
      modelPath: path,
      template: "raw",
      maxThreads: 1,
      gpu: false,
      contextSize: 2048,
    });
    try {
      const text = await planner.writeText("Write a note:\n", { maxTokens: 12 });
      expect(typeof text).toBe("string");
      expect(planner.countTokens(text)).toBeLessThanOrEqual(14);
    } finally {
      await planner.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);

  it("is the planner's model only when its profile says it can write: never TinyAgent-micro", async () => {
    const folder = await mkdtemp(join(tmpdir(), "tinyagent-writer-"));
    const path = join(folder, "m.gguf");
    await writeTinyModel(path, { vocab: "small", seed: 2 });
    const saved = process.env.TINYAGENT_MICRO_MODEL;
    delete process.env.TINYAGENT_MICRO_MODEL;
    const micro = await LlamaPlanner.forModel(await resolveModel("micro"), { maxThreads: 1, gpu: false });
    const writing = await LlamaPlanner.load({
      modelPath: path,
      template: "raw",
      maxThreads: 1,
      gpu: false,
      contextSize: 2048,
      writesText: true,
    });
    try {
      expect(MICRO_MODEL.writesText).toBe(false);
      expect(micro.writer).toBeUndefined();
      expect(textWriterFor(micro)).toBeUndefined();
      expect(writing.writer).toBeDefined();
      const text = await textWriterFor(writing)!.write("note", "eggs and milk", new AbortController().signal);
      expect(typeof text).toBe("string");
    } finally {
      if (saved !== undefined) process.env.TINYAGENT_MICRO_MODEL = saved;
      await micro.dispose();
      await writing.dispose();
      await rm(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
