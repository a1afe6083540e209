import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import {
  DEFAULT_SPEECH_MODEL_ID,
  resolveSpeechModel,
  SpeechModelMissingError,
} from "../agent/speech/speech-models";
import { transcribe, TranscriptionError, type Transcript } from "../agent/speech/transcriber";
import { AudioFileError, decodeWav, toWhisperPcm } from "../agent/speech/wav-audio";
import { stderr as defaultStderr, stdout as defaultStdout, type OutputStream } from "./terminal-output";
import { UsageError } from "./usage-error";

export interface TranscribeCommandOptions {
  /** A speech model id or a whisper.cpp .bin file; default whisper-base.en (or TINYAGENT_SPEECH_MODEL). */
  model?: string;
  json?: boolean;
  threads?: number;
  env?: NodeJS.ProcessEnv;
  stdout?: OutputStream;
  stderr?: OutputStream;
  signal?: AbortSignal;
}

/** `tinyagent transcribe FILE.wav`: prints what was said; returns the exit status. */
export async function transcribeCommand(
  file: string | undefined,
  options: TranscribeCommandOptions = {},
): Promise<number> {
  if (file === undefined) throw new UsageError("expected a WAV file to transcribe");
  const out = options.stdout ?? defaultStdout;
  const err = options.stderr ?? defaultStderr;
  try {
    writeTranscript(out, await transcribeFile(resolve(file), options), options.json);
    return 0;
  } catch (error) {
    if (isExpected(error)) {
      err.write(`tinyagent: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

/** Reads, converts and transcribes a WAV file: what `transcribe` and `listen` share. */
export async function transcribeFile(
  path: string,
  options: TranscribeCommandOptions = {},
): Promise<Transcript> {
  const bytes = await readFile(path).catch((error: { code?: string }) => {
    throw new AudioFileError(
      error.code === "ENOENT"
        ? `No audio file at ${path}.`
        : `Cannot read ${path} (${error.code ?? "error"}).`,
    );
  });
  const audio = toWhisperPcm(decodeWav(bytes, path));
  const { path: modelPath } = await resolveSpeechModel(options.model ?? DEFAULT_SPEECH_MODEL_ID, {
    env: options.env,
  });
  return transcribe({
    modelPath,
    audio,
    ...(options.threads === undefined ? {} : { threads: options.threads }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Prints a transcript: its words, or with --json one line of transcriptJson. */
export function writeTranscript(out: OutputStream, transcript: Transcript, json = false): void {
  out.write(json ? `${JSON.stringify(transcriptJson(transcript))}\n` : `${transcript.text}\n`);
}

function transcriptJson(transcript: Transcript): Record<string, unknown> {
  return {
    text: transcript.text,
    segments: transcript.segments,
    audioSeconds: round(transcript.audioSeconds),
    elapsedMs: Math.round(transcript.elapsedMs),
    transcribeMs: Math.round(transcript.transcribeMs),
    // Seconds of work per second of audio: below 1 is faster than real time.
    realTimeFactor:
      transcript.audioSeconds > 0 ? round(transcript.transcribeMs / 1000 / transcript.audioSeconds) : null,
    threads: transcript.threads,
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Failures with a message written for the person: printed as they are, exit status 1. */
export function isExpected(error: unknown): error is Error {
  return (
    error instanceof AudioFileError ||
    error instanceof SpeechModelMissingError ||
    error instanceof TranscriptionError
  );
}
