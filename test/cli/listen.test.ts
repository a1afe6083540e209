import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { makeTempDir } from "../model/helpers";
import { childEnv, expectExit, ROOT, runCli } from "./helpers";

/**
 * `tinyagent listen` end to end: the real CLI and whisper.cpp binding; only macOS is replaced, by the
 * stand-in osascript (test/fixtures/macos), which "records" the speech fixture.
 */

const FAKE_BIN = join(ROOT, "test", "fixtures", "macos");
const SPEECH = join(ROOT, "test", "fixtures", "speech", "text-lutfi.wav");
const dir = makeTempDir("tinyagent-listen-");
let model: string;

beforeAll(async () => {
  model = await writeTinyWhisperModel(dir.file("tiny-whisper.bin"));
});
afterAll(() => dir.remove());

function macEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...childEnv(), TINYAGENT_MODELS_DIR: dir.file("models") };
  delete env.TINYAGENT_SPEECH_MODEL;
  delete env.FAKE_MICROPHONE;
  return {
    ...env,
    TINYAGENT_BACKEND: "mac",
    PATH: `${FAKE_BIN}${delimiter}${env.PATH ?? ""}`,
    FAKE_OSASCRIPT_LOG: dir.file("osascript.jsonl"),
    FAKE_MICROPHONE_WAV: SPEECH,
    ...extra,
  };
}

describe("tinyagent listen", () => {
  it("records from the microphone and prints what was said", async () => {
    const result = await runCli(["listen", "--json"], { env: macEnv({ TINYAGENT_SPEECH_MODEL: model }) });
    expectExit(result, 0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      text: expect.stringMatching(/^[a-z ]*$/),
      audioSeconds: 3.113,
    });
    expect(result.stderr).toMatch(/^Listening… \(stops after a pause\)\nTranscribing 3\.1 s…\n$/);
  });

  it("names the Microphone pane of System Settings when access is off", async () => {
    const result = await runCli(["listen"], {
      env: macEnv({ TINYAGENT_SPEECH_MODEL: model, FAKE_MICROPHONE: "denied" }),
    });
    expectExit(result, 1);
    expect(result.stderr).toContain("System Settings › Privacy & Security › Microphone");
  });

  it("says how to get the speech model before recording anything", async () => {
    const result = await runCli(["listen"], { env: macEnv() });
    expectExit(result, 1);
    expect(result.stderr).toMatch(
      /not downloaded yet\. Run: npx tinyagent model download whisper-base\.en\n$/,
    );
    expect(result.stderr).not.toContain("Listening");
  });

  it("says recording needs macOS elsewhere", async () => {
    if (process.platform === "darwin") return;
    const env = macEnv({ TINYAGENT_SPEECH_MODEL: model });
    delete env.TINYAGENT_BACKEND;
    const result = await runCli(["listen"], { env });
    expectExit(result, 1);
    expect(result.stderr).toMatch(
      /needs macOS\. Transcribe a recording instead: tinyagent transcribe FILE\.wav/,
    );
  });
});
