import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ask, type ToolSelector } from "../../src/agent/agent";
import type { ConfirmationRequest } from "../../src/agent/executor/executor";
import { answerFor } from "../../src/agent/join/answer";
import type { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import type { PlanRequest, Planner, PlanningRun } from "../../src/agent/planner/planner";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import { ScriptedPlanner } from "../commands/helpers";
import { tinyPlanner } from "../planner/tiny-planner";

/**
 * The replan prompt through a real model: the tiny random-weight GGUF written at test time, loaded by
 * node-llama-cpp. The first plan is scripted, so its second look-up surely fails (nobody is called Jon);
 * the second plan is the tiny model's own, decoded with the plan grammar from the replan prompt. Random
 * weights plan nonsense, so what is checked is what must hold for any second plan: it is asked for once,
 * with the previous plan and its observations; it is a valid plan; its run ends in the recording
 * backend; nothing that already ran runs again; and every side effect it reaches is confirmed first.
 */

const FIRST = `1. get_phone_number("Sid")
2. get_phone_number("Jon")
3. send_sms(["$1", "$2"], "I'm late")
4. join()<END_OF_PLAN>`;

let folder: string;
let model: LlamaPlanner;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-replan-"));
  model = await tinyPlanner(join(folder, "tiny.gguf"), { vocab: "small", seed: 1 });
}, 120_000);

afterAll(async () => {
  await model?.dispose();
  await rm(folder, { recursive: true, force: true });
});

/** Round one from a script, round two (the replan) from the tiny model. */
class ThenModel implements Planner {
  readonly name = "scripted, then the tiny model";
  readonly requests: PlanRequest[] = [];
  constructor(private readonly second: Planner) {}
  plan(request: PlanRequest): PlanningRun {
    this.requests.push(request);
    return this.requests.length === 1 ? new ScriptedPlanner(FIRST).plan(request) : this.second.plan(request);
  }
  async dispose(): Promise<void> {}
}

const TWO_TOOLS: ToolSelector = {
  select: async () => defaultRegistry.subset(["get_phone_number", "send_sms"]).tools,
};

describe("replanning with the tiny model", () => {
  it("asks the model once for a second plan and runs it without repeating or skipping a confirmation", async () => {
    const planner = new ThenModel(model);
    const backend = new RecordingBackend({ timeZone: "Europe/Paris" });
    const confirmed: ConfirmationRequest[] = [];
    const retries: string[] = [];
    const outcome = await ask("text Sid and Jon I'm late", {
      planner,
      selector: TWO_TOOLS,
      registry: defaultRegistry,
      backend,
      examples: [],
      requestTime: new Date("2024-06-03T09:00:00Z"),
      timeZone: "Europe/Paris",
      maxTokens: 400,
      confirm: async (question) => {
        confirmed.push(question);
        return { decision: "approve" };
      },
      onReplan: ({ reason }) => retries.push(reason),
    });
    if (outcome.kind !== "ran") throw new Error("expected a run");

    expect(retries).toEqual([
      'Look up Jon’s phone number failed: No contact named "Jon" in Contacts. Check the spelling, or give their phone number.',
    ]);
    expect(planner.requests).toHaveLength(2);
    const replan = planner.requests[1]!;
    expect(replan.prompt.user).toContain(
      'Previous Plan:\n\n1. get_phone_number("Sid")\nObservation: +1 (415) 555-0142',
    );
    expect(replan.prompt.user.endsWith("Current Plan:\n")).toBe(true);
    expect(replan.tools.map((tool) => tool.name)).toEqual(["get_phone_number", "send_sms"]);

    // The model's plan is valid (the grammar holds it), and its run ended with an outcome for every step.
    expect(outcome.checked.valid, outcome.text).toBe(true);
    expect(outcome.earlier?.result.outcomes.map((o) => o.status)).toEqual(["done", "failed", "skipped"]);
    expect(outcome.result.cancelled).toBe(false);
    expect(outcome.result.outcomes.map((o) => o.step.index)).toEqual(
      outcome.checked.plan.steps.map((s) => s.index),
    );

    // Sid's number was looked up once, whatever the second plan asked.
    const sid = backend.calls.filter(
      (call) => call.tool === "get_phone_number" && call.args["name"] === "Sid",
    );
    expect(sid).toHaveLength(1);
    // Every text that reached Messages was confirmed first, with exactly those arguments.
    const texts = backend.calls.filter((call) => call.tool === "send_sms");
    // This seed's second plan texts (nonsense): the check below is not empty.
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts)
      expect(confirmed.some((c) => JSON.stringify(c.args) === JSON.stringify(text.args))).toBe(true);
    expect(confirmed.length).toBeGreaterThanOrEqual(texts.length);
    expect(answerFor(outcome.result, outcome.earlier?.result)).toMatch(/^[^\n]+$/u);
  }, 120_000);
});
