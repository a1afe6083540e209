import { spawn } from "node:child_process";
import { mkdir, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readGgufHeader, ModelFileError } from "../model/gguf-header";
import { nodeLlamaCppEntry } from "./node-llama-cpp";

/** Files already probed in this process, by path, size and modification time. */
const probed = new Set<string>();

/**
 * Makes sure llama.cpp can load a model file before this process loads it: a malformed GGUF can abort the
 * whole process inside native code, which must not take Raycast or the CLI down. The header is checked
 * here; the full load is tried in a child process first. Each file version is probed once per process.
 */
export async function probeModelFile(
  path: string,
  options: { runtimeDir?: string; timeoutMs?: number } = {},
): Promise<void> {
  await readGgufHeader(path);
  const info = await stat(path);
  const key = `${path}\n${info.size}\n${info.mtimeMs}`;
  if (probed.has(key)) return;
  const outcome = await loadInChild(
    path,
    nodeLlamaCppEntry(options.runtimeDir),
    options.timeoutMs ?? 120_000,
  );
  if (!outcome.ok) {
    throw new ModelFileError(
      "corrupt",
      path,
      `llama.cpp cannot load ${path} (${outcome.reason}). Use another model file or download it again.`,
    );
  }
  probed.add(key);
}

const CHILD_SCRIPT = `
const { getLlama, LlamaLogLevel } = await import(process.env.TINYAGENT_PROBE_ENGINE);
const llama = await getLlama({ gpu: false, build: "never", maxThreads: 1, logLevel: LlamaLogLevel.error, progressLogs: false });
const model = await llama.loadModel({ modelPath: process.env.TINYAGENT_PROBE_MODEL });
await model.dispose();
process.exit(0);
`;

async function loadInChild(
  path: string,
  engine: string,
  timeoutMs: number,
): Promise<{ ok: true } | { ok: false; reason: string }> {
  // A script file, not `node -e`: node-llama-cpp tests its binding in a subprocess that inherits our flags.
  const folder = join(tmpdir(), "tinyagent");
  await mkdir(folder, { recursive: true });
  const script = join(folder, "probe-model.mjs");
  await writeFile(script, CHILD_SCRIPT);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], {
      env: { ...process.env, TINYAGENT_PROBE_ENGINE: engine, TINYAGENT_PROBE_MODEL: path },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-2000);
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, reason: error.message });
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve({ ok: true });
      else
        resolve({
          ok: false,
          reason: lastLine(stderr) ?? (signal ? `stopped by ${signal}` : `exit status ${code}`),
        });
    });
  });
}

function lastLine(text: string): string | undefined {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  return lines[lines.length - 1];
}
