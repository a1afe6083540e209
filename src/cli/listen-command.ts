import { randomBytes } from "node:crypto";
import { mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DEFAULT_SPEECH_MODEL_ID, resolveSpeechModel } from "../agent/speech/speech-models";
import { recordSpeech, stopRecording } from "../tools/macos/microphone";
import { ToolError } from "../tools/tool-error";
import { stderr as defaultStderr, stdout as defaultStdout, type OutputStream } from "./terminal-output";
import { isExpected, transcribeFile, writeTranscript } from "./transcribe-command";

export interface ListenCommandOptions {
  model?: string;
  json?: boolean;
  threads?: number;
  /** Keep the recording at this path instead of deleting it. */
  keep?: string;
  maxSeconds?: number;
  env?: NodeJS.ProcessEnv;
  stdin?: NodeJS.ReadStream;
  stdout?: OutputStream;
  stderr?: OutputStream;
}

/**
 * `tinyagent listen`: records a spoken request from the Mac's microphone until Enter, a pause after
 * speech, or the time limit, then prints what was said (transcribed on this machine). Returns the exit
 * status.
 */
export async function listenCommand(options: ListenCommandOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const out = options.stdout ?? defaultStdout;
  const err = options.stderr ?? defaultStderr;
  // The stand-in osascript of the tests answers on any system, as for the Mac backend.
  if (process.platform !== "darwin" && env.TINYAGENT_BACKEND !== "mac") {
    err.write(
      "tinyagent: recording from the microphone needs macOS. Transcribe a recording instead: " +
        "tinyagent transcribe FILE.wav\n",
    );
    return 1;
  }
  const folder = join(tmpdir(), "tinyagent");
  await mkdir(folder, { recursive: true });
  const id = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const outputPath = options.keep ? resolve(options.keep) : join(folder, `speech-${id}.wav`);
  const stopPath = join(folder, `speech-${id}.stop`);
  const cancel = new AbortController();
  const onSigint = () => cancel.abort();
  const stdin = options.stdin ?? process.stdin;
  const onLine = () => void stopRecording(stopPath);
  try {
    // Before recording: no model, nothing to say it to.
    await resolveSpeechModel(options.model ?? DEFAULT_SPEECH_MODEL_ID, { env });
    process.on("SIGINT", onSigint);
    if (stdin.isTTY) {
      stdin.on("data", onLine);
      err.write("Listening… press Enter when done (it also stops after a pause).\n");
    } else {
      err.write("Listening… (stops after a pause)\n");
    }
    const recording = await recordSpeech({
      outputPath,
      stopPath,
      signal: cancel.signal,
      ...(options.maxSeconds === undefined ? {} : { maxSeconds: options.maxSeconds }),
    });
    stdin.off("data", onLine);
    if (stdin.isTTY) stdin.pause();
    err.write(`Transcribing ${recording.seconds.toFixed(1)} s…\n`);
    const transcript = await transcribeFile(outputPath, {
      ...options,
      env,
    });
    writeTranscript(out, transcript, options.json);
    return 0;
  } catch (error) {
    if (isExpected(error) || error instanceof ToolError) {
      err.write(`tinyagent: ${error.message}\n`);
      return error instanceof ToolError && error.code === "cancelled" ? 130 : 1;
    }
    throw error;
  } finally {
    process.off("SIGINT", onSigint);
    stdin.off("data", onLine);
    if (!options.keep) await rm(outputPath, { force: true });
  }
}
