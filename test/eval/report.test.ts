import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chartSvg } from "../../src/agent/eval/chart-svg";
import { readRuns, writeEvalReport, type EvalRun } from "../../src/agent/eval/eval-report";
import type { EvalSummary, RequestRecord } from "../../src/agent/eval/metrics";
import { markdownReport } from "../../src/agent/eval/report-markdown";

function summary(successRate: number, p50: number): EvalSummary {
  return {
    requests: 10,
    inDomain: 9,
    outOfDomain: 1,
    outOfDomainRejected: 1,
    planned: 9,
    errors: 0,
    successRate,
    validityRate: 1,
    toolRecall: 0.95,
    toolPrecision: 0.5,
    toolsPerRequest: 2.5,
    toolSetMatchRate: 0.625,
    keyArgumentAccuracy: 0.75,
    argumentsExactRate: 0.5,
    namesExactRate: 0.9,
    datesExactRate: 0.25,
    textArguments: 40,
    ungroundedArguments: 2,
    promptTokens: { p50: 987, p95: 1234 },
    evaluatedTokens: { p50: 100, p95: 900 },
    firstStepMs: { p50: p50 / 2, p95: p50 },
    totalMs: { p50, p95: p50 * 2 },
  };
}

function run(model: string, successRate: number, p50: number): Omit<EvalRun, "requestsFile"> {
  return {
    model,
    planner: "local",
    tools: "tool-rag",
    data: "test.jsonl",
    date: "2024-06-03T09:00:00.000Z",
    machine: "test machine",
    modelBytes: 668_000_000,
    summary: summary(successRate, p50),
    malformed: [{ line: 4, message: '"plan" is missing' }],
  };
}

const RECORD = { line: 1, query: "text mom" } as RequestRecord;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "tinyagent-eval-report-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("evaluation report", () => {
  it("merges runs in one folder: a new model is added, the same model's new run replaces its old one", async () => {
    await writeEvalReport(dir, run("Model A", 0.5, 100), [RECORD]);
    await writeEvalReport(dir, run("Model B", 0.75, 2000), [RECORD, RECORD]);
    const runs = await writeEvalReport(dir, run("Model A", 0.625, 150), [RECORD]);
    expect(runs.map((r) => [r.model, r.summary.successRate])).toEqual([
      ["Model B", 0.75],
      ["Model A", 0.625],
    ]);
    expect(await readRuns(join(dir, "report.json"))).toEqual(runs);
    const lines = (await readFile(join(dir, runs[0]!.requestsFile), "utf8")).trim().split("\n");
    expect(lines.map((line) => JSON.parse(line))).toEqual([RECORD, RECORD]);
    const markdown = await readFile(join(dir, "report.md"), "utf8");
    expect(markdown).toContain(
      "| Model A | test.jsonl | tool-rag | 9 | 62.5 % | 987 | 150 ms / 300 ms | 668 MB |",
    );
    expect(markdown).toContain(
      "| Model B | test.jsonl | tool-rag | 9 | 75.0 % | 987 | 2.0 s / 4.0 s | 668 MB |",
    );
    // Only the latest run of Model A is in the table.
    expect(markdown.match(/^\| Model A \| test\.jsonl \| tool-rag \| 9 \|/gm)).toHaveLength(1);
    expect(await readFile(join(dir, "chart.svg"), "utf8")).toBe(chartSvg(runs));
  });

  it("refuses to merge into a file that is not an evaluation report", async () => {
    await writeFile(join(dir, "report.json"), JSON.stringify({ hello: "world" }));
    await expect(writeEvalReport(dir, run("Model A", 0.5, 100), [])).rejects.toThrow(
      /not a TinyAgent evaluation report/,
    );
  });

  it("writes the paper's rows beside ours in the table, with the details of each run", () => {
    const markdown = markdownReport([{ ...run("Model A", 0.5, 100), requestsFile: "r.jsonl" }]);
    expect(markdown).toContain(
      "| TinyAgent-1.1B + ToolRAG (paper) | paper's test set | tool-rag | — | 80.06 % | 1,397 | 2.9 s | 668 MB |",
    );
    expect(markdown).toContain("| GPT-4-Turbo (paper) |");
    expect(markdown).toContain(
      "| Model A | test.jsonl | tool-rag | 100.0 % | 0.950 | 0.500 | 2.50 | 62.5 % | 75.0 % | 50.0 % | 90.0 % | 25.0 % | 2 / 40 | 50 ms / 100 ms | 1 / 1 | 0 | 1 |",
    );
  });
});

describe("chart", () => {
  const points = (svg: string) =>
    [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
    }));

  it("places each run by success (linear) and latency (log scale), and names it in the legend", () => {
    const runs = [
      { ...run("Fast & small <1B>", 0.5, 10), requestsFile: "a" },
      { ...run("Slow", 1, 1000), requestsFile: "b" },
    ];
    const svg = chartSvg(runs);
    expect(svg).toContain("Fast &amp; small &lt;1B&gt;");
    expect(svg).toContain(">Slow</text>");
    expect(svg).toContain("TinyAgent-1.1B + ToolRAG (paper)");
    // Plot and legend markers: two per run.
    const [fast, slow] = points(svg);
    const top = 60;
    const bottom = 420;
    expect(slow!.y).toBeCloseTo(top);
    expect(fast!.y).toBeCloseTo((top + bottom) / 2);
    // 10 ms, 1 s and the paper's 2.9 s span the decades 10 ms .. 10 s: 1 s is two thirds across.
    expect((slow!.x - fast!.x) / (560 - 80)).toBeCloseTo(2 / 3);
    expect(svg.match(/<svg /g)).toHaveLength(1);
    expect(svg.trim().endsWith("</svg>")).toBe(true);
  });

  it("says which runs it cannot plot instead of dropping them silently", () => {
    const empty = { ...run("No plans", 0, 0), requestsFile: "c" };
    empty.summary = { ...empty.summary, successRate: null, totalMs: { p50: null, p95: null } };
    expect(chartSvg([empty])).toContain("1 run(s) without a latency or success rate are not plotted.");
  });
});
