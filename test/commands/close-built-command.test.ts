import { execFile, execFileSync } from "node:child_process";
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  engineManifestSchema,
  enginePackagesFor,
  enginePlatform,
  tarballUrl,
} from "../../src/agent/engines/engine-manifest";
import packages from "../../src/agent/engines/engine-packages.json";
import { startFakeRegistry, type FakeRegistry, type Tarball } from "../engines/fake-registry";
import { cachedTarball, npmCacheFolder } from "../engines/npm-cache";
import { scriptsTo } from "../macos/osascript-log";

/**
 * Closing Ask TinyAgent must never abort Raycast's shared Node process (issue 16, item 2). The BUILT
 * command (dist/, as `npm run build` makes it) is opened in a worker thread with a stand-in for
 * @raycast/api, plans with the bundled TinyAgent-micro and the shipped classifier, is confirmed, then
 * closed, and its worker terminated at once: 20 times, in a process of its own (close-built-command.mjs),
 * which must end normally. Before the planner ran in a process of its own, this aborted the process
 * ("terminate called after throwing an instance of 'Napi::Error'") in most runs: llama.cpp's dispose,
 * started on unmount, was still in flight when the worker was terminated. Every planner process must then
 * dispose its engine and exit.
 *
 * The first open finds no engines and runs first-run set-up, which downloads them over HTTP from a local
 * registry mirror: a loopback server (test/engines/fake-registry.ts) serving, at the registry's addresses,
 * the exact tarballs https://registry.npmjs.org served to `npm ci` for this checkout, taken from npm's
 * cache by their sha512 (test/engines/npm-cache.ts). Set-up checks each against the pinned manifest and
 * unpacks it into the support folder; every later open uses what it installed.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const DIST = join(ROOT, "dist");
const RUNS = 20;

let root: string;

/** Newest modification time of the files under these paths (the build's inputs). */
function newest(paths: string[]): number {
  let latest = 0;
  for (const path of paths) {
    const info = statSync(path);
    if (!info.isDirectory()) latest = Math.max(latest, info.mtimeMs);
    else for (const name of readdirSync(path)) latest = Math.max(latest, newest([join(path, name)]));
  }
  return latest;
}

/** dist/ as `npm run build` leaves it, built again when a source, an asset or the manifest is newer. */
function ensureBuilt(): void {
  const built = [join(DIST, "ask-tinyagent.js"), join(DIST, "assets", "planner-process.cjs")];
  const inputs = [join(ROOT, "src"), join(ROOT, "assets", "toolrag"), join(ROOT, "package.json")];
  const fresh = built.every((file) => statSync(file, { throwIfNoEntry: false }));
  if (fresh && Math.min(...built.map((file) => statSync(file).mtimeMs)) > newest(inputs)) return;
  // The planner process's bundle is built by the test set-up (global-setup.ts); `ray build` ships it.
  execFileSync(process.execPath, [join(ROOT, "scripts", "build-planner-process.mjs")], { cwd: ROOT });
  try {
    execFileSync("npx", ["ray", "build", "-e", "dist", "-o", "dist"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`ray build failed: ${`${stdout ?? ""}${stderr ?? ""}`.slice(-3000)}`, { cause: error });
  }
}

/** The engine packages set-up installs on this machine, as the pinned manifest lists them. */
const ENGINES = enginePackagesFor(
  engineManifestSchema.parse(packages),
  enginePlatform(process.platform, process.arch),
);

let mirror: FakeRegistry;

/**
 * A loopback npm registry serving the real engine tarballs. They come from npm's cache, where `npm ci` (CI
 * runs it first) left every tarball it installed; one missing means this checkout was not installed with
 * npm here, and the test says so rather than serving anything else.
 */
async function startMirror(): Promise<FakeRegistry> {
  const cache = npmCacheFolder();
  const tarballs: Tarball[] = [];
  const missing: string[] = [];
  for (const entry of new Map(ENGINES.map((e) => [e.integrity, e])).values()) {
    const bytes = cachedTarball(cache, entry.integrity);
    if (bytes) tarballs.push({ entry, bytes });
    else missing.push(`${entry.name}@${entry.version}`);
  }
  if (missing.length > 0)
    throw new Error(
      `npm's cache (${cache}) lacks the registry tarballs of ${missing.join(", ")}: run \`npm ci\`, which keeps there every tarball it installs`,
    );
  return startFakeRegistry(tarballs);
}

beforeAll(async () => {
  ensureBuilt();
  root = mkdtempSync(join(tmpdir(), "tinyagent-close-built-"));
  mkdirSync(join(root, "support"), { recursive: true });
  writeFileSync(join(root, "osascript.jsonl"), "");
  mirror = await startMirror();
}, 240_000);

afterAll(async () => {
  await mirror?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

interface Run {
  run: number;
  ms: number;
  closed?: boolean;
  /** This open ran first-run set-up. */
  setUp?: boolean;
  steps?: string[];
  failed?: string;
}

describe("closing the built Ask TinyAgent", () => {
  it(`plans, confirms, closes and has its worker terminated at once, ${RUNS} times, without aborting`, async () => {
    const options = {
      runs: RUNS,
      root: ROOT,
      bundle: join(DIST, "ask-tinyagent.js"),
      supportPath: join(root, "support"),
      assetsPath: join(DIST, "assets"),
      request: "email Sid that the launch moved to friday",
      preferences: {},
      // Downloading, checking and unpacking ~160 MB of engines on a busy 2-core machine.
      setUpLimitMs: 200_000,
    };
    const outcome = await new Promise<{
      code: number | null;
      signal: string | null;
      stdout: string;
      stderr: string;
    }>((resolve) => {
      const child = execFile(
        process.execPath,
        [join(import.meta.dirname, "close-built-command.mjs"), JSON.stringify(options)],
        {
          cwd: root,
          maxBuffer: 16 * 1024 * 1024,
          env: {
            ...process.env,
            FAKE_OSASCRIPT_LOG: join(root, "osascript.jsonl"),
            TINYAGENT_ENGINE_REGISTRY: mirror.url,
            PATH: `${join(ROOT, "test", "fixtures", "macos")}${delimiter}${process.env.PATH ?? ""}`,
          },
        },
        (error, stdout, stderr) =>
          resolve({
            code: child.exitCode,
            signal: child.signalCode,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
    });
    const lines = outcome.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Run & { plannerProcessesLeft?: string[] });
    const runs = lines.filter((line) => line.run !== undefined);
    const aborted = /terminate called|Napi::Error/.exec(outcome.stderr)?.[0];
    expect(
      { code: outcome.code, signal: outcome.signal, aborted },
      `after ${runs.length} runs: ${outcome.stderr.slice(-1500)}`,
    ).toEqual({ code: 0, signal: null, aborted: undefined });
    expect(runs.filter((run) => !run.closed).map((run) => run.failed)).toEqual([]);
    expect(runs).toHaveLength(RUNS);
    // The first open ran set-up, which fetched every engine tarball from the mirror once; later opens
    // used what it installed: real folders in the support path, not this checkout's node_modules.
    expect(runs.map((run) => run.setUp)).toEqual([true, ...Array<boolean>(RUNS - 1).fill(false)]);
    const served = new Set(mirror.requests.map((request) => request.path));
    const wanted = ENGINES.map((entry) => new URL(tarballUrl(entry, mirror.url)).pathname);
    expect(wanted.filter((path) => !served.has(path))).toEqual([]);
    const runtime = join(root, "support", "engines", "runtime", "node_modules");
    expect(lstatSync(runtime).isSymbolicLink()).toBe(false);
    for (const engine of ["node-llama-cpp", "onnxruntime-node"])
      expect(lstatSync(join(runtime, engine)).isDirectory(), engine).toBe(true);
    // Each run planned the draft and confirmed it before closing.
    for (const run of runs)
      expect(
        run.steps?.some((step) => /email/i.test(step)),
        JSON.stringify(run),
      ).toBe(true);
    // No planner process outlives its command: each disposed its engine and exited.
    expect(lines.at(-1)?.plannerProcessesLeft).toEqual([]);
    expect(scriptsTo(join(root, "osascript.jsonl"), "Contacts").length).toBeGreaterThan(0);
  }, 480_000);
});
