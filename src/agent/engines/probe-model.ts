import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { readGgufHeader, ModelFileError } from "../model/gguf-header";
import { nodeLlamaCppEntry } from "./node-llama-cpp";

export interface ProbeModelOptions {
  /** The provisioned runtime folder whose node-llama-cpp will load the model (see EngineOptions). */
  runtimeDir?: string;
  timeoutMs?: number;
  /**
   * Folder where passed probes are remembered across processes (the models folder), in
   * `probed-models.json`. Absent: they are remembered in this process only.
   */
  cacheDir?: string;
}

/** The file that remembers passed probes, in `cacheDir`. */
export const PROBE_CACHE_FILE = "probed-models.json";

/** Passed probes, when no cache folder is given: for this process only. */
const probedHere = new Set<string>();

/**
 * Makes sure llama.cpp can load and run a model file before this process loads it: a malformed GGUF can
 * abort the whole process inside native code, which must not take Raycast or the CLI down. The header is
 * checked here; then a child process loads the model and evaluates a few tokens with a grammar (about
 * 3 s), because some damage only shows when the model runs: a NaN norm epsilon loads fine and aborts
 * (GGML_ASSERT) at the first evaluation, damaged weights give NaN logits whose token no grammar accepts.
 * A probe that loaded and evaluated is remembered for that version of the file and of the engine (see
 * ProbedFile), so opening the same model again runs no probe; a failed one is never remembered.
 */
export async function probeModelFile(path: string, options: ProbeModelOptions = {}): Promise<void> {
  await readGgufHeader(path);
  const before = await probedFile(path, options.runtimeDir);
  const key = JSON.stringify(before);
  if (probedHere.has(key)) return;
  if (options.cacheDir && (await readProbeCache(options.cacheDir)).some((entry) => sameProbe(entry, before)))
    return;
  const outcome = await runInChild(path, nodeLlamaCppEntry(options.runtimeDir), options.timeoutMs ?? 120_000);
  if (!outcome.ok) {
    throw new ModelFileError(
      "corrupt",
      path,
      `llama.cpp cannot ${outcome.stage === "load" ? "load" : "run"} ${path} (${outcome.reason}). ` +
        `Use another model file or download it again.`,
    );
  }
  // Only what was probed is remembered: a file changed while the child loaded it is probed next time.
  const after = await probedFile(path, options.runtimeDir);
  if (JSON.stringify(after) !== key) return;
  if (!options.cacheDir) probedHere.add(key);
  else await rememberProbe(options.cacheDir, after).catch(() => undefined);
}

/**
 * What a passed probe vouches for: this file, unchanged, loaded by this engine. The file is known by its
 * path, size, modification time and a fingerprint of its content (SHA-256 of its size, first MiB and last
 * MiB): a download, a copy or an edit changes the size, the time or the ends, where a GGUF keeps its
 * header, metadata, tensor table and last tensors. Hashing all of a 4 GB model would cost more than the
 * probe it saves; a change inside a file that keeps its size, time and both ends takes a deliberate
 * effort, and anyone who can make it can replace the file outright. The engine is node-llama-cpp's
 * version and the machine: a new llama.cpp may refuse a file the old one took.
 */
export interface ProbedFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  fingerprint: string;
  engine: string;
}

const MIB = 1024 * 1024;

export async function probedFile(path: string, runtimeDir?: string): Promise<ProbedFile> {
  const info = await stat(path);
  const hash = createHash("sha256").update(`${info.size}\n`);
  const file = await open(path, "r");
  try {
    const ends =
      info.size <= 2 * MIB
        ? [[0, info.size]]
        : [
            [0, MIB],
            [info.size - MIB, MIB],
          ];
    for (const [position, length] of ends as [number, number][]) {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, position);
      hash.update(buffer.subarray(0, bytesRead));
    }
  } finally {
    await file.close();
  }
  return {
    path,
    bytes: info.size,
    mtimeMs: info.mtimeMs,
    fingerprint: hash.digest("hex"),
    engine: await engineIdentity(runtimeDir),
  };
}

/** node-llama-cpp's version and the machine, e.g. "node-llama-cpp@3.21.1 darwin-arm64". */
async function engineIdentity(runtimeDir: string | undefined): Promise<string> {
  const entry = fileURLToPath(nodeLlamaCppEntry(runtimeDir));
  // The entry is <package>/dist/index.js.
  const manifest = join(dirname(dirname(entry)), "package.json");
  const version = await readFile(manifest, "utf8")
    .then((text) => (JSON.parse(text) as { version?: unknown }).version)
    .catch(() => undefined);
  return `node-llama-cpp@${typeof version === "string" ? version : "unknown"} ${process.platform}-${process.arch}`;
}

interface ProbeCache {
  version: 1;
  passed: (ProbedFile & { probedAt: string })[];
}

/** Files whose probes are remembered; the oldest are forgotten beyond this. */
const MAX_REMEMBERED = 32;

function sameProbe(entry: ProbedFile, file: ProbedFile): boolean {
  return (
    entry.path === file.path &&
    entry.bytes === file.bytes &&
    entry.mtimeMs === file.mtimeMs &&
    entry.fingerprint === file.fingerprint &&
    entry.engine === file.engine &&
    !file.engine.includes("@unknown")
  );
}

/** The passed probes remembered in `cacheDir`; none when the file is missing, unreadable or of another version. */
export async function readProbeCache(cacheDir: string): Promise<ProbedFile[]> {
  const text = await readFile(join(cacheDir, PROBE_CACHE_FILE), "utf8").catch(() => undefined);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as Partial<ProbeCache>;
    if (parsed.version !== 1 || !Array.isArray(parsed.passed)) return [];
    return parsed.passed.filter(
      (entry) =>
        typeof entry?.path === "string" &&
        typeof entry.bytes === "number" &&
        typeof entry.mtimeMs === "number" &&
        typeof entry.fingerprint === "string" &&
        typeof entry.engine === "string",
    );
  } catch {
    return [];
  }
}

/** Adds a passed probe, newest first, one per path; written whole to a temporary file, then renamed. */
async function rememberProbe(cacheDir: string, file: ProbedFile): Promise<void> {
  if (file.engine.includes("@unknown")) return;
  const others = (await readProbeCache(cacheDir)).filter((entry) => entry.path !== file.path);
  const cache: ProbeCache = {
    version: 1,
    passed: [{ ...file, probedAt: new Date().toISOString() }, ...others].slice(
      0,
      MAX_REMEMBERED,
    ) as ProbeCache["passed"],
  };
  await mkdir(cacheDir, { recursive: true });
  const target = join(cacheDir, PROBE_CACHE_FILE);
  const temporary = `${target}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(cache, null, 2)}\n`);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * The probe: load, then evaluate a short prompt and sample a few tokens under a grammar, as planning does.
 * It says on stdout how far it got, so a failure names its stage; any failure ends the process with an
 * error (an unhandled one included: node-llama-cpp reports a token its sampler cannot accept that way).
 */
const CHILD_SCRIPT = `
const fail = (error) => {
  process.stderr.write("probe failed: " + String(error?.message ?? error).split("\\n")[0] + "\\n");
  process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
const { getLlama, LlamaLogLevel, LlamaCompletion } = await import(process.env.TINYAGENT_PROBE_ENGINE);
const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error, progressLogs: false });
const model = await llama.loadModel({ modelPath: process.env.TINYAGENT_PROBE_MODEL });
process.stdout.write("loaded\\n");
const context = await model.createContext({ contextSize: 128, threads: 1 });
const completion = new LlamaCompletion({ contextSequence: context.getSequence() });
const grammar = await llama.createGrammar({ grammar: 'root ::= [a-z_]+' });
const text = await completion.generateCompletion("1. get", { grammar, maxTokens: 3, temperature: 0 });
if (!/^[a-z_]*$/.test(text)) throw new Error("the model wrote text its grammar forbids: " + JSON.stringify(text));
process.stdout.write("evaluated\\n");
await context.dispose();
await model.dispose();
process.exit(0);
`;

type ProbeOutcome = { ok: true } | { ok: false; stage: "load" | "run"; reason: string };

async function runInChild(path: string, engine: string, timeoutMs: number): Promise<ProbeOutcome> {
  // A script file, not `node -e`: node-llama-cpp tests its binding in a subprocess that inherits our flags.
  const folder = join(tmpdir(), "tinyagent");
  await mkdir(folder, { recursive: true });
  // Named by its content: another TinyAgent version on this machine writes its own probe beside it.
  const version = createHash("sha256").update(CHILD_SCRIPT).digest("hex").slice(0, 12);
  const script = join(folder, `${version}-probe-model.mjs`);
  if ((await readFile(script, "utf8").catch(() => "")) !== CHILD_SCRIPT) {
    // Written aside and renamed: a probe starting meanwhile never runs half a script.
    const temporary = `${script}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, CHILD_SCRIPT);
    await rename(temporary, script);
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, TINYAGENT_PROBE_ENGINE: engine, TINYAGENT_PROBE_MODEL: path },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout = (stdout + chunk.toString("utf8")).slice(-200);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, stage: "load", reason: error.message });
    });
    // "close", not "exit": the last lines of both streams have arrived by then.
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stage = stdout.includes("loaded\n") ? "run" : "load";
      if (code === 0 && stdout.includes("evaluated\n")) return resolve({ ok: true });
      const limit = `it did not finish within ${Math.round(timeoutMs / 1000)} s`;
      resolve({
        ok: false,
        stage,
        reason: timedOut
          ? limit
          : (failureOf(stderr) ?? (signal ? `stopped by ${signal}` : `exit status ${code}`)),
      });
    });
  });
}

/** What the probe said went wrong: its own report, else llama.cpp's last line (a GGML_ASSERT before an abort). */
function failureOf(stderr: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^Node\.js v\d/.test(line));
  const reported = lines.findLast((line) => line.startsWith("probe failed: "));
  return reported?.slice("probe failed: ".length) ?? lines[lines.length - 1];
}
