import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { makeTempDir } from "../model/helpers";
import { childEnv, expectExit, ROOT, runCli } from "./helpers";

/** `tinyagent transcribe` end to end: the real CLI, the real whisper.cpp binding, the tiny model. */

const SPEECH = join(ROOT, "test", "fixtures", "speech", "text-lutfi.wav");
const dir = makeTempDir("tinyagent-transcribe-");
let model: string;

beforeAll(async () => {
  model = await writeTinyWhisperModel(dir.file("tiny-whisper.bin"));
});
afterAll(() => dir.remove());

/** The environment of a machine with no speech model downloaded (an empty models folder). */
function envWith(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...childEnv(), TINYAGENT_MODELS_DIR: dir.file("models") };
  delete env.TINYAGENT_SPEECH_MODEL;
  return { ...env, ...extra };
}

describe("tinyagent transcribe", () => {
  it("prints the words of a WAV file, transcribed by the tiny model", async () => {
    const result = await runCli(["transcribe", SPEECH], { env: envWith({ TINYAGENT_SPEECH_MODEL: model }) });
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^[a-z ]+\n$/);
  });

  it("gives segments, timings and the real-time factor with --json, for a model given by path", async () => {
    const result = await runCli(["transcribe", SPEECH, "--model", model, "--json", "--threads", "1"], {
      env: envWith(),
    });
    expectExit(result, 0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ audioSeconds: 3.113, threads: 1, text: expect.any(String) });
    expect(report.realTimeFactor).toBeGreaterThan(0);
  });

  it("says how to download the speech model when there is none", async () => {
    const result = await runCli(["transcribe", SPEECH], { env: envWith() });
    expectExit(result, 1);
    expect(result.stderr).toBe(
      "tinyagent: Whisper base.en (148.0 MB), the speech model, is not downloaded yet. Run: npx tinyagent model download whisper-base.en\n",
    );
  });

  it("reports a damaged model and a file that is not audio in a sentence, without a stack", async () => {
    const damaged = dir.file("damaged.bin");
    writeFileSync(damaged, Buffer.concat([Buffer.from("lmgg"), Buffer.alloc(2000, 7)]));
    const corrupt = await runCli(["transcribe", SPEECH, "--model", damaged], { env: envWith() });
    expectExit(corrupt, 1);
    expect(corrupt.stderr).toMatch(
      /^tinyagent: .*damaged\.bin cannot be used as a speech model: .*it is damaged\.\n$/,
    );
    const notAudio = await runCli(["transcribe", join(ROOT, "package.json")], {
      env: envWith({ TINYAGENT_SPEECH_MODEL: model }),
    });
    expectExit(notAudio, 1);
    expect(notAudio.stderr).toMatch(/package\.json is not a WAV file/);
  });

  it("is pointed to a download command that knows the speech model", async () => {
    const result = await runCli(["model", "path", "whisper-base.en"], { env: envWith() });
    expectExit(result, 1); // not downloaded yet
    expect(result.stdout).toBe(`${join(dir.file("models"), "ggml-base.en.bin")}\n`);
  });

  it("asks for a file", async () => {
    const result = await runCli(["transcribe"], { env: envWith() });
    expectExit(result, 2);
    expect(result.stderr).toMatch(/expected a WAV file to transcribe/);
  });
});
