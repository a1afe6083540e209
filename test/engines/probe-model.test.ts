import {
  copyFileSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

/**
 * The model probe with its cache: a real probe (node-llama-cpp loading the file in a child process) the
 * first time, none when the same file is opened again, even from a fresh copy of the module (a new
 * Raycast command, a new process), and a probe again when the file changes. Probes are counted at
 * `spawn`, which the probe uses to start its child.
 */
const spawned = vi.hoisted(() => ({ probes: 0 }));
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

const { writeTinyModel } = await import("../../src/agent/model/tiny-model");
const ROOT = join(import.meta.dirname, "..", "..");

let folder: string;
let cacheDir: string;
let tiny: string;

async function freshProbe() {
  // A new module instance remembers nothing in memory, as in a new process.
  vi.resetModules();
  return (await import("../../src/agent/engines/probe-model")).probeModelFile;
}

/** Probes the file with a fresh module and says how many probes ran. */
async function probesFor(path: string): Promise<number> {
  const before = spawned.probes;
  await (
    await freshProbe()
  )(path, { cacheDir });
  return spawned.probes - before;
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), "tinyagent-probe-"));
  tiny = join(folder, "tiny.gguf");
  await writeTinyModel(tiny, { vocab: "small", seed: 7 });
});

beforeEach(() => {
  cacheDir = mkdtempSync(join(folder, "models-"));
});

afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe("probing a model file before loading it", () => {
  it("probes a file once: opening it again unchanged, in a new process, runs no probe", async () => {
    expect(await probesFor(tiny)).toBe(1);
    expect(await probesFor(tiny)).toBe(0);
    expect(await probesFor(tiny)).toBe(0);
    const cache = JSON.parse(readFileSync(join(cacheDir, "probed-models.json"), "utf8")) as {
      passed: { path: string; bytes: number; engine: string; fingerprint: string }[];
    };
    expect(cache.passed).toHaveLength(1);
    expect(cache.passed[0]).toMatchObject({ path: tiny, bytes: statSync(tiny).size });
    expect(cache.passed[0]!.engine).toMatch(/^node-llama-cpp@3\.21\.1 /);
    expect(cache.passed[0]!.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it("probes again when the file changes: a new time, or new bytes at either end with the same size and time", async () => {
    // TinyAgent-micro (4.6 MB) is larger than the two MiB the fingerprint reads, so its ends are what count.
    const micro = join(folder, "micro.gguf");
    copyFileSync(join(ROOT, "assets", "toolrag", "tinyagent-micro.gguf"), micro);
    expect(await probesFor(micro)).toBe(1);
    expect(await probesFor(micro)).toBe(0);

    const later = new Date(statSync(micro).mtimeMs + 60_000);
    utimesSync(micro, later, later);
    expect(await probesFor(micro)).toBe(1);
    expect(await probesFor(micro)).toBe(0);

    // The last byte changes; size and modification time are put back as they were.
    const bytes = readFileSync(micro);
    const { atime, mtime } = statSync(micro);
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    writeFileSync(micro, bytes);
    utimesSync(micro, atime, mtime);
    expect(await probesFor(micro)).toBe(1);
  }, 120_000);

  it("never remembers a failed probe", async () => {
    // A well-formed file llama.cpp refuses: the architecture is one it does not know.
    const bytes = Buffer.from(readFileSync(tiny));
    const key = bytes.indexOf("general.architecture");
    bytes.write("llamz", bytes.indexOf("llama", key + "general.architecture".length));
    const refused = join(folder, "refused.gguf");
    writeFileSync(refused, bytes);
    for (let attempt = 0; attempt < 2; attempt++) {
      const probe = await freshProbe();
      const before = spawned.probes;
      const error = await probe(refused, { cacheDir }).catch((e: unknown) => e);
      expect((error as Error).name).toBe("ModelFileError");
      expect((error as Error).message).toMatch(/llama\.cpp cannot load .*refused\.gguf/);
      expect(spawned.probes - before).toBe(1);
    }
    expect(() => readFileSync(join(cacheDir, "probed-models.json"))).toThrow(/ENOENT/);
  }, 60_000);
});
