import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import type { PlanRequest } from "../../src/agent/planner/planner";
import { WarmSequences } from "../../src/agent/planner/warm-sequences";
import { buildPrompt } from "../../src/agent/prompt/build-prompt";
import { TOOLS } from "../../src/tools/registry";
import { TINY_BOUNDS, tinyPlanner } from "./tiny-planner";

describe("WarmSequences.pick", () => {
  const held = (...contextTokens: number[][]) =>
    new WarmSequences(contextTokens.map((tokens) => ({ contextTokens: tokens })));

  it("picks the sequence sharing the longest prefix", () => {
    const pool = held([1, 2, 3, 4], [1, 2, 9, 9], [7, 7, 7, 7]);
    expect(pool.pick([1, 2, 9, 9, 5]).contextTokens).toEqual([1, 2, 9, 9]);
  });

  it("gives a prompt that matches none well to the least recently used sequence", () => {
    const pool = held([1, 2, 3, 4], [1, 2, 9, 9], []);
    pool.pick([1, 2, 3, 4]);
    pool.pick([1, 2, 9, 9]);
    // Sharing 1 of 8 tokens is a weak match: the empty, never used sequence takes it.
    expect(pool.pick([1, 5, 5, 5, 5, 5, 5, 5]).contextTokens).toEqual([]);
  });
});

const NOW = new Date("2024-06-03T12:05:00Z");
const named = (...names: string[]) => TOOLS.filter((tool) => names.includes(tool.name));
/** A day's worth of requests whose tool selections change and come back, as a person's do. */
const STREAM: [string[], string][] = [
  [["get_phone_number", "send_sms"], "text Sid that I am late"],
  [["get_email_address", "compose_new_email"], "email Lutfi the deck"],
  [["create_note", "open_note"], "note the trip"],
  [["get_phone_number", "send_sms"], "text mom I landed"],
  [["get_email_address", "compose_new_email"], "email Ana the notes"],
  [["create_note", "open_note"], "open the budget note"],
  [["get_phone_number", "send_sms"], "text Bo happy birthday"],
];

function requestOf([names, question]: [string[], string]): PlanRequest {
  const tools = named(...names);
  return {
    prompt: buildPrompt({ tools, request: question, now: NOW, timeZone: "UTC" }),
    tools,
    maxTokens: 3000,
  };
}

async function planAll(planner: LlamaPlanner) {
  const plans: string[] = [];
  const evaluated: number[] = [];
  for (const entry of STREAM) {
    const run = planner.plan(requestOf(entry));
    let text = "";
    for await (const chunk of run.text) text += chunk;
    plans.push(text);
    evaluated.push((await run.done).evaluatedTokens);
  }
  return { plans, evaluated: evaluated.slice(1).reduce((sum, n) => sum + n, 0) };
}

describe("LlamaPlanner with warm sequences, on a stream of changing tool selections", () => {
  let folder: string;
  let one: LlamaPlanner;
  let three: LlamaPlanner;

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "tinyagent-warm-"));
    const path = join(folder, "tiny-small.gguf");
    one = await tinyPlanner(path, { vocab: "small", seed: 11 });
    three = await LlamaPlanner.load({
      modelPath: path,
      template: "raw",
      contextSize: 4096,
      warmSequences: 3,
      maxThreads: 1,
      gpu: false,
      grammar: TINY_BOUNDS,
    });
  }, 60_000);

  afterAll(async () => {
    await one?.dispose();
    await three?.dispose();
    await rm(folder, { recursive: true, force: true });
  });

  it("evaluates fewer tokens than one sequence and writes the very same plans", async () => {
    const single = await planAll(one);
    const warm = await planAll(three);
    expect(warm.plans).toEqual(single.plans);
    // One sequence re-evaluates nearly the whole prompt at every change of tools; three keep each
    // selection's prompt, so a request evaluates little more than its question.
    console.info(
      `tokens evaluated after the first: ${single.evaluated} on one sequence, ${warm.evaluated} on three`,
    );
    expect(warm.evaluated).toBeLessThan(single.evaluated / 2);
  }, 120_000);
});
