import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

/** Raycast's folders, as the extension sees them: downloaded models under support, the bundled in assets. */
const folders = vi.hoisted(() => ({ supportPath: "", assetsPath: "" }));
vi.mock("@raycast/api", () => ({ environment: folders, getPreferenceValues: () => ({}) }));

const { plannerInUse, setupOptions } = await import("../../src/commands/raycast-agent");
const { readSettings } = await import("../../src/agent/session/settings");

let root: string;
const settings = (plannerModel?: string) => {
  const result = readSettings(plannerModel ? { plannerModel, serverUrl: "http://127.0.0.1:11434" } : {});
  if (!result.ok) throw new Error(result.message);
  return result.settings;
};
const bundleMicro = () => writeFileSync(join(folders.assetsPath, "toolrag", "tinyagent-micro.gguf"), "GGUF");
const download = (file: string) => writeFileSync(join(folders.supportPath, "models", file), "GGUF");

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "tinyagent-raycast-planner-"));
  folders.supportPath = join(root, "support");
  folders.assetsPath = join(root, "assets");
  mkdirSync(join(folders.supportPath, "models"), { recursive: true });
  mkdirSync(join(folders.assetsPath, "toolrag"), { recursive: true });
  vi.stubEnv("TINYAGENT_MICRO_MODEL", "");
});

afterEach(() => {
  vi.unstubAllEnvs();
  rmSync(root, { recursive: true, force: true });
});

describe("the planner Ask TinyAgent uses", () => {
  it("is the bundled micro planner while the chosen TinyAgent model is not downloaded, with its download offered", async () => {
    bundleMicro();
    expect(await plannerInUse(settings())).toEqual({
      modelId: "micro",
      fast: true,
      toDownload: "tinyagent-1.1b",
    });
    // Set-up no longer waits for the 668 MB download: only the engines (if missing) remain.
    expect((await setupOptions(settings())).model).toBeUndefined();
  });

  it("is the chosen model once downloaded", async () => {
    bundleMicro();
    download("TinyAgent-1.1B-Q4_K_M.gguf");
    expect(await plannerInUse(settings())).toEqual({ modelId: "tinyagent-1.1b", fast: false });
  });

  it("is micro, labelled, when chosen in the preferences, with nothing to download", async () => {
    bundleMicro();
    expect(await plannerInUse(settings("micro"))).toEqual({ modelId: "micro", fast: true });
    expect((await setupOptions(settings("micro"))).model).toBeUndefined();
  });

  it("downloads the chosen model at set-up when no micro planner ships with this build", async () => {
    expect(await plannerInUse(settings())).toEqual({ modelId: "tinyagent-1.1b", fast: false });
    expect((await setupOptions(settings())).model?.title).toBe("TinyAgent-1.1B planner model");
  });

  it("leaves custom files and servers alone", async () => {
    bundleMicro();
    expect(await plannerInUse(settings("server"))).toEqual({ fast: false });
  });
});
