import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nodeLlamaCppEntry } from "../../src/agent/engines/node-llama-cpp";
import { spread } from "../../src/agent/eval/percentile";
import { resolveModel } from "../../src/agent/model/model-store";
import { figure, type Figure } from "./figure";

const ROOT = join(import.meta.dirname, "..", "..");
const BIN = join(ROOT, "bin", "tinyagent.mjs");
/** A complete first step line as `tinyagent plan` streams it. */
const FIRST_STEP = /^\s*1\s*\.\s*[a-z_]+\(.*\)\s*$/m;

interface ColdRun {
  firstStepMs: number | null;
  exitMs: number;
  peakRssMb: number | null;
}

/**
 * The engine's floor: a bare script that imports node-llama-cpp, calls getLlama as the CLI does and loads
 * the model, then exits. No TinyAgent process can start planning sooner.
 */
const FLOOR_SCRIPT = `
const { getLlama, LlamaLogLevel } = await import(process.env.TINYAGENT_FLOOR_ENGINE);
const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error, progressLogs: false });
await llama.loadModel({ modelPath: process.env.TINYAGENT_FLOOR_MODEL });
process.exit(0);
`;

/**
 * Spawns `tinyagent plan --model micro "<request>"` (a new Node process: loading the CLI, the classifier,
 * node-llama-cpp and the shipped TinyAgent-micro, then planning: the built-in planner of DESIGN §8) and
 * times it to the first complete plan step on standard output, and to its exit, next to the engine's
 * floor for the same model (FLOOR_SCRIPT). Peak memory is the process's high-water mark (VmHWM), read
 * while it runs. Runs alternate, so a change of load on the machine touches both alike.
 */
export async function measureColdStart(runs: number): Promise<Figure[]> {
  const micro = (await resolveModel("micro")).path;
  const folder = await mkdtemp(join(tmpdir(), "tinyagent-bench-cold-"));
  const results: ColdRun[] = [];
  const floors: number[] = [];
  try {
    const floorScript = join(folder, "engine-floor.mjs");
    await writeFile(floorScript, FLOOR_SCRIPT);
    for (let i = 0; i < runs; i++) {
      floors.push(await floorRun(floorScript, micro));
      results.push(await coldRun(join(folder, "models")));
    }
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
  const first = spread(results.flatMap((r) => (r.firstStepMs === null ? [] : [r.firstStepMs])));
  const exit = spread(results.map((r) => r.exitMs));
  const floor = spread(floors);
  const ratio = first.p50 !== null && floor.p50 !== null ? first.p50 / floor.p50 : null;
  const peaks = results.flatMap((r) => (r.peakRssMb === null ? [] : [r.peakRssMb]));
  const missed = results.filter((r) => r.firstStepMs === null).length;
  return [
    figure(
      "cold-start.first-step.p50",
      "Cold start: process start to first plan step, p50",
      first.p50,
      "ms",
      {
        // The shipped model is not probed (it is tested with the package); a file of the person's own is
        // probed once, then remembered (probe.* figures).
        note: `${runs} runs of tinyagent plan --model micro${missed ? `; ${missed} wrote no complete step` : ""}`,
      },
    ),
    figure("cold-start.exit.p50", "Cold start: process start to exit, p50", exit.p50, "ms"),
    figure(
      "cold-start.engine-floor.p50",
      "Engine floor: import node-llama-cpp, getLlama, load micro, p50",
      floor.p50,
      "ms",
      { note: "a bare Node script, same model and engine options" },
    ),
    figure("cold-start.over-floor", "Cold start to first step over the engine floor", ratio, "x", {
      budget: { text: "≤ 1.3x", pass: ratio !== null && ratio <= 1.3 },
    }),
    figure(
      "memory.peak-rss",
      "Peak memory (RSS) of tinyagent plan",
      peaks.length ? Math.max(...peaks) : null,
      "MB",
    ),
  ];
}

function floorRun(script: string, modelPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        TINYAGENT_FLOOR_ENGINE: nodeLlamaCppEntry(),
        TINYAGENT_FLOOR_MODEL: modelPath,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0
        ? resolve(performance.now() - started)
        : reject(new Error(`the engine floor script failed (${code}):\n${stderr}`)),
    );
  });
}

/** One `tinyagent plan --model micro` run; `modelsDir` keeps the person's models folder out of it. */
function coldRun(modelsDir: string): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [BIN, "plan", "--model", "micro", "--max-tokens", "400", "text mom that I am running late"],
      {
        cwd: ROOT,
        env: { ...process.env, TINYAGENT_THREADS: "1", TINYAGENT_MODELS_DIR: modelsDir },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let stdout = "";
    let stderr = "";
    let firstStepMs: number | null = null;
    let peakKb: number | null = null;
    const poll = setInterval(() => {
      const kb = highWaterMarkKb(child.pid);
      if (kb !== undefined) peakKb = Math.max(peakKb ?? 0, kb);
    }, 10);
    const timeout = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (firstStepMs === null && FIRST_STEP.test(stdout)) firstStepMs = performance.now() - started;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearInterval(poll);
      clearTimeout(timeout);
      // Exit 1 is an invalid plan (the random model may run out of tokens); anything else is a crash.
      if (signal !== null || (code !== 0 && code !== 1))
        return reject(new Error(`tinyagent plan failed (${signal ?? code}):\n${stderr}`));
      resolve({
        firstStepMs,
        exitMs: performance.now() - started,
        peakRssMb: peakKb === null ? null : peakKb / 1024,
      });
    });
  });
}

/** The peak resident memory of a running process, from /proc (Linux); undefined elsewhere or once it is gone. */
function highWaterMarkKb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
