import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AudioFileError, decodeWav, encodeWav, toWhisperPcm } from "../../src/agent/speech/wav-audio";

const FIXTURE = join(import.meta.dirname, "..", "fixtures", "speech", "text-lutfi.wav");

/** A WAV header and data for any format, written by hand (encodeWav only writes 16-bit PCM). */
function wav(options: {
  format: number;
  channels: number;
  rate: number;
  bits: number;
  data: Buffer;
}): Buffer {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "latin1");
  header.writeUInt32LE(36 + options.data.length, 4);
  header.write("WAVEfmt ", 8, "latin1");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(options.format, 20);
  header.writeUInt16LE(options.channels, 22);
  header.writeUInt32LE(options.rate, 24);
  header.writeUInt32LE((options.rate * options.channels * options.bits) / 8, 28);
  header.writeUInt16LE((options.channels * options.bits) / 8, 32);
  header.writeUInt16LE(options.bits, 34);
  header.write("data", 36, "latin1");
  header.writeUInt32LE(options.data.length, 40);
  return Buffer.concat([header, options.data]);
}

describe("WAV audio", () => {
  it("reads the speech fixture: 16 kHz mono, about three seconds", () => {
    const audio = decodeWav(readFileSync(FIXTURE));
    expect(audio).toMatchObject({ sampleRate: 16_000, channels: 1 });
    expect(audio.seconds).toBeCloseTo(3.11, 1);
    // espeak-ng's voice, not silence.
    expect(Math.max(...audio.samples.map(Math.abs))).toBeGreaterThan(0.1);
  });

  it("round-trips 16-bit samples through encodeWav", () => {
    const pcm = Int16Array.from([0, 1, -1, 32767, -32768, 1234]);
    const back = toWhisperPcm(decodeWav(encodeWav(pcm)));
    expect([...back]).toEqual([...pcm]);
  });

  it("mixes channels down and resamples to 16 kHz", () => {
    // One second of stereo at 48 kHz: left a constant, right its opposite half.
    const frames = 48_000;
    const data = Buffer.alloc(frames * 4);
    for (let i = 0; i < frames; i++) {
      data.writeInt16LE(16_000, 4 * i);
      data.writeInt16LE(-8_000, 4 * i + 2);
    }
    const pcm = toWhisperPcm(decodeWav(wav({ format: 1, channels: 2, rate: 48_000, bits: 16, data })));
    expect(pcm.length).toBe(16_000);
    expect(pcm.every((sample) => Math.abs(sample - 4_000) <= 1)).toBe(true);
  });

  it("reads 32-bit float and 24-bit files", () => {
    const floats = Buffer.alloc(8);
    floats.writeFloatLE(0.5, 0);
    floats.writeFloatLE(-2, 4); // clipped
    expect([
      ...decodeWav(wav({ format: 3, channels: 1, rate: 16_000, bits: 32, data: floats })).samples,
    ]).toEqual([0.5, -1]);
    const deep = Buffer.from([0x00, 0x00, 0x40, 0x00, 0x00, 0xc0]); // +0.5, -0.5
    expect([
      ...decodeWav(wav({ format: 1, channels: 1, rate: 16_000, bits: 24, data: deep })).samples,
    ]).toEqual([0.5, -0.5]);
  });

  it("says what is wrong with a file it cannot read", () => {
    expect(() => decodeWav(Buffer.from("ID3 an mp3 file, not a wav"), "memo.mp3")).toThrow(
      new AudioFileError(
        "memo.mp3 is not a WAV file. Record one with `tinyagent listen`, or convert it to WAV.",
      ),
    );
    expect(() =>
      decodeWav(wav({ format: 2, channels: 1, rate: 16_000, bits: 4, data: Buffer.alloc(8) })),
    ).toThrow(/cannot read \(format 2, 4-bit, 1 channels, 16000 Hz\)/);
    const noData = wav({ format: 1, channels: 1, rate: 16_000, bits: 16, data: Buffer.alloc(0) }).subarray(
      0,
      36,
    );
    expect(() => decodeWav(noData)).toThrow(/without audio data/);
  });
});
