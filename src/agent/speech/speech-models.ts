import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { downloadUrl, modelBaseUrl } from "../model/catalog";
import { downloadModel, formatBytes, type DownloadProgress, type DownloadResult } from "../model/download";
import { downloadCommand, folderOf } from "../model/model-store";

/**
 * The whisper.cpp models TinyAgent can download for speech requests, and where they live: in the same
 * models folder as the planners, fetched by the same downloader (progress, resume, size and sha256
 * checked before the file is moved into place). They are not planner models, so they are kept out of
 * the planner catalog (catalog.ts), whose downloaded entries can become the default planner.
 */
export interface SpeechModel {
  /** Used on the command line and in the Speech Model preference. */
  id: string;
  displayName: string;
  /** Hugging Face repository, "owner/name". */
  repo: string;
  /** File in the repository; also the file name in the models folder. */
  file: string;
  sizeBytes: number;
  /** Lower-case hex sha256 of the published file. */
  sha256: string;
  description: string;
}

/**
 * ggml-base.en from whisper.cpp's own model repository on Hugging Face. Hugging Face cannot be reached
 * from where this was written, so size and sha256 were not read from the repository itself: they are the
 * ones several independent public projects pin for this file (Nix `fetchurl` hashes
 * `sha256-oDd5yG3zMjB19eeWyyzlAp8A7Ihp7uP9+4l6/jbG0AI=`, the same digest in hex in a Rust model catalog
 * with 147,964,211 bytes). A file that differs is refused, never used; docs/speech.md says how to check.
 */
export const WHISPER_BASE_EN: SpeechModel = {
  id: "whisper-base.en",
  displayName: "Whisper base.en",
  repo: "ggerganov/whisper.cpp",
  file: "ggml-base.en.bin",
  sizeBytes: 147_964_211,
  sha256: "a03779c86df3323075f5e796cb2ce5029f00ec8869eee3fdfb897afe36c6d002",
  description: "English speech to text on this Mac (148 MB); fast on Apple silicon.",
};

export const SPEECH_MODELS: readonly SpeechModel[] = [WHISPER_BASE_EN];

export const DEFAULT_SPEECH_MODEL_ID = WHISPER_BASE_EN.id;

/** Points at a whisper.cpp model file to use instead of a downloaded one (tests, CI, a model of one's own). */
export const SPEECH_MODEL_VARIABLE = "TINYAGENT_SPEECH_MODEL";

export interface SpeechModelStoreOptions {
  /** The models folder; default modelsFolder({ supportPath, env }). */
  dir?: string;
  supportPath?: string;
  env?: NodeJS.ProcessEnv;
  /** The speech models offered; default SPEECH_MODELS (tests pass their own). */
  catalog?: readonly SpeechModel[];
}

/** A speech model asked for cannot be used; the message says what to run. */
export class SpeechModelMissingError extends Error {
  override readonly name = "SpeechModelMissingError";
  constructor(
    readonly code: "NOT_DOWNLOADED" | "NO_FILE" | "UNKNOWN_MODEL",
    message: string,
  ) {
    super(message);
  }
}

export function findSpeechModel(
  id: string,
  catalog: readonly SpeechModel[] = SPEECH_MODELS,
): SpeechModel | undefined {
  const wanted = id.trim().toLowerCase();
  return catalog.find((model) => model.id === wanted);
}

/** Where a speech model lives, or will once downloaded. */
export function speechModelPath(model: SpeechModel, options: SpeechModelStoreOptions = {}): string {
  return join(folderOf(options), model.file);
}

/** A speech model as `tinyagent model list` shows it. */
export interface SpeechModelEntry {
  id: string;
  displayName: string;
  bytes: number;
  path: string;
  /** The file is there at its published size (the sha256 was checked when it was downloaded). */
  installed: boolean;
}

export async function listSpeechModels(options: SpeechModelStoreOptions = {}): Promise<SpeechModelEntry[]> {
  return Promise.all(
    (options.catalog ?? SPEECH_MODELS).map(async (model) => {
      const path = speechModelPath(model, options);
      const size = await stat(path).then(
        (info) => info.size,
        () => undefined,
      );
      return {
        id: model.id,
        displayName: model.displayName,
        bytes: model.sizeBytes,
        path,
        installed: size === model.sizeBytes,
      };
    }),
  );
}

export interface ResolvedSpeechModel {
  path: string;
  /** The catalog entry; undefined for a file given by path or TINYAGENT_SPEECH_MODEL. */
  model?: SpeechModel;
}

/**
 * The file to transcribe with: TINYAGENT_SPEECH_MODEL when set, else a path the person gave, else the
 * downloaded catalog model (default base.en). Throws SpeechModelMissingError saying how to get it.
 */
export async function resolveSpeechModel(
  idOrPath: string = DEFAULT_SPEECH_MODEL_ID,
  options: SpeechModelStoreOptions = {},
): Promise<ResolvedSpeechModel> {
  const fromEnv = (options.env ?? process.env)[SPEECH_MODEL_VARIABLE]?.trim();
  const model = findSpeechModel(idOrPath, options.catalog);
  if (fromEnv && (model?.id === DEFAULT_SPEECH_MODEL_ID || idOrPath === DEFAULT_SPEECH_MODEL_ID)) {
    return { path: await existingFile(resolve(fromEnv), `set by ${SPEECH_MODEL_VARIABLE}: fix or unset it`) };
  }
  if (!model) {
    if (!/[\\/]|\.bin$/i.test(idOrPath)) {
      throw new SpeechModelMissingError(
        "UNKNOWN_MODEL",
        `Unknown speech model "${idOrPath}". Use ${SPEECH_MODELS.map((m) => m.id).join(", ")}, or the path ` +
          `of a whisper.cpp .bin file.`,
      );
    }
    return { path: await existingFile(resolve(idOrPath), "check the path") };
  }
  const path = speechModelPath(model, options);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new SpeechModelMissingError(
      "NOT_DOWNLOADED",
      `${model.displayName} (${formatBytes(model.sizeBytes)}), the speech model, is not downloaded yet. ` +
        `Run: ${downloadCommand(model.id)}`,
    );
  }
  return { path, model };
}

async function existingFile(path: string, hint: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile())
    throw new SpeechModelMissingError("NO_FILE", `No speech model file at ${path} (${hint}).`);
  return path;
}

export interface DownloadSpeechModelOptions extends SpeechModelStoreOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  force?: boolean;
  retries?: number;
}

export interface SpeechModelDownload {
  model: SpeechModel;
  path: string;
  alreadyPresent: boolean;
  result?: DownloadResult;
}

/** Downloads a speech model with the planners' downloader: resumable, size and sha256 checked. */
export async function downloadSpeechModel(
  id: string = DEFAULT_SPEECH_MODEL_ID,
  options: DownloadSpeechModelOptions = {},
): Promise<SpeechModelDownload> {
  const model = findSpeechModel(id, options.catalog);
  if (!model) throw new SpeechModelMissingError("UNKNOWN_MODEL", `Unknown speech model "${id}".`);
  const path = speechModelPath(model, options);
  const present = await stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
  if (present && !options.force) return { model, path, alreadyPresent: true };
  const result = await downloadModel({
    url: downloadUrl(model, modelBaseUrl(options.env)),
    destination: path,
    sha256: model.sha256,
    size: model.sizeBytes,
    signal: options.signal,
    onProgress: options.onProgress,
    retries: options.retries,
  });
  return { model, path, alreadyPresent: false, result };
}
