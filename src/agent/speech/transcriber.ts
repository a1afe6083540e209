import { spawn } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdir, open, readFile, rename, writeFile } from "node:fs/promises";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { whisperBindingPath, type WhisperBindingOptions } from "./whisper-binding";
import { readWhisperHeader } from "./whisper-ggml";
import { WHISPER_SAMPLE_RATE } from "./wav-audio";

/**
 * Speech to text with whisper.cpp, in a process of its own. The binding is native code: a damaged model
 * can abort the process that loads it (an all-f32 file trips a GGML_ASSERT in the first convolution),
 * and @fugood/whisper.node 1.1.1 never settles its promise when whisper.cpp throws (its error callback
 * passes one argument where its completion handler waits for two). Run apart, an abort is an error
 * message and a hang is a time limit, and neither Raycast's shared process nor the CLI goes down.
 */

export interface TranscribeOptions extends WhisperBindingOptions {
  /** A whisper.cpp model file (ggml-*.bin). */
  modelPath: string;
  /** 16 kHz mono 16-bit samples (toWhisperPcm). */
  audio: Int16Array;
  /** CPU threads for whisper.cpp; default speechThreads(). */
  threads?: number;
  /** Spoken language; English-only models ignore anything but "en". */
  language?: string;
  /** Use Metal on Apple silicon; default on a Mac outside tests and CI. */
  gpu?: boolean;
  signal?: AbortSignal;
  /** Default: a minute plus three times the audio's length. */
  timeoutMs?: number;
}

export interface TranscriptSegment {
  text: string;
  startMs: number;
  endMs: number;
}

export interface Transcript {
  /** The words, trimmed; empty when nothing was said. */
  text: string;
  segments: TranscriptSegment[];
  audioSeconds: number;
  /** Wall time of the whole transcription, process start and model load included. */
  elapsedMs: number;
  /** Time whisper.cpp itself took on the audio (model load excluded): the real-time factor's numerator. */
  transcribeMs: number;
  threads: number;
}

export type TranscriptionErrorCode = "model" | "engine" | "failed" | "timeout" | "aborted";

/** A transcription that did not happen; `message` says what to do. */
export class TranscriptionError extends Error {
  override readonly name = "TranscriptionError";
  constructor(
    readonly code: TranscriptionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One thread in tests and CI (two shared cores); else half the cores, 1 to 4 (whisper's sweet spot). */
export function speechThreads(env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): number {
  const fromEnv = Number(env.TINYAGENT_THREADS);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  if (env.CI === "true" || env.VITEST !== undefined) return 1;
  return Math.max(1, Math.min(4, Math.floor(cores / 2)));
}

/** Transcribes audio with a whisper.cpp model; throws TranscriptionError. */
export async function transcribe(options: TranscribeOptions): Promise<Transcript> {
  await checkModelHeader(options.modelPath);
  let binding: string;
  try {
    binding = whisperBindingPath(options);
  } catch (error) {
    throw new TranscriptionError("engine", (error as Error).message);
  }
  const threads = options.threads ?? speechThreads();
  const audioSeconds = options.audio.length / WHISPER_SAMPLE_RATE;
  const timeoutMs = options.timeoutMs ?? 60_000 + 3_000 * audioSeconds;
  const started = performance.now();
  const outcome = await runChild({
    binding,
    modelPath: options.modelPath,
    audio: options.audio,
    threads,
    language: options.language ?? "en",
    gpu:
      options.gpu ??
      (process.platform === "darwin" && process.env.VITEST === undefined && process.env.CI !== "true"),
    timeoutMs,
    signal: options.signal,
  });
  return {
    text: outcome.segments
      .map((segment) => segment.text)
      .join("")
      .trim(),
    segments: outcome.segments.map((segment) => ({ ...segment, text: segment.text.trim() })),
    audioSeconds,
    elapsedMs: performance.now() - started,
    transcribeMs: outcome.transcribeMs,
    threads,
  };
}

async function checkModelHeader(path: string): Promise<void> {
  let head: Uint8Array;
  try {
    const file = await open(path, "r");
    try {
      const buffer = Buffer.alloc(64);
      const { bytesRead } = await file.read(buffer, 0, 64, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await file.close();
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new TranscriptionError(
      "model",
      code === "ENOENT"
        ? `No speech model at ${path}.`
        : `Cannot read the speech model ${path} (${String(code)}).`,
    );
  }
  const header = readWhisperHeader(head);
  if ("problem" in header) {
    throw new TranscriptionError("model", `${path} cannot be used as a speech model: ${header.problem}.`);
  }
}

/**
 * The transcription process: loads the binding by absolute path, the model, reads the samples from stdin,
 * and reports on stdout, a line per stage, so a failure names the stage it happened in.
 */
const CHILD_SCRIPT = `
import { createRequire } from "node:module";
const fail = (error) => {
  process.stderr.write("transcription failed: " + String(error?.message ?? error).split("\\n")[0] + "\\n");
  process.exit(1);
};
process.on("uncaughtException", fail);
process.on("unhandledRejection", fail);
const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const audio = Buffer.concat(chunks);
const { WhisperContext } = createRequire(import.meta.url)(process.env.TINYAGENT_WHISPER_BINDING);
const context = new WhisperContext({ filePath: process.env.TINYAGENT_WHISPER_MODEL, useGpu: process.env.TINYAGENT_WHISPER_GPU === "1" });
process.stdout.write("loaded\\n");
const started = performance.now();
const { promise } = context.transcribeData(
  audio.buffer.slice(audio.byteOffset, audio.byteOffset + audio.byteLength),
  { language: process.env.TINYAGENT_WHISPER_LANGUAGE, maxThreads: Number(process.env.TINYAGENT_WHISPER_THREADS) },
);
const result = await promise;
const transcribeMs = performance.now() - started;
const segments = (result.segments ?? []).map((s) => ({ text: s.text, startMs: s.t0, endMs: s.t1 }));
process.stdout.write("result " + JSON.stringify({ segments, transcribeMs }) + "\\n");
await context.release();
process.exit(0);
`;

interface ChildRequest {
  binding: string;
  modelPath: string;
  audio: Int16Array;
  threads: number;
  language: string;
  gpu: boolean;
  timeoutMs: number;
  signal?: AbortSignal;
}

interface ChildResult {
  segments: TranscriptSegment[];
  transcribeMs: number;
}

async function runChild(request: ChildRequest): Promise<ChildResult> {
  if (request.signal?.aborted) throw abortedError();
  const script = await childScript();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      env: {
        ...process.env,
        TINYAGENT_WHISPER_BINDING: request.binding,
        TINYAGENT_WHISPER_MODEL: request.modelPath,
        TINYAGENT_WHISPER_THREADS: String(request.threads),
        TINYAGENT_WHISPER_LANGUAGE: request.language,
        TINYAGENT_WHISPER_GPU: request.gpu ? "1" : "0",
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    // The child may die before it reads its input; that is reported by "close", not as a pipe error.
    child.stdin.on("error", () => undefined);
    child.stdin.end(Buffer.from(request.audio.buffer, request.audio.byteOffset, request.audio.byteLength));

    let stopped: TranscriptionError | undefined;
    const stop = (error: TranscriptionError) => {
      stopped ??= error;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(
      () =>
        stop(
          new TranscriptionError(
            "timeout",
            `Transcription did not finish within ${Math.round(request.timeoutMs / 1000)} s. Try a shorter ` +
              `recording, or a smaller speech model.`,
          ),
        ),
      request.timeoutMs,
    );
    const onAbort = () => stop(abortedError());
    request.signal?.addEventListener("abort", onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      request.signal?.removeEventListener("abort", onAbort);
    };
    child.on("error", (error) => {
      settle();
      reject(new TranscriptionError("engine", `Could not start the transcription process: ${error.message}`));
    });
    // "close", not "exit": both streams have ended by then.
    child.on("close", (code, signal) => {
      settle();
      if (stopped) return reject(stopped);
      const line = stdout.split("\n").find((text) => text.startsWith("result "));
      if (code === 0 && line) return resolve(JSON.parse(line.slice("result ".length)) as ChildResult);
      const loaded = stdout.includes("loaded\n");
      const why = failureOf(stderr) ?? (signal ? `stopped by ${signal}` : `exit status ${code}`);
      reject(
        loaded
          ? new TranscriptionError(
              "failed",
              `whisper.cpp stopped while transcribing (${why}). The speech model may be damaged or of a kind ` +
                `this engine cannot run: download it again, or choose another speech model.`,
            )
          : new TranscriptionError(
              "model",
              `whisper.cpp cannot load the speech model ${request.modelPath} (${why}). It is damaged or not a ` +
                `whisper.cpp model: download it again.`,
            ),
      );
    });
  });
}

function abortedError(): TranscriptionError {
  return new TranscriptionError("aborted", "Transcription stopped.");
}

/** The script file, named by its content, written once per version (aside, then renamed). */
async function childScript(): Promise<string> {
  // A file, not `node -e`: an ES module with top-level await, run by whatever Node runs us (Raycast's too).
  const folder = join(tmpdir(), "tinyagent");
  await mkdir(folder, { recursive: true });
  const version = createHash("sha256").update(CHILD_SCRIPT).digest("hex").slice(0, 12);
  const script = join(folder, `${version}-transcribe.mjs`);
  if ((await readFile(script, "utf8").catch(() => "")) !== CHILD_SCRIPT) {
    const temporary = `${script}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temporary, CHILD_SCRIPT);
    await rename(temporary, script);
  }
  return script;
}

/**
 * What went wrong, from the child's stderr: its own report, else whisper.cpp's last error line (a load
 * error, a GGML_ASSERT before an abort), else the last line.
 */
function failureOf(stderr: string): string | undefined {
  const lines = stderr
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !/^Node\.js v\d/.test(line));
  const own = lines.findLast((line) => line.startsWith(OWN))?.slice(OWN.length);
  // whisper.cpp's lines name their function ("whisper_model_load: ERROR ...") or a source file path.
  const native = lines
    .filter((line) => !line.startsWith(OWN))
    .findLast((line) => /error|assert|invalid|failed/i.test(line))
    ?.replace(/^\S*\/(?=[^/\s]+:\d+:)/, "");
  if (own && native) return `${own}: ${native}`;
  return own ?? native ?? lines[lines.length - 1];
}

const OWN = "transcription failed: ";
