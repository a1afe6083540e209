import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ROOT, expectExit, runCli } from "../cli/helpers";
import { madeUpWords, scriptsTo, textsOf } from "./osascript-log";

/**
 * With TinyAgent-micro planning, no text written by a model reaches Mail or Notes (issue 14): micro was
 * trained to write plans only, so drafts and notes hold the person's own words. Driven through the real
 * wiring: the built `tinyagent ask` with the Mac backend (TINYAGENT_BACKEND=mac) and a stand-in `osascript`
 * on PATH that records every script; the scripts' texts are read back by the tests' own AppleScript reader.
 */

const FAKE_BIN = join(ROOT, "test", "fixtures", "macos");
let folder: string;
let log: string;
const saved = { ...process.env };

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "tinyagent-micro-mac-"));
  delete process.env.TINYAGENT_MICRO_MODEL; // the shipped model
  process.env.TINYAGENT_THREADS = "1";
  process.env.TINYAGENT_MODELS_DIR = join(folder, "models");
  process.env.TINYAGENT_BACKEND = "mac";
  process.env.PATH = `${FAKE_BIN}${delimiter}${process.env.PATH ?? ""}`;
});

beforeEach(async () => {
  log = join(folder, `osascript-${Date.now()}.jsonl`);
  await writeFile(log, "");
  process.env.FAKE_OSASCRIPT_LOG = log;
});

afterAll(async () => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  await rm(folder, { recursive: true, force: true });
});

interface AskStep {
  tool: string;
  status: string;
  args: Record<string, unknown>;
}

async function ask(request: string): Promise<{ backend: string; steps: AskStep[] }> {
  const result = await runCli(["ask", request, "--model", "micro", "--yes", "--json"], { timeoutMs: 60_000 });
  expectExit(result, 0);
  return JSON.parse(result.stdout) as { backend: string; steps: AskStep[] };
}

describe("TinyAgent-micro on the Mac backend", () => {
  it("drafts an email whose body is the person's own words", async () => {
    const request = "email Sid that the launch moved to friday";
    const answer = await ask(request);
    expect(answer.backend).toBe("macos");
    const draft = answer.steps.find((step) => step.tool === "compose_new_email");
    expect(draft?.status).toBe("done");
    const [script] = scriptsTo(log, "Mail");
    expect(script, "no Mail script ran").toBeDefined();
    const texts = textsOf(script!, "Mail");
    // The body and subject hold the plan's own text from the request; the only other text is the address.
    expect(texts).toContain(String(draft!.args["context"]));
    expect(madeUpWords(texts, request, ["sid@example.com"])).toEqual([]);
  }, 90_000);

  it("creates a note whose text is the person's own words", async () => {
    const request = "make a note called packing list with passport, charger and the green socks";
    const answer = await ask(request);
    const note = answer.steps.find((step) => step.tool === "create_note");
    expect(note?.status).toBe("done");
    const [script] = scriptsTo(log, "Notes");
    expect(script, "no Notes script ran").toBeDefined();
    const texts = textsOf(script!, "Notes");
    expect(texts.join(" ")).toContain(String(note!.args["content"]));
    expect(madeUpWords(texts, request)).toEqual([]);
  }, 90_000);
});
