import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeTinyWhisperModel } from "../../src/agent/speech/tiny-whisper-model";
import { transcribe } from "../../src/agent/speech/transcriber";
import { decodeWav, toWhisperPcm } from "../../src/agent/speech/wav-audio";
import { figure, type Figure } from "./figure";

const FIXTURE = join(import.meta.dirname, "..", "..", "test", "fixtures", "speech", "text-lutfi.wav");

/**
 * Speech requests (issue 18): the real-time factor of whisper.cpp through TinyAgent's pipeline (WAV
 * reading, the transcription process, the binding) with the tiny random-weight whisper model on one CPU
 * thread. It measures the pipeline's own cost on this machine, not base.en's speed: docs/speech.md gives
 * whisper.cpp's published figures for base on Apple silicon.
 */
export async function measureTranscription(folder: string, runs = 3): Promise<Figure[]> {
  const model = await writeTinyWhisperModel(join(folder, "tiny-whisper.bin"));
  const audio = toWhisperPcm(decodeWav(await readFile(FIXTURE)));
  const seconds = audio.length / 16_000;
  const factors: number[] = [];
  const totals: number[] = [];
  for (let run = 0; run < runs; run++) {
    const transcript = await transcribe({ modelPath: model, audio, threads: 1, gpu: false });
    factors.push(transcript.transcribeMs / 1000 / seconds);
    totals.push(transcript.elapsedMs);
  }
  const note = `tiny random-weight whisper model (1 layer, width 8), ${seconds.toFixed(1)} s espeak-ng request, 1 thread, median of ${runs}`;
  return [
    figure(
      "speech.real-time-factor",
      "Transcription real-time factor (tiny whisper model)",
      median(factors),
      "x",
      {
        note,
      },
    ),
    figure("speech.total", "Transcription with process start and model load", median(totals), "ms", { note }),
  ];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
