import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelDownloadError, type DownloadProgress } from "../../src/agent/model/download";
import {
  DEFAULT_SPEECH_MODEL_ID,
  downloadSpeechModel,
  resolveSpeechModel,
  SPEECH_MODELS,
  WHISPER_BASE_EN,
  type SpeechModel,
} from "../../src/agent/speech/speech-models";
import { makeTempDir } from "../model/helpers";
import {
  FILE_DATA,
  FILE_SHA256,
  FILE_SIZE,
  startServer,
  TEST_MODEL,
  type TestServer,
} from "../model-manager/server";

/** A speech model the local test server hosts, like Hugging Face would (nothing leaves this machine). */
const SERVED: SpeechModel = {
  id: "test-speech",
  displayName: "Test speech",
  repo: TEST_MODEL.repo,
  file: TEST_MODEL.file,
  sizeBytes: FILE_SIZE,
  sha256: FILE_SHA256,
  description: "served by the test server",
};

let server: TestServer;
const dir = makeTempDir("tinyagent-speech-models-");
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
  dir.remove();
});

describe("speech models", () => {
  it("pins ggml-base.en by size and sha256", () => {
    expect(SPEECH_MODELS.map((m) => m.id)).toEqual([DEFAULT_SPEECH_MODEL_ID]);
    expect(WHISPER_BASE_EN).toMatchObject({
      repo: "ggerganov/whisper.cpp",
      file: "ggml-base.en.bin",
      sizeBytes: 147_964_211,
      sha256: "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
    });
  });

  it("downloads with progress and a sha256 check into the models folder, then resolves to the file", async () => {
    const env = { TINYAGENT_MODEL_BASE_URL: server.base };
    const store = { dir: dir.file("models"), env, catalog: [SERVED] };
    const progress: DownloadProgress[] = [];
    const done = await downloadSpeechModel("test-speech", { ...store, onProgress: (p) => progress.push(p) });
    expect(done).toMatchObject({
      alreadyPresent: false,
      result: { hashVerified: true, sha256: FILE_SHA256 },
    });
    expect(readFileSync(done.path).equals(FILE_DATA)).toBe(true);
    expect(progress.at(-1)).toMatchObject({ bytesDone: FILE_SIZE, percent: 100 });
    await expect(resolveSpeechModel("test-speech", store)).resolves.toEqual({
      path: done.path,
      model: SERVED,
    });
    expect(await downloadSpeechModel("test-speech", store)).toMatchObject({ alreadyPresent: true });
  });

  it("refuses a file whose sha256 is not the published one, and installs nothing", async () => {
    const env = { TINYAGENT_MODEL_BASE_URL: server.base };
    const store = { dir: dir.file("other"), env, catalog: [{ ...SERVED, sha256: "0".repeat(64) }] };
    const error = await downloadSpeechModel("test-speech", store).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelDownloadError);
    await expect(resolveSpeechModel("test-speech", store)).rejects.toMatchObject({ code: "NOT_DOWNLOADED" });
  });

  it("says how to get the model, and takes a file or TINYAGENT_SPEECH_MODEL instead", async () => {
    const store = { dir: dir.file("empty"), env: {} };
    await expect(resolveSpeechModel(DEFAULT_SPEECH_MODEL_ID, store)).rejects.toThrow(
      "Whisper base.en (148.0 MB), the speech model, is not downloaded yet. Run: npx tinyagent model download whisper-base.en",
    );
    const file = dir.file("own.bin");
    await import("node:fs/promises").then((fs) => fs.writeFile(file, "x"));
    await expect(resolveSpeechModel(file, store)).resolves.toEqual({ path: file });
    await expect(
      resolveSpeechModel(DEFAULT_SPEECH_MODEL_ID, { ...store, env: { TINYAGENT_SPEECH_MODEL: file } }),
    ).resolves.toEqual({ path: file });
    await expect(resolveSpeechModel("whisper-huge", store)).rejects.toMatchObject({ code: "UNKNOWN_MODEL" });
  });
});
