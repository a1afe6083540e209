import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  SpeechModelNeeded,
  SpeechRequest,
  type SpeechPhase,
  type SpeechServices,
} from "../../src/agent/session/speech-request";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { speechServices } from "../../src/commands/speech-services";
import { SETTINGS } from "../../src/tools/macos/osascript";
import { makeTempDir } from "../model/helpers";

/**
 * Speak to TinyAgent's view model through its real wiring (speech-services.ts): the recorder's script
 * through osascript (a stand-in on PATH that "records" the speech fixture: only macOS is replaced), the
 * real whisper.cpp binding with the tiny model, and a hand-off that records what Ask TinyAgent received.
 */

const ROOT = join(import.meta.dirname, "..", "..");
const FAKE_BIN = join(ROOT, "test", "fixtures", "macos");
const SPEECH = join(ROOT, "test", "fixtures", "speech", "text-lutfi.wav");
const dir = makeTempDir("tinyagent-speak-");
const saved = { ...process.env };
let model: string;

beforeAll(async () => {
  model = await writeTinyWhisperModel(dir.file("tiny-whisper.bin"));
  process.env.PATH = `${FAKE_BIN}${delimiter}${process.env.PATH ?? ""}`;
  process.env.FAKE_MICROPHONE_WAV = SPEECH;
});
beforeEach(() => {
  delete process.env.FAKE_MICROPHONE;
});
afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  dir.remove();
});

function realRequest(speechModel = model) {
  const handedOff: string[] = [];
  const services = speechServices({
    supportPath: dir.file("support"),
    env: { TINYAGENT_MODELS_DIR: dir.file("models") },
    speechModel,
    runtimeDir: async () => undefined,
    handOff: async (text) => void handedOff.push(text),
  });
  const request = new SpeechRequest(services);
  const phases: SpeechPhase[] = [];
  request.subscribe(() => {
    const phase = request.getSnapshot().phase;
    if (phases.at(-1) !== phase) phases.push(phase);
  });
  return { request, handedOff, phases };
}

describe("Speak to TinyAgent", () => {
  it("records, transcribes, lets the words be corrected, and hands them to Ask TinyAgent", async () => {
    const { request, handedOff, phases } = realRequest();
    const heard = await request.start();
    expect(phases).toEqual(["starting", "recording", "transcribing", "transcript"]);
    expect(heard).toMatchObject({ phase: "transcript", recordedSeconds: 3.1 });
    expect(heard.text).toMatch(/^[a-z ]+$/); // the tiny model's syllables
    // The voice is not kept once transcribed.
    expect(readdirSync(dir.file("support/recordings")).filter((f) => f.endsWith(".wav"))).toEqual([]);

    request.edit("text Lutfi that I'm running ten minutes late");
    expect(request.getSnapshot().text).toBe("text Lutfi that I'm running ten minutes late");
    const done = await request.submit();
    expect(done.phase).toBe("handed-off");
    expect(handedOff).toEqual(["text Lutfi that I'm running ten minutes late"]);
  });

  it("hands off nothing empty: the person is asked to say or type a request", async () => {
    const { request, handedOff } = realRequest();
    await request.start();
    request.edit("   ");
    expect(await request.submit()).toMatchObject({
      phase: "transcript",
      notice: "Say or type a request first.",
    });
    expect(handedOff).toEqual([]);
  });

  it("fails with the Microphone pane of System Settings when access is off", async () => {
    process.env.FAKE_MICROPHONE = "denied";
    const { request, handedOff } = realRequest();
    const failed = await request.start();
    expect(failed.phase).toBe("failed");
    expect(failed.error?.message).toContain("System Settings › Privacy & Security › Microphone");
    expect(failed.error?.settings).toEqual(SETTINGS.microphone);
    expect(handedOff).toEqual([]);
  });

  it("asks for the speech model before recording when it is not downloaded", async () => {
    const { request, phases } = realRequest("whisper-base.en");
    const snapshot = await request.start();
    expect(snapshot).toMatchObject({
      phase: "needs-model",
      model: { name: "Whisper base.en", bytes: 147_964_211 },
    });
    expect(phases).not.toContain("recording");
  });

  it("says a damaged speech model is damaged, and the process lives on", async () => {
    const damaged = dir.file("damaged.bin");
    await import("node:fs/promises").then((fs) => fs.writeFile(damaged, Buffer.alloc(4096, 1)));
    const { request } = realRequest(damaged);
    const snapshot = await request.start();
    expect(snapshot.phase).toBe("failed");
    expect(snapshot.error?.message).toMatch(/cannot be used as a speech model/);
  });
});

/** Scripted services, for what the stand-in cannot show: a recording that is stopped, a download, a cancel. */
function scripted(overrides: Partial<SpeechServices> = {}) {
  let finish: (value: { path: string; seconds: number }) => void = () => undefined;
  const services: SpeechServices = {
    speechModel: vi.fn(async () => "/models/ggml-base.en.bin"),
    downloadSpeechModel: vi.fn(async ({ onProgress }) => {
      onProgress({ bytesDone: 74_000_000, percent: 50 });
    }),
    record: vi.fn(
      ({ signal }: { signal: AbortSignal }) =>
        new Promise<{ path: string; seconds: number }>((resolve, reject) => {
          finish = resolve;
          signal.addEventListener("abort", () => reject(new Error("cancelled")));
        }),
    ),
    stopRecording: vi.fn(async () => finish({ path: "/tmp/r.wav", seconds: 2.5 })),
    transcribe: vi.fn(async () => ({ text: " Email Sid the deck. " })),
    handOff: vi.fn(async () => undefined),
    ...overrides,
  };
  return services;
}

describe("Speak to TinyAgent's controls", () => {
  it("stops recording when asked and keeps what was said", async () => {
    const services = scripted();
    const request = new SpeechRequest(services);
    const started = request.start();
    await vi.waitFor(() => expect(request.getSnapshot().phase).toBe("recording"));
    await request.stop();
    expect(await started).toMatchObject({
      phase: "transcript",
      text: "Email Sid the deck.",
      recordedSeconds: 2.5,
    });
    expect(services.transcribe).toHaveBeenCalledWith(
      expect.objectContaining({ path: "/tmp/r.wav", modelPath: "/models/ggml-base.en.bin" }),
    );
  });

  it("cancelling drops the recording: nothing is transcribed or handed off, and no error is shown", async () => {
    const services = scripted();
    const request = new SpeechRequest(services);
    const started = request.start();
    await vi.waitFor(() => expect(request.getSnapshot().phase).toBe("recording"));
    request.cancel();
    expect((await started).phase).toBe("recording");
    expect(services.transcribe).not.toHaveBeenCalled();
    expect(services.handOff).not.toHaveBeenCalled();
  });

  it("downloads the missing model with progress, then records", async () => {
    let downloaded = false;
    const services = scripted({
      speechModel: vi.fn(async () => {
        if (downloaded) return "/models/ggml-base.en.bin";
        throw new SpeechModelNeeded({ name: "Whisper base.en", bytes: 147_964_211 }, "not downloaded");
      }),
      downloadSpeechModel: vi.fn(async ({ onProgress }) => {
        onProgress({ bytesDone: 74_000_000, percent: 50 });
        downloaded = true;
      }),
    });
    const request = new SpeechRequest(services);
    expect((await request.start()).phase).toBe("needs-model");
    const progress: (number | undefined)[] = [];
    request.subscribe(() => progress.push(request.getSnapshot().download?.percent));
    const downloading = request.downloadModel();
    await vi.waitFor(() => expect(request.getSnapshot().phase).toBe("recording"));
    expect(progress).toContain(50);
    await request.stop();
    expect((await downloading).phase).toBe("transcript");
  });

  it("says when the engines must be set up first, so the view can offer it", async () => {
    const needsSetup = Object.assign(new Error("not set up"), { needsSetup: true });
    const request = new SpeechRequest(
      scripted({ transcribe: vi.fn(async () => Promise.reject(needsSetup)) }),
    );
    const started = request.start();
    await vi.waitFor(() => expect(request.getSnapshot().phase).toBe("recording"));
    await request.stop();
    expect(await started).toMatchObject({
      phase: "failed",
      error: { message: "not set up", needsSetup: true },
    });
  });

  it("an empty transcript asks for words instead of handing off", async () => {
    const request = new SpeechRequest(scripted({ transcribe: vi.fn(async () => ({ text: "  " })) }));
    const started = request.start();
    await vi.waitFor(() => expect(request.getSnapshot().phase).toBe("recording"));
    await request.stop();
    expect(await started).toMatchObject({
      phase: "transcript",
      text: "",
      notice: "Nothing was heard. Type the request, or record again.",
    });
  });
});

it("leaves no stop file behind", () => {
  const folder = dir.file("support/recordings");
  expect(existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith(".stop")) : []).toEqual([]);
});
