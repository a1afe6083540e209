import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

/**
 * Ask TinyAgent's session as the extension builds it (createAgentSession), opened twice: with the shipped
 * TinyAgent-micro no probe runs at all (issue 20); with a model file of the person's own, the first open
 * probes it in a child process and remembers it in the support folder's models/, the second runs no
 * probe (issue 16, item 5). Probes are counted at `spawn`.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const folders = vi.hoisted(() => ({ supportPath: "", assetsPath: "" }));
const spawned = vi.hoisted(() => ({ probes: 0 }));
vi.mock("@raycast/api", () => ({ environment: folders, getPreferenceValues: () => ({}) }));
vi.mock("node:child_process", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:child_process")>();
  return {
    ...real,
    spawn: ((command: string, args: readonly string[], options: object) => {
      if (args.some((arg) => arg.endsWith("probe-model.mjs"))) spawned.probes++;
      return real.spawn(command, args, options);
    }) as typeof real.spawn,
  };
});

const { createAgentSession, plannerInUse } = await import("../../src/commands/raycast-agent");
const { readSettings } = await import("../../src/agent/session/settings");

let root: string;
const saved = process.env.TINYAGENT_MICRO_MODEL;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tinyagent-raycast-probe-"));
  folders.supportPath = join(root, "support");
  folders.assetsPath = join(ROOT, "assets");
  mkdirSync(join(folders.supportPath, "engines", "runtime"), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(folders.supportPath, "engines", "runtime", "node_modules"));
  delete process.env.TINYAGENT_MICRO_MODEL;
});

afterAll(() => {
  if (saved !== undefined) process.env.TINYAGENT_MICRO_MODEL = saved;
  rmSync(root, { recursive: true, force: true });
});

async function open(): Promise<number> {
  const result = readSettings({ plannerModel: "micro" });
  if (!result.ok) throw new Error(result.message);
  const session = createAgentSession(result.settings, await plannerInUse(result.settings));
  const before = spawned.probes;
  try {
    await session.ready();
    return spawned.probes - before;
  } finally {
    await session.dispose();
  }
}

describe("opening Ask TinyAgent again", () => {
  it("never probes the shipped micro model", async () => {
    expect(await open()).toBe(0);
    expect(await open()).toBe(0);
  }, 90_000);

  it("probes a file of the person's own the first time only, while the file is unchanged", async () => {
    const own = join(root, "own-micro.gguf");
    copyFileSync(join(folders.assetsPath, "toolrag", "tinyagent-micro.gguf"), own);
    process.env.TINYAGENT_MICRO_MODEL = own;
    expect(await open()).toBe(1);
    const cache = JSON.parse(
      readFileSync(join(folders.supportPath, "models", "probed-models.json"), "utf8"),
    ) as {
      passed: { path: string }[];
    };
    expect(cache.passed.map((entry) => entry.path)).toEqual([own]);
    expect(await open()).toBe(0);
    delete process.env.TINYAGENT_MICRO_MODEL;
  }, 90_000);
});
