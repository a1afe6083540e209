import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "./helpers";

/**
 * The real TinyAgent-micro, as it ships in models/: `tinyagent plan --model micro --jsonl` from a
 * checkout with nothing downloaded must give valid, finished plans.
 */

const FILE = join(ROOT, "models", "tinyagent-micro.gguf");

const REQUESTS = [
  "text Sid that I'm running 10 minutes late",
  "email Ana Lopez the Q3 deck and put a review on my calendar Friday at 3",
  "directions from home to Gare du Nord by train",
  "add eggs and oat milk to my groceries note",
  "remind me to call mom tomorrow at 6pm",
  "zoom with Priya and Tom next Tuesday 2pm about the launch",
  "summarize the board report pdf and text it to Dad",
  "open the packing list note",
];

let folder: string;
let saved: string | undefined;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-micro-shipped-"));
  saved = process.env.TINYAGENT_MICRO_MODEL;
  delete process.env.TINYAGENT_MICRO_MODEL; // the shipped file itself
  process.env.TINYAGENT_THREADS = "1";
  process.env.TINYAGENT_MODELS_DIR = join(folder, "models");
});

afterAll(async () => {
  if (saved !== undefined) process.env.TINYAGENT_MICRO_MODEL = saved;
  await rm(folder, { recursive: true, force: true });
});

describe("the shipped TinyAgent-micro", () => {
  it("plans every request with a valid, finished plan from a clean checkout", async () => {
    expect(existsSync(FILE), `${FILE} is missing: the package ships it`).toBe(true);
    const input = REQUESTS.map((query) => JSON.stringify({ query })).join("\n");
    const result = await runCli(["plan", "--model", "micro", "--jsonl"], { input, timeoutMs: 120_000 });
    const lines = result.stdout
      .trim()
      .split("\n")
      .map(
        (line) =>
          JSON.parse(line) as { query: string; plan: string | null; valid: boolean; stop_reason: string },
      );
    expect(lines.map((line) => line.query)).toEqual(REQUESTS);
    for (const line of lines) {
      expect(line.plan, `${line.query}: ${result.stderr}`).not.toBeNull();
      expect(line.valid, `${line.query}\n${line.plan}`).toBe(true);
      expect(line.stop_reason, line.query).toBe("end-of-plan");
    }
    expect(result.code).toBe(0);
  }, 180_000);
});
