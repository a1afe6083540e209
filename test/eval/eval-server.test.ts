import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { EvalReportFile } from "../../src/agent/eval/eval-report";
import type { RequestRecord } from "../../src/agent/eval/metrics";
import { main } from "../../src/cli/main";
import { ReplayServer } from "./replay-server";

const DATA = join(import.meta.dirname, "..", "fixtures", "eval", "replay.jsonl");

let dir: string;
let lines: { query: string; plan: string }[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tinyagent-eval-server-"));
  lines = (await readFile(DATA, "utf8"))
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as { query: string; plan: string });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `tinyagent eval ...` in this process and returns its exit status and what it wrote to stderr. */
async function evalCli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  let stderr = "";
  let stdout = "";
  vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const code = await main(["eval", ...args]);
  vi.restoreAllMocks();
  return { code, stderr, stdout };
}

async function report(out: string): Promise<EvalReportFile> {
  return JSON.parse(await readFile(join(out, "report.json"), "utf8")) as EvalReportFile;
}

describe("tinyagent eval against an OpenAI-compatible server", () => {
  it("scores replayed ground-truth plans as 100 % successes with every key argument exact", async () => {
    const server = await ReplayServer.start(new Map(lines.map((l) => [l.query, l.plan])));
    const out = join(dir, "exact");
    try {
      const result = await evalCli([
        "--data",
        DATA,
        "--server",
        server.url,
        "--server-model",
        "replay",
        "--all-tools",
        "--out",
        out,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const [run] = (await report(out)).runs;
      expect(run!.model).toBe(`replay @ ${server.url.replace("http://", "")}`);
      expect(run!.planner).toBe("server");
      expect(run!.summary).toMatchObject({
        requests: lines.length,
        inDomain: lines.length,
        planned: lines.length,
        errors: 0,
        successRate: 1,
        validityRate: 1,
        toolRecall: 1,
        keyArgumentAccuracy: 1,
        argumentsExactRate: 1,
      });
      const records = (await readFile(join(out, run!.requestsFile), "utf8"))
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as RequestRecord);
      // The prompt sizes are the ones the server reported, request by request.
      expect(records.map((r) => r.stats?.promptTokens)).toEqual(
        lines.map((l) => server.promptTokens.get(l.query)),
      );
      for (const record of records) {
        expect(record.firstStepMs).not.toBeNull();
        expect(record.firstStepMs!).toBeLessThanOrEqual(record.totalMs);
      }
      expect(await readFile(join(out, "report.md"), "utf8")).toContain("| 100.0 % |");
      expect(result.stdout).toContain("success 100.0 %");
    } finally {
      await server.close();
    }
  });

  it("reports wrong dates as inexact arguments of successful plans, beside the first run in the same folder", async () => {
    // Every date a day later: same DAG, same tools, wrong dates.
    const shifted = (plan: string) =>
      plan.replace(/2024-06-0(\d)/g, (_, day: string) => `2024-06-0${Number(day) + 1}`);
    const server = await ReplayServer.start(new Map(lines.map((l) => [l.query, l.plan])), shifted);
    const out = join(dir, "exact");
    try {
      const result = await evalCli([
        "--data",
        DATA,
        "--server",
        server.url,
        "--name",
        "Shifted",
        "--all-tools",
        "--out",
        out,
      ]);
      expect(result.code, result.stderr).toBe(0);
      const { runs } = await report(out);
      expect(runs.map((r) => r.model)).toHaveLength(2);
      const run = runs.find((r) => r.model === "Shifted")!;
      const dated = lines.filter((l) => /2024-06-0\d/.test(l.plan)).length;
      expect(dated).toBeGreaterThan(0);
      expect(run.summary.successRate).toBe(1);
      expect(run.summary.argumentsExactRate).toBeCloseTo((lines.length - dated) / lines.length);
      expect(run.summary.keyArgumentAccuracy).toBeLessThan(1);
      const chart = await readFile(join(out, "chart.svg"), "utf8");
      expect(chart).toContain(">Shifted</text>");
      expect(chart).toContain(">replay @ ");
    } finally {
      await server.close();
    }
  });

  it("names malformed lines with their numbers and evaluates the rest, exiting 1", async () => {
    const server = await ReplayServer.start(new Map(lines.map((l) => [l.query, l.plan])));
    const data = join(dir, "broken.jsonl");
    const good = lines.slice(0, 2).map((l) => JSON.stringify(l));
    await writeFile(data, [good[0], '{"query": "no plan"}', "not json at all", good[1]].join("\n"));
    const out = join(dir, "broken");
    try {
      const result = await evalCli(["--data", data, "--server", server.url, "--all-tools", "--out", out]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${data}:2: "plan" is missing`);
      expect(result.stderr).toMatch(new RegExp(`${data}:3: not JSON`));
      const [run] = (await report(out)).runs;
      expect(run!.summary.requests).toBe(2);
      expect(run!.summary.successRate).toBe(1);
      expect(run!.malformed.map((m) => m.line)).toEqual([2, 3]);
    } finally {
      await server.close();
    }
  });

  it("records a server failure per request and goes on", async () => {
    // The server knows only the first question: the others get HTTP 404.
    const server = await ReplayServer.start(new Map([[lines[0]!.query, lines[0]!.plan]]));
    const out = join(dir, "failing");
    try {
      const result = await evalCli([
        "--data",
        DATA,
        "--server",
        server.url,
        "--all-tools",
        "--limit",
        "3",
        "--out",
        out,
      ]);
      expect(result.code).toBe(0);
      const [run] = (await report(out)).runs;
      expect(run!.summary).toMatchObject({ requests: 3, planned: 1, errors: 2 });
      expect(run!.summary.successRate).toBeCloseTo(1 / 3);
    } finally {
      await server.close();
    }
  });
});
