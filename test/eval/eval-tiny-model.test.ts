import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { summarize } from "../../src/agent/eval/metrics";
import { runEval } from "../../src/agent/eval/run-eval";
import type { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import { loadRetrievalExamples, ToolClassifier } from "../../src/agent/toolrag/classifier";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";
import { tinyPlanner } from "../planner/tiny-planner";

const DATA = join(import.meta.dirname, "..", "fixtures", "eval", "replay.jsonl");

let folder: string;
let planner: LlamaPlanner;
let classifier: ToolClassifier;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-eval-tiny-"));
  planner = await tinyPlanner(join(folder, "tiny.gguf"), { vocab: "small", seed: 7 });
  classifier = await ToolClassifier.load();
}, 60_000);

afterAll(async () => {
  await planner?.dispose();
  await classifier?.dispose();
  await rm(folder, { recursive: true, force: true });
});

describe("tinyagent eval with the tiny random-weight model", () => {
  it("plans every request through Tool RAG and the grammar: all plans valid, every figure measured", async () => {
    const { requests, errors } = readEvalData(await readFile(DATA, "utf8"), { limit: 4 });
    expect(errors).toEqual([]);
    const selector = new ToolRag({
      classifier,
      registry: defaultRegistry,
      examples: await loadRetrievalExamples(),
    });
    const records = await runEval(requests, {
      planner,
      selector,
      registry: defaultRegistry,
      maxTokens: 3000,
    });
    const summary = summarize(records);
    expect(summary.errors).toBe(0);
    expect(summary.planned).toBe(summary.requests - records.filter((r) => r.outcome === "no-tools").length);
    expect(summary.planned).toBeGreaterThan(0);
    expect(summary.validityRate).toBe(1);
    for (const record of records.filter((r) => r.outcome === "plan")) {
      expect(record.stats!.stopReason).toBe("end-of-plan");
      expect(record.stats!.promptTokens).toBeGreaterThan(500);
      expect(record.firstStepMs).not.toBeNull();
      // Every tool of the plan is one the selector offered.
      expect(record.plan!.match(/\b[a-z_]+(?=\()/g)!.filter((t) => t !== "join")).toSatisfy(
        (tools: string[]) => tools.every((tool) => record.selected.includes(tool)),
      );
    }
    expect(summary.toolRecall).not.toBeNull();
    expect(summary.toolPrecision).not.toBeNull();
    expect(summary.successRate).not.toBeNull();
    expect(summary.keyArgumentAccuracy).not.toBeNull();
    expect(summary.promptTokens.p50).toBeGreaterThan(500);
    expect(summary.totalMs.p95).toBeGreaterThanOrEqual(summary.totalMs.p50!);
  }, 120_000);
});
