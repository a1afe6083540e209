import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { spread } from "../../src/agent/eval/percentile";
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
 * Spawns `tinyagent plan --model FILE "<request>"` (a new Node process: loading the CLI, the classifier,
 * node-llama-cpp and the model, then planning) and times it to the first complete plan step on standard
 * output, and to its exit. Peak memory is the process's high-water mark (VmHWM), read while it runs.
 */
export async function measureColdStart(modelPath: string, runs: number): Promise<Figure[]> {
  const results: ColdRun[] = [];
  for (let i = 0; i < runs; i++) results.push(await coldRun(modelPath));
  const first = spread(results.flatMap((r) => (r.firstStepMs === null ? [] : [r.firstStepMs])));
  const exit = spread(results.map((r) => r.exitMs));
  const peaks = results.flatMap((r) => (r.peakRssMb === null ? [] : [r.peakRssMb]));
  const missed = results.filter((r) => r.firstStepMs === null).length;
  return [
    figure(
      "cold-start.first-step.p50",
      "Cold start: process start to first plan step, p50",
      first.p50,
      "ms",
      {
        // A model given by path is first probed in a child process (DESIGN §7), which loads node-llama-cpp too.
        note: `${runs} runs of tinyagent plan --model FILE, probe included${missed ? `; ${missed} wrote no complete step` : ""}`,
      },
    ),
    figure("cold-start.exit.p50", "Cold start: process start to exit, p50", exit.p50, "ms"),
    figure(
      "memory.peak-rss",
      "Peak memory (RSS) of tinyagent plan",
      peaks.length ? Math.max(...peaks) : null,
      "MB",
    ),
  ];
}

function coldRun(modelPath: string): Promise<ColdRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      process.execPath,
      [BIN, "plan", "--model", modelPath, "--max-tokens", "400", "text mom that I am running late"],
      { cwd: ROOT, env: { ...process.env, TINYAGENT_THREADS: "1" }, stdio: ["ignore", "pipe", "pipe"] },
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
