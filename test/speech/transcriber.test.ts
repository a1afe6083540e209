import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { transcribe, TranscriptionError } from "../../src/agent/speech/transcriber";
import { decodeWav, toWhisperPcm } from "../../src/agent/speech/wav-audio";
import { whisperBindingPath } from "../../src/agent/speech/whisper-binding";
import { makeTempDir } from "../model/helpers";

/**
 * The real whisper.cpp binding (this platform's @fugood/node-whisper package, loaded by absolute path in
 * the transcription process) with a tiny random-weight model written here: loading, audio in, the
 * encoder and decoder, text out. Random weights say nothing sensible; the pipeline is what is tested.
 */

// espeak-ng -s 150 "Text Lutfi that I am running ten minutes late.", resampled to 16 kHz mono 16-bit.
const FIXTURE = join(import.meta.dirname, "..", "fixtures", "speech", "text-lutfi.wav");

const dir = makeTempDir("tinyagent-speech-");
let model: string;
const speech = toWhisperPcm(decodeWav(readFileSync(FIXTURE)));

beforeAll(async () => {
  model = await writeTinyWhisperModel(dir.file("tiny-whisper.bin"));
});
afterAll(() => dir.remove());

describe("transcription with whisper.cpp", () => {
  it("finds this platform's binding in node_modules", () => {
    expect(whisperBindingPath()).toMatch(/@fugood\/node-whisper-[a-z]+-[a-z0-9]+\/index\.node$/);
  });

  it("transcribes the speech fixture end to end with the tiny model", async () => {
    const transcript = await transcribe({ modelPath: model, audio: speech, threads: 1 });
    // The tiny model's vocabulary is made of syllables: whatever it heard, it wrote some of them.
    expect(transcript.text).toMatch(/^[a-z ]+$/);
    expect(transcript.segments.length).toBeGreaterThan(0);
    expect(transcript.audioSeconds).toBeCloseTo(3.11, 1);
    expect(transcript.transcribeMs).toBeGreaterThan(0);
    expect(transcript.threads).toBe(1);
  });

  it("turns a model that aborts whisper.cpp into an error, and the test process lives on", async () => {
    // All-f32 weights load, then trip a GGML_ASSERT in the first convolution: an abort of the process.
    const aborting = await writeTinyWhisperModel(dir.file("f32.bin"), { precision: "f32" });
    const error = await transcribe({ modelPath: aborting, audio: speech, threads: 1 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TranscriptionError);
    expect(error).toMatchObject({
      code: "failed",
      message: expect.stringMatching(/GGML_ASSERT.*download it again/),
    });
  });

  it("says a truncated model cannot be loaded, naming it", async () => {
    const truncated = dir.file("truncated.bin");
    writeFileSync(truncated, readFileSync(model).subarray(0, 500_000));
    await expect(transcribe({ modelPath: truncated, audio: speech, threads: 1 })).rejects.toMatchObject({
      code: "model",
      message: expect.stringMatching(/cannot load the speech model .*truncated\.bin.*download it again/),
    });
  });

  it("refuses a file that is no whisper model before starting anything", async () => {
    const gguf = dir.file("planner.gguf");
    writeFileSync(gguf, Buffer.concat([Buffer.from("GGUF"), Buffer.alloc(100)]));
    await expect(transcribe({ modelPath: gguf, audio: speech })).rejects.toMatchObject({
      code: "model",
      message: expect.stringMatching(/cannot be used as a speech model: it is a GGUF file/),
    });
    await expect(transcribe({ modelPath: dir.file("missing.bin"), audio: speech })).rejects.toThrow(
      /No speech model at .*missing\.bin/,
    );
  });

  it("stops when asked, and within its time limit", async () => {
    const controller = new AbortController();
    const stopped = transcribe({ modelPath: model, audio: speech, threads: 1, signal: controller.signal });
    controller.abort();
    await expect(stopped).rejects.toMatchObject({ code: "aborted" });
    await expect(
      transcribe({ modelPath: model, audio: speech, threads: 1, timeoutMs: 1 }),
    ).rejects.toMatchObject({
      code: "timeout",
    });
  });
});
