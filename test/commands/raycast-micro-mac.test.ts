import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { madeUpWords, scriptsTo, textsOf } from "../macos/osascript-log";
import { untilPhase } from "./helpers";

/**
 * Ask TinyAgent's session as the extension builds it (createAgentSession: the planner the preferences
 * choose, the shipped classifier, the Mac backend with its writer), with TinyAgent-micro planning: the
 * email draft holds the person's own words, never text from micro (issue 14). macOS is the only stand-in:
 * a recording `osascript` on PATH; the engines load by absolute path from a support folder, as in Raycast.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const folders = vi.hoisted(() => ({ supportPath: "", assetsPath: "" }));
vi.mock("@raycast/api", () => ({ environment: folders, getPreferenceValues: () => ({}) }));

const { createAgentSession, plannerInUse } = await import("../../src/commands/raycast-agent");
const { readSettings } = await import("../../src/agent/session/settings");

let root: string;
let log: string;
const saved = { ...process.env };

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tinyagent-raycast-micro-"));
  folders.supportPath = join(root, "support");
  folders.assetsPath = join(ROOT, "assets");
  // The provisioned engines' layout, over this checkout's packages.
  mkdirSync(join(folders.supportPath, "engines", "runtime"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(folders.supportPath, "engines", "runtime", "node_modules"));
  mkdirSync(join(folders.supportPath, "models"), { recursive: true });
  log = join(root, "osascript.jsonl");
  writeFileSync(log, "");
  delete process.env.TINYAGENT_MICRO_MODEL;
  process.env.FAKE_OSASCRIPT_LOG = log;
  process.env.PATH = `${join(ROOT, "test", "fixtures", "macos")}${delimiter}${process.env.PATH ?? ""}`;
});

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  rmSync(root, { recursive: true, force: true });
});

describe("Ask TinyAgent with TinyAgent-micro on the Mac", () => {
  it("drafts the email with the person's own words: micro writes no text", async () => {
    const result = readSettings({ plannerModel: "micro" });
    if (!result.ok) throw new Error(result.message);
    const planner = await plannerInUse(result.settings);
    expect(planner.modelId).toBe("micro");
    const session = createAgentSession(result.settings, planner);
    try {
      const request = "email Sid that the launch moved to friday";
      const run = await session.ask(request);
      const confirming = await untilPhase(run, "confirming", 60_000);
      const draft = confirming.steps.find((step) => step.tool === "compose_new_email");
      expect(draft, confirming.planText).toBeDefined();
      expect(run.confirmAll()).toBe(true);
      const final = await run.done;
      expect(final.steps.find((step) => step.tool === "compose_new_email")?.status).toBe("done");
      const scripts = scriptsTo(log, "Mail");
      expect(scripts).toHaveLength(1);
      expect(madeUpWords(textsOf(scripts[0]!, "Mail"), request, ["sid@example.com"])).toEqual([]);
    } finally {
      await session.dispose();
    }
  }, 90_000);
});
