import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MICRO_FALLBACK_NOTICE } from "../../src/cli/plan-command";
import { wholeReference } from "../../src/agent/plan/references";
import { requestSpans } from "../../src/agent/request/spans";
import { parsePlan } from "../../src/agent/plan/parse";
import { writeTinyModel } from "../../src/agent/model/tiny-model";
import { expectExit, ROOT, runCli } from "./helpers";

/**
 * TinyAgent-micro from the command line, with the tiny random-weight model standing in for the shipped
 * file (TINYAGENT_MICRO_MODEL) and an empty models folder, so nothing counts as downloaded. Random weights
 * write junk, but the grammar still holds every copied argument to the request's words.
 */

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-cli-micro-"));
  await writeTinyModel(join(folder, "micro.gguf"), { vocab: "small", seed: 4 });
  process.env.TINYAGENT_THREADS = "1";
  process.env.TINYAGENT_MODELS_DIR = join(folder, "models");
  process.env.TINYAGENT_MICRO_MODEL = join(folder, "micro.gguf");
});

afterAll(async () => {
  delete process.env.TINYAGENT_MICRO_MODEL;
  await rm(folder, { recursive: true, force: true });
});

const REQUESTS = [
  "text Sid's mom that I'm running late",
  "directions from the office to Gare du Nord by train",
  "open my packing list note",
  "email Dr. Ana Lopez the Q3 deck",
];

/** The copied arguments of a plan (look-up names, places, note and file names) with their values. */
function copiedValues(plan: string): string[] {
  const copied: Record<string, number[]> = {
    get_phone_number: [0],
    get_email_address: [0],
    maps_open_location: [0],
    maps_show_directions: [0, 1],
    open_note: [0],
    append_note_content: [0],
    open_and_get_file_path: [0],
  };
  return (parsePlan(plan).plan?.steps ?? []).flatMap((step) =>
    (copied[step.tool] ?? []).map((position) => step.args[position]).filter((v) => typeof v === "string"),
  ) as string[];
}

describe("tinyagent with the micro planner", () => {
  it("plan --model micro --jsonl plans with nothing downloaded, copying names and places from the request", async () => {
    const input = REQUESTS.map((query) => JSON.stringify({ query })).join("\n");
    const result = await runCli(["plan", "--model", "micro", "--max-tokens", "300", "--jsonl"], {
      input,
      timeoutMs: 90_000,
    });
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.map((line) => line.query)).toEqual(REQUESTS);
    expect(result.stderr).not.toContain(MICRO_FALLBACK_NOTICE); // the model was named
    let copied = 0;
    for (const line of lines) {
      const plan = line.plan as string;
      expect(plan.startsWith("1. ")).toBe(true);
      // The compact prompt: today, tool names, dates, the request; no descriptions, no examples.
      expect(line.prompt_tokens).toBeLessThan(200);
      expect(["end-of-plan", "max-tokens"]).toContain(line.stop_reason);
      if (line.stop_reason === "end-of-plan") expect(line.valid).toBe(true);
      const spans = new Set(requestSpans(line.query as string));
      for (const value of copiedValues(plan)) {
        copied++;
        const allowed =
          spans.has(value) ||
          wholeReference(value) !== undefined ||
          ["", "Me", "Home", "Work"].includes(value);
        expect(allowed, `${JSON.stringify(value)} in ${plan}`).toBe(true);
      }
    }
    expect(copied).toBeGreaterThan(0);
  }, 120_000);

  it("is the planner when none is downloaded, and says so on stderr with the way to a better one", async () => {
    const result = await runCli(["plan", "--json", "--max-tokens", "200", "text Sid that I'm late"], {
      timeoutMs: 60_000,
    });
    expect(result.stderr.split("\n")[0]).toBe(
      "Using the fast offline planner (TinyAgent-micro). For better plans: tinyagent model download tinyagent-1.1b",
    );
    const report = JSON.parse(result.stdout) as { query: string; plan: string };
    expect(report.query).toBe("text Sid that I'm late");
    expect(report.plan.startsWith("1. ")).toBe(true);
  }, 90_000);

  it("model list shows it installed with the package, and the default", async () => {
    const result = await runCli(["model", "list"]);
    expectExit(result, 0);
    expect(result.stdout).toMatch(/\* micro\s+TinyAgent-micro\s+.+installed \(bundled\)/);
    const download = await runCli(["model", "download", "micro"]);
    expectExit(download, 0);
    expect(download.stderr).toContain("TinyAgent-micro ships with TinyAgent; nothing to download.");
  });

  it("eval --model micro reports names and dates exactness", async () => {
    const out = join(folder, "eval");
    const data = join(ROOT, "test", "fixtures", "eval", "replay.jsonl");
    const result = await runCli(
      ["eval", "--data", data, "--model", "micro", "--limit", "3", "--max-tokens", "300", "--out", out],
      { timeoutMs: 90_000 },
    );
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^TinyAgent-micro: /);
    expect(result.stdout).toMatch(/names exact [\d.]+ % \(requests with look-ups\), dates exact/);
    const report = JSON.parse(await readFile(join(out, "report.json"), "utf8")) as {
      runs: { model: string; summary: { namesExactRate: number | null; validityRate: number | null } }[];
    };
    const run = report.runs.find((r) => r.model === "TinyAgent-micro")!;
    expect(run.summary.namesExactRate).not.toBeNull();
  }, 120_000);
});
