import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import llamaTokenizer from "llama-tokenizer-js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelFileError } from "../../src/agent/model/gguf-header";
import { checkPlan } from "../../src/agent/plan/check";
import { END_OF_PLAN } from "../../src/agent/plan/plan";
import { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import { TINY_BOUNDS, tinyPlanner } from "./tiny-planner";
import type { PlanRequest, Planner } from "../../src/agent/planner/planner";
import { buildPrompt } from "../../src/agent/prompt/build-prompt";
import { plannerPrompt } from "../../src/agent/prompt/planner-prompt";
import { renderPrompt } from "../../src/agent/prompt/template";
import { wholeReference } from "../../src/agent/plan/references";
import { requestSpans } from "../../src/agent/request/spans";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import type { AnyTool } from "../../src/tools/tool";

const MAX_TOKENS = 3000;
const NOW = new Date("2024-06-03T12:05:00Z");

let folder: string;
let planner: LlamaPlanner;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-planner-"));
  planner = await tinyPlanner(join(folder, "tiny-small.gguf"), { vocab: "small", seed: 11 });
}, 60_000);

afterAll(async () => {
  await planner?.dispose();
  await rm(folder, { recursive: true, force: true });
});

function requestFor(
  tools: readonly AnyTool[],
  question: string,
  extra: Partial<PlanRequest> = {},
): PlanRequest {
  return {
    prompt: buildPrompt({ tools, request: question, now: NOW, timeZone: "UTC" }),
    tools,
    maxTokens: MAX_TOKENS,
    ...extra,
  };
}

async function collect(plannerUnderTest: Planner, request: PlanRequest) {
  const run = plannerUnderTest.plan(request);
  const chunks: string[] = [];
  for await (const chunk of run.text) chunks.push(chunk);
  return { text: chunks.join(""), chunks, stats: await run.done };
}

/** A small deterministic generator, so the tool subsets are the same on every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomTools(next: () => number): AnyTool[] {
  const count = 1 + Math.floor(next() * 4);
  const picked = new Set<AnyTool>();
  while (picked.size < count) picked.add(TOOLS[Math.floor(next() * TOOLS.length)]!);
  return TOOLS.filter((tool) => picked.has(tool));
}

describe("LlamaPlanner with a tiny random-weight model", () => {
  it("writes only valid plans, across many seeds and random tool subsets", async () => {
    const next = random(2024);
    const runs = 40;
    let valid = 0;
    const failures: string[] = [];
    for (let seed = 0; seed < runs; seed++) {
      const tools = randomTools(next);
      const { text, stats } = await collect(
        planner,
        requestFor(tools, `request number ${seed}`, { sampling: { temperature: 1, seed } }),
      );
      const checked = checkPlan(text, defaultRegistry.subset(tools.map((tool) => tool.name)));
      if (checked.valid && stats.stopReason === "end-of-plan") valid++;
      else
        failures.push(
          `seed ${seed} [${tools.map((t) => t.name).join(", ")}]: ${JSON.stringify(checked.problems)}\n${text}`,
        );
    }
    console.info(`valid plans: ${valid} of ${runs}`);
    expect(failures).toEqual([]);
    expect(valid).toBe(runs);
  }, 120_000);

  it("ends generation at the end marker and streams the plan in pieces", async () => {
    const tools = TOOLS.filter((tool) => tool.name === "get_email_address" || tool.name === "send_sms");
    const { text, chunks, stats } = await collect(
      planner,
      requestFor(tools, "text Sid", { sampling: { temperature: 1, seed: 5 } }),
    );
    expect(text.endsWith(`join()${END_OF_PLAN}`) || text.endsWith("join()")).toBe(true);
    expect(stats.stopReason).toBe("end-of-plan");
    expect(chunks.length).toBeGreaterThan(3);
    expect(stats.firstChunkMs).toBeLessThan(stats.totalMs);
  }, 60_000);

  it("stops at maxTokens and says so", async () => {
    const tools = TOOLS.filter((tool) => tool.name === "compose_new_email");
    const { stats } = await collect(
      planner,
      requestFor(tools, "email", { maxTokens: 6, sampling: { temperature: 1, seed: 1 } }),
    );
    expect(stats.stopReason).toBe("max-tokens");
    expect(stats.generatedTokens).toBeLessThanOrEqual(6);
  }, 60_000);

  it("evaluates only what follows the shared prefix on the next request", async () => {
    const tools = TOOLS.filter((tool) => tool.name === "create_note" || tool.name === "open_note");
    const first = await collect(planner, requestFor(tools, "make a note about the trip"));
    const second = await collect(planner, requestFor(tools, "open the note about the budget"));
    expect(first.stats.promptTokens).toBeGreaterThan(500);
    // Everything up to the question is shared; only the question's own tokens (and the one token
    // llama.cpp always evaluates to sample from) are new.
    expect(second.stats.evaluatedTokens).toBeGreaterThan(0);
    expect(second.stats.evaluatedTokens).toBeLessThan(30);
    expect(second.stats.promptTokens).toBeGreaterThan(500);
  }, 60_000);

  it("warms up: after warmUp, the request evaluates only the tokens warmUp left for it", async () => {
    const tools = TOOLS.filter(
      (tool) => tool.name === "maps_open_location" || tool.name === "maps_show_directions",
    );
    const request = requestFor(tools, "how do I get to the station");
    await planner.warmUp(request.prompt);
    const { stats } = await collect(planner, request);
    expect(stats.promptTokens).toBeGreaterThan(500);
    expect(stats.evaluatedTokens).toBeLessThanOrEqual(2);
  }, 60_000);

  it("stops when the request is aborted", async () => {
    const controller = new AbortController();
    const tools = TOOLS.filter((tool) => tool.name === "compose_new_email");
    const run = planner.plan(
      requestFor(tools, "email", { signal: controller.signal, sampling: { temperature: 1, seed: 2 } }),
    );
    for await (const chunk of run.text) {
      void chunk;
      controller.abort();
    }
    const stats = await run.done;
    expect(stats.stopReason).toBe("aborted");
  }, 60_000);

  it("ends a request aborted before the model starts writing as aborted, not failed", async () => {
    // A Stop can arrive while the prompt is set up (the planner process gets "plan" and "abort" together).
    const tools = TOOLS.filter((tool) => tool.name === "compose_new_email");
    const { text, stats } = await collect(
      planner,
      requestFor(tools, "email", { signal: AbortSignal.abort() }),
    );
    expect(text).toBe("");
    expect(stats.stopReason).toBe("aborted");
  }, 60_000);
});

describe("prompt templates", () => {
  it.each(["alpaca", "model"] as const)(
    "plans under the %s template too",
    async (template) => {
      const other = await LlamaPlanner.load({
        modelPath: join(folder, "tiny-small.gguf"),
        template,
        contextSize: 4096,
        maxThreads: 1,
        gpu: false,
        grammar: TINY_BOUNDS,
      });
      try {
        const tools = TOOLS.filter((tool) => tool.name === "create_note");
        const { text } = await collect(
          other,
          requestFor(tools, "note: buy milk", { sampling: { temperature: 1, seed: 9 } }),
        );
        expect(checkPlan(text, defaultRegistry.subset(["create_note"])).valid).toBe(true);
      } finally {
        await other.dispose();
      }
    },
    60_000,
  );
});

describe("the micro profile: compact prompt, copying from the request", () => {
  const copied: Record<string, number> = { get_phone_number: 0, open_note: 0, maps_open_location: 0 };

  it("plans valid plans whose names, notes and places are spans of the request, and warms up", async () => {
    const micro = await LlamaPlanner.load({
      modelPath: join(folder, "tiny-small.gguf"),
      template: "plain",
      promptStyle: "micro",
      copyFromRequest: true,
      contextSize: 2048,
      maxThreads: 1,
      gpu: false,
      grammar: TINY_BOUNDS,
    });
    try {
      expect(micro.promptStyle).toBe("micro");
      const tools = TOOLS.filter((tool) => tool.name in copied || tool.name === "send_sms");
      const names = tools.map((tool) => tool.name);
      const question = "text Sid's mom, open my packing list note and show me Gare du Nord";
      const spans = new Set(requestSpans(question));
      const prompt = plannerPrompt("micro", { tools, request: question, now: NOW, timeZone: "UTC" });
      await micro.warmUp(prompt);
      for (let seed = 1; seed <= 6; seed++) {
        const { text, stats } = await collect(micro, {
          prompt,
          tools,
          request: question,
          maxTokens: MAX_TOKENS,
          sampling: { temperature: 1, seed },
        });
        // Warmed up: only the plan's own text is evaluated again, when a refused join starts a new round.
        if (seed === 1) expect(stats.evaluatedTokens).toBeLessThanOrEqual(2 + stats.generatedTokens);
        expect(stats.promptTokens).toBeLessThan(200);
        const checked = checkPlan(text, defaultRegistry.subset(names));
        expect(checked.valid, text).toBe(true);
        for (const step of checked.plan.steps) {
          const position = copied[step.tool];
          const value = position === undefined ? undefined : step.args[position];
          if (typeof value !== "string" || wholeReference(value) !== undefined) continue;
          expect(spans.has(value) || ["Me", "Home", "Work"].includes(value), `${value} in ${text}`).toBe(
            true,
          );
        }
      }
    } finally {
      await micro.dispose();
    }
  }, 120_000);
});

describe("token counts", () => {
  it("match the TinyLlama vocabulary for a model that carries it", async () => {
    const tinyllama = await tinyPlanner(join(folder, "tiny-tinyllama.gguf"), { vocab: "tinyllama", seed: 3 });
    try {
      const tools = TOOLS.filter((tool) => tool.name === "maps_open_location");
      const request = requestFor(tools, "show me the Ferry Building", { maxTokens: 4 });
      const { stats } = await collect(tinyllama, request);
      const reference = llamaTokenizer.encode(renderPrompt(request.prompt, "raw"), true).length;
      expect(stats.promptTokens).toBe(reference);
      expect(tinyllama.countTokens("Hello world")).toBe(2);
    } finally {
      await tinyllama.dispose();
    }
  }, 60_000);
});

describe("bad model files", () => {
  it("refuses a file that is not a model, before native code sees it", async () => {
    const path = join(folder, "page.gguf");
    await writeFile(path, "<html><head><title>Not found</title></head></html>");
    await expect(LlamaPlanner.load({ modelPath: path, template: "raw" })).rejects.toBeInstanceOf(
      ModelFileError,
    );
  });

  it("refuses a truncated model with a message saying what to do", async () => {
    const path = join(folder, "tiny-small.gguf");
    const bytes = await import("node:fs/promises").then((fs) => fs.readFile(path));
    const cut = join(folder, "cut.gguf");
    await writeFile(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const error = await LlamaPlanner.load({ modelPath: cut, template: "raw" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).message).toMatch(/download it again|another model/);
  });
});
