import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  recordingOf,
  recordSpeech,
  recordSpeechScript,
  stopRecording,
} from "../../src/tools/macos/microphone";
import { SETTINGS } from "../../src/tools/macos/osascript";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";

const FAKE_BIN = join(import.meta.dirname, "..", "fixtures", "macos");
const SPEECH = join(import.meta.dirname, "..", "fixtures", "speech", "text-lutfi.wav");

describe("the microphone recorder's script", () => {
  const plain = recordSpeechScript({ outputPath: "/tmp/a.wav", stopPath: "/tmp/a.stop" });

  it("drives AVFoundation for 16 kHz mono 16-bit PCM and checks the permission first", () => {
    expect(plain).toMatch(/^use framework "AVFoundation"$/m);
    expect(plain).toContain('authorizationStatusForMediaType:"soun"');
    expect(plain).toContain("{1819304813, 16000.0, 1, 16, false, false}");
    expect(plain.indexOf("authorizationStatus")).toBeLessThan(plain.indexOf("recorder's |record|()"));
    // `record` is an AppleScript word: called bare, the script would not compile.
    expect(plain).not.toMatch(/'s record\(\)/);
  });

  it("hands over the paths only as encoded texts, whatever they hold", () => {
    const skeleton = decodeScript(plain).skeleton;
    for (const text of ADVERSARIAL_TEXTS) {
      const script = recordSpeechScript({ outputPath: `/tmp/${text}.wav`, stopPath: `${text}.stop` });
      const decoded = decodeScript(script);
      expect(decoded.skeleton).toBe(skeleton);
      expect(decoded.texts.slice(3, 5)).toEqual([`/tmp/${text}.wav`, `${text}.stop`]);
      expect(decoded.skeleton).not.toContain("do shell script");
    }
  });

  it("writes its numbers as numbers and refuses ones no recording has", () => {
    const script = recordSpeechScript({
      outputPath: "a",
      stopPath: "b",
      maxSeconds: 12,
      silenceSeconds: 1.5,
    });
    expect(script).toContain("set maxSeconds to 12\n");
    expect(script).toContain("set silenceSeconds to 1.5\n");
    expect(() => recordSpeechScript({ outputPath: "a", stopPath: "b", maxSeconds: Number.NaN })).toThrow(
      RangeError,
    );
    expect(() => recordSpeechScript({ outputPath: "a", stopPath: "b", maxSeconds: 1e9 })).toThrow(RangeError);
  });

  it("reads what the script printed: a recording, a refusal naming the Microphone pane, a failure", () => {
    expect(recordingOf("recorded 3.25", "/x.wav")).toEqual({ path: "/x.wav", seconds: 3.25 });
    expect(recordingOf("recorded 3,5", "/x.wav").seconds).toBe(3.5);
    const denied = (() => {
      try {
        return recordingOf("denied", "/x.wav");
      } catch (error) {
        return error;
      }
    })();
    expect(denied).toBeInstanceOf(ToolError);
    expect(denied).toMatchObject({
      code: "permission",
      message: expect.stringContaining("System Settings › Privacy & Security › Microphone"),
      settings: SETTINGS.microphone,
    });
    expect(() => recordingOf("failed The operation couldn’t be completed.", "/x.wav")).toThrow(
      /Recording could not start \(The operation couldn’t be completed\.\)\. Check that a microphone/,
    );
  });
});

describe("recording with osascript (a stand-in on PATH)", () => {
  const saved = { ...process.env };
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), "tinyagent-microphone-"));
    process.env.PATH = `${FAKE_BIN}${delimiter}${process.env.PATH ?? ""}`;
    process.env.FAKE_OSASCRIPT_LOG = join(folder, "osascript.jsonl");
  });
  afterAll(async () => {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
    await rm(folder, { recursive: true, force: true });
  });

  it("records to the file asked for, and clears the stop file", async () => {
    process.env.FAKE_MICROPHONE_WAV = SPEECH;
    const outputPath = join(folder, 'it\'s "mine".wav');
    const stopPath = join(folder, "rec.stop");
    await stopRecording(stopPath); // left over from an earlier recording: must not stop this one at once
    const recording = await recordSpeech({ outputPath, stopPath, signal: new AbortController().signal });
    expect(recording).toEqual({ path: outputPath, seconds: 3.1 });
    expect(readFileSync(outputPath).equals(readFileSync(SPEECH))).toBe(true);
    expect(existsSync(stopPath)).toBe(false);
    const sent = readFileSync(process.env.FAKE_OSASCRIPT_LOG!, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { script: string });
    expect(decodeScript(sent.at(-1)!.script).texts).toContain(outputPath);
  });

  it("says where to allow the microphone when access is off, and leaves no file", async () => {
    process.env.FAKE_MICROPHONE = "denied";
    const outputPath = join(folder, "denied.wav");
    await writeFile(outputPath, "old");
    await expect(
      recordSpeech({ outputPath, stopPath: join(folder, "d.stop"), signal: new AbortController().signal }),
    ).rejects.toThrow(
      /Allow it for Raycast \(or your terminal\) in System Settings › Privacy & Security › Microphone/,
    );
    expect(existsSync(outputPath)).toBe(false);
    delete process.env.FAKE_MICROPHONE;
  });
});
