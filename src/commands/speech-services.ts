import { randomBytes } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { SpeechModelNeeded, type SpeechServices } from "../agent/session/speech-request";
import {
  DEFAULT_SPEECH_MODEL_ID,
  downloadSpeechModel,
  findSpeechModel,
  resolveSpeechModel,
  SpeechModelMissingError,
} from "../agent/speech/speech-models";
import { transcribe } from "../agent/speech/transcriber";
import { decodeWav, toWhisperPcm } from "../agent/speech/wav-audio";
import { recordSpeech, stopRecording } from "../tools/macos/microphone";

/**
 * The wiring of Speak to TinyAgent (SpeechRequest's services): the microphone through osascript, the
 * speech model from the models folder, whisper.cpp from the provisioned engines. No Raycast import: the
 * command passes its support path, preferences and hand-off, and tests pass theirs.
 */
export interface SpeechWiring {
  /** Where recordings are made (deleted once transcribed) and models live: Raycast's support path. */
  supportPath?: string;
  env?: NodeJS.ProcessEnv;
  /** A speech model id, or the path of a whisper.cpp file (the Speech Model preference). */
  speechModel?: string;
  /** The engines folder holding the whisper binding; undefined: node_modules (CLI, tests). */
  runtimeDir: () => Promise<string | undefined>;
  handOff: (request: string) => Promise<void>;
  /** Longest recording, in seconds. */
  maxSeconds?: number;
}

export function speechServices(wiring: SpeechWiring): SpeechServices {
  const choice = wiring.speechModel?.trim() || DEFAULT_SPEECH_MODEL_ID;
  const store = { supportPath: wiring.supportPath, env: wiring.env };
  const folder = join(wiring.supportPath ?? join(process.cwd(), ".tinyagent"), "recordings");
  const id = randomBytes(4).toString("hex");
  const stopPath = join(folder, `speech-${id}.stop`);
  return {
    async speechModel() {
      try {
        return (await resolveSpeechModel(choice, store)).path;
      } catch (error) {
        const model = findSpeechModel(choice);
        if (error instanceof SpeechModelMissingError && error.code === "NOT_DOWNLOADED" && model) {
          throw new SpeechModelNeeded({ name: model.displayName, bytes: model.sizeBytes }, error.message);
        }
        throw error;
      }
    },
    async downloadSpeechModel({ signal, onProgress }) {
      await downloadSpeechModel(choice, { ...store, signal, onProgress, retries: 3 });
    },
    async record({ signal }) {
      await mkdir(folder, { recursive: true });
      const outputPath = join(folder, `speech-${id}-${Date.now()}.wav`);
      return recordSpeech({
        outputPath,
        stopPath,
        signal,
        ...(wiring.maxSeconds === undefined ? {} : { maxSeconds: wiring.maxSeconds }),
      });
    },
    stopRecording: () => stopRecording(stopPath),
    async transcribe({ path, modelPath, signal }) {
      try {
        const audio = toWhisperPcm(decodeWav(await readFile(path), "The recording"));
        const runtimeDir = await wiring.runtimeDir();
        const transcript = await transcribe({
          modelPath,
          audio,
          signal,
          ...(runtimeDir === undefined ? {} : { runtimeDir }),
        });
        return { text: transcript.text };
      } finally {
        // The words are kept in the transcript; the voice is not kept on disk.
        await rm(path, { force: true });
      }
    },
    handOff: wiring.handOff,
  };
}
