import { randomBytes } from "node:crypto";
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { isAbsolute, join, resolve } from "node:path";
import {
  acceptedSize,
  BUNDLED_MODELS,
  CATALOG,
  customModel,
  DEFAULT_MODEL_ID,
  downloadUrl,
  findBundledModel,
  findCatalogModel,
  MICRO_MODEL,
  modelBaseUrl,
  type BundledModel,
  type CatalogModel,
  type ModelProfile,
} from "./catalog";
import {
  downloadModel,
  formatBytes,
  hashFile,
  partPath,
  type DownloadProgress,
  type DownloadResult,
} from "./download";
import { ModelFileError, readGgufHeader } from "./gguf-header";
import { modelsFolder } from "./models-folder";
import { packageModelsDir } from "./package-models";

/**
 * The models on this machine: which catalog models are downloaded, where, and whether they are intact.
 * Next to each downloaded model lies `<file>.sha256.json`, the hash seen when it was last checked, so a
 * model whose hash is not published can still be checked later against what was downloaded.
 */

export interface ModelStoreOptions {
  /** The models folder; default `modelsFolder({ supportPath, env })`. */
  dir?: string;
  /** Raycast's `environment.supportPath` (see modelsFolder). */
  supportPath?: string;
  catalog?: readonly CatalogModel[];
  env?: NodeJS.ProcessEnv;
  /** Where the models that ship with TinyAgent lie; default the package's models folder. */
  bundledDir?: string;
}

export type ModelMissingCode = "NOT_DOWNLOADED" | "NO_FILE" | "UNKNOWN_MODEL";

/** The model asked for cannot be used; the message says exactly what to run or check. */
export class ModelMissingError extends Error {
  constructor(
    readonly code: ModelMissingCode,
    message: string,
    /** The catalog id, when the request named one. */
    readonly modelId?: string,
  ) {
    super(message);
    this.name = "ModelMissingError";
  }
}

export interface ModelEntry {
  id: string;
  /** Ships with TinyAgent (nothing to download) rather than from the catalog. */
  bundled: boolean;
  displayName: string;
  description: string;
  isDefault: boolean;
  path: string;
  url: string;
  installed: boolean;
  /** Size of the downloaded file. */
  bytes?: number;
  /** Bytes of an interrupted download waiting to be resumed. */
  partialBytes?: number;
  /** Exact size when published, else undefined (see approxBytes). */
  expectedBytes?: number;
  approxBytes: number;
  /** The published sha256, if any. */
  sha256?: string;
  /** The sha256 recorded when the file was downloaded or last verified, if any. */
  recordedSha256?: string;
  /**
   * Whether the downloaded file is the published one: its hash matched the published sha256 when it was
   * downloaded or last verified, and its size and time have not changed since. Only such a file is ever
   * the default model.
   */
  verified: boolean;
}

export interface ResolvedModel {
  path: string;
  profile: ModelProfile;
  /**
   * Whether the file is the published one as last checked (its hash matched the published sha256, and its
   * size and time have not changed since); false for bundled and custom files. It says nothing about
   * whether llama.cpp can run the file: every model but the shipped one is probed before it is loaded
   * (probe-model.ts).
   */
  verified: boolean;
  /**
   * The bundled model's own file, as it ships in the package (not one its variable points at). The
   * package's tests load and plan with this very file, so it is not probed before it is loaded.
   */
  shipped?: boolean;
}

interface Stamp {
  sha256: string;
  bytes: number;
  mtimeMs: number;
  /** "published": matched the catalog's hash; "recorded": no published hash, this is what we saw. */
  source: "published" | "recorded";
  checkedAt: string;
}

function catalogOf(options: ModelStoreOptions): readonly CatalogModel[] {
  return options.catalog ?? CATALOG;
}

/** The models folder: `dir`, else modelsFolder({ supportPath, env }); speech models live there too. */
export function folderOf(options: Pick<ModelStoreOptions, "dir" | "supportPath" | "env">): string {
  return options.dir ?? modelsFolder({ supportPath: options.supportPath, env: options.env });
}

/** The catalog model with this id, or a ModelMissingError listing the ids there are. */
export function catalogModel(id: string, options: ModelStoreOptions = {}): CatalogModel {
  const model = findCatalogModel(id, catalogOf(options));
  if (model) return model;
  throw new ModelMissingError(
    "UNKNOWN_MODEL",
    `Unknown model "${id}". Use one of: ${catalogOf(options)
      .map((m) => m.id)
      .join(", ")}, or the path of a .gguf file.`,
  );
}

/** Where the model with this id lives (or will, once downloaded). */
export function modelPath(id: string = DEFAULT_MODEL_ID, options: ModelStoreOptions = {}): string {
  return join(folderOf(options), catalogModel(id, options).file);
}

/** The catalog models, then the bundled ones; the default is the one `defaultModelId` picks. */
export async function listModels(options: ModelStoreOptions = {}): Promise<ModelEntry[]> {
  const base = modelBaseUrl(options.env);
  const catalog = await Promise.all(
    catalogOf(options).map(async (model) => {
      const path = join(folderOf(options), model.file);
      const file = await fileSize(path);
      const part = file === undefined ? await fileSize(partPath(path)) : undefined;
      const stamp = file === undefined ? undefined : await readStamp(path);
      const info = file === undefined ? undefined : await stat(path).catch(() => undefined);
      return {
        id: model.id,
        bundled: false,
        displayName: model.displayName,
        description: model.description,
        isDefault: false,
        path,
        url: downloadUrl(model, base),
        installed: file !== undefined,
        bytes: file,
        partialBytes: part,
        expectedBytes: model.sizeBytes,
        approxBytes: model.approxBytes,
        sha256: model.sha256,
        recordedSha256: stamp?.sha256,
        verified: info !== undefined && stampHolds(stamp, info, model),
      };
    }),
  );
  const bundled = await Promise.all(
    BUNDLED_MODELS.map(async (model) => {
      const path = bundledModelPath(model, options);
      const bytes = await fileSize(path);
      return {
        id: model.id,
        bundled: true,
        displayName: model.displayName,
        description: model.description,
        isDefault: false,
        path,
        url: "",
        installed: bytes !== undefined,
        bytes,
        approxBytes: bytes ?? 0,
        // Ships with TinyAgent; probed before it is loaded, like every model.
        verified: false,
      };
    }),
  );
  const entries: ModelEntry[] = [...catalog, ...bundled];
  const chosen = defaultOf(entries);
  return entries.map((entry) => ({ ...entry, isDefault: entry.id === chosen }));
}

/**
 * The model used when none is named: TinyAgent-1.1B once downloaded and verified (then any other verified
 * catalog model), else TinyAgent-micro, which ships with the package, so planning works from the first
 * run. A downloaded file that is not known to be the published one (changed since it was checked, placed
 * by hand, or never checked) is never the default: name it, or run `model verify`, to use it.
 */
export async function defaultModelId(options: ModelStoreOptions = {}): Promise<string> {
  return defaultOf(await listModels(options));
}

function defaultOf(entries: readonly ModelEntry[]): string {
  const downloaded = entries.filter((entry) => !entry.bundled && entry.installed && entry.verified);
  const preferred = downloaded.find((entry) => entry.id === DEFAULT_MODEL_ID) ?? downloaded[0];
  return preferred?.id ?? MICRO_MODEL.id;
}

/** Where a bundled model lies: the file its variable names (tests, a retrained model), else the package's. */
export function bundledModelPath(model: BundledModel, options: ModelStoreOptions = {}): string {
  const fromEnv = (options.env ?? process.env)[model.pathVariable]?.trim();
  if (fromEnv) return resolve(fromEnv);
  return join(options.bundledDir ?? packageModelsDir(), model.file);
}

/** The shell command that downloads a catalog model; quoted in every "not downloaded" message. */
export function downloadCommand(id: string): string {
  return `npx tinyagent model download ${id}`;
}

/**
 * The file to load for a model id or a path to a GGUF file, with the profile the planner needs. Cheap (no
 * hashing): `verified` says whether the last check still holds.
 */
export async function resolveModel(
  idOrPath: string = DEFAULT_MODEL_ID,
  options: ModelStoreOptions = {},
): Promise<ResolvedModel> {
  const model = findCatalogModel(idOrPath, catalogOf(options));
  if (model) return resolveCatalogModel(model, options);
  const bundled = findBundledModel(idOrPath);
  if (bundled) return resolveBundledModel(bundled, options);
  if (!looksLikePath(idOrPath)) catalogModel(idOrPath, options); // throws UNKNOWN_MODEL
  return resolveFile(idOrPath);
}

async function resolveBundledModel(model: BundledModel, options: ModelStoreOptions): Promise<ResolvedModel> {
  const path = bundledModelPath(model, options);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    const fromEnv = (options.env ?? process.env)[model.pathVariable]?.trim();
    throw new ModelMissingError(
      "NO_FILE",
      fromEnv
        ? `${model.displayName}: no model file at ${path} (set by ${model.pathVariable}). Fix or unset it.`
        : `${model.displayName} is missing from this installation (${path}). Reinstall TinyAgent, or ` +
            `download a planner: ${downloadCommand(DEFAULT_MODEL_ID)}`,
      model.id,
    );
  }
  // A file pointed at on purpose is probed before loading like any local file; the shipped one is not.
  const fromEnv = Boolean((options.env ?? process.env)[model.pathVariable]?.trim());
  return { path, profile: model, verified: false, ...(fromEnv ? {} : { shipped: true }) };
}

async function resolveCatalogModel(model: CatalogModel, options: ModelStoreOptions): Promise<ResolvedModel> {
  const path = join(folderOf(options), model.file);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) {
    throw new ModelMissingError(
      "NOT_DOWNLOADED",
      `${model.displayName} is not downloaded yet. Run: ${downloadCommand(model.id)}`,
      model.id,
    );
  }
  const stamp = await readStamp(path);
  return { path, profile: model, verified: stampHolds(stamp, info, model) };
}

async function resolveFile(given: string): Promise<ResolvedModel> {
  const path = resolve(given);
  const info = await stat(path).catch(() => undefined);
  if (!info) {
    throw new ModelMissingError(
      "NO_FILE",
      `No model file at ${path}. Check the path, or use a model id such as ${DEFAULT_MODEL_ID}.`,
    );
  }
  if (!info.isFile()) {
    throw new ModelMissingError(
      "NO_FILE",
      `${path} is a folder, not a model file. Give the path of a .gguf file.`,
    );
  }
  return { path, profile: customModel(path), verified: false };
}

// Ids are short names without separators; anything else the person typed is meant as a file.
function looksLikePath(value: string): boolean {
  return isAbsolute(value) || /[\\/]/.test(value) || /\.gguf$/i.test(value) || value.startsWith(".");
}

export interface DownloadCatalogModelOptions extends ModelStoreOptions {
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Download again even when the file is already there (it is replaced only once the new one checks out). */
  force?: boolean;
  retries?: number;
  retryDelayMs?: number;
  idleTimeoutMs?: number;
}

export interface CatalogDownload {
  model: CatalogModel;
  path: string;
  /** True when the file was already there and nothing was downloaded. */
  alreadyPresent: boolean;
  result?: DownloadResult;
}

export async function downloadCatalogModel(
  id: string = DEFAULT_MODEL_ID,
  options: DownloadCatalogModelOptions = {},
): Promise<CatalogDownload> {
  const model = catalogModel(id, options);
  const path = join(folderOf(options), model.file);
  if (!options.force && (await fileSize(path)) !== undefined) return { model, path, alreadyPresent: true };
  const result = await downloadModel({
    url: downloadUrl(model, modelBaseUrl(options.env)),
    destination: path,
    sha256: model.sha256,
    size: model.sizeBytes,
    sizeRange: acceptedSize(model),
    // Without a published hash, the file must at least be a GGUF model of the published size.
    ...(model.sha256 ? {} : { check: (part: string) => readGgufHeader(part).then(() => undefined) }),
    signal: options.signal,
    onProgress: options.onProgress,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    idleTimeoutMs: options.idleTimeoutMs,
  });
  await writeStamp(path, result.sha256, result.hashVerified ? "published" : "recorded");
  return { model, path, alreadyPresent: false, result };
}

export type VerifyStatus = "verified" | "mismatch" | "unverifiable";

export interface VerifyResult {
  id: string;
  path: string;
  status: VerifyStatus;
  bytes: number;
  expectedBytes?: number;
  sha256?: string;
  expectedSha256?: string;
  /** Where expectedSha256 came from: the catalog, or the record made at download time. */
  reference: "published" | "recorded" | "none";
  message: string;
}

/**
 * Checks a downloaded model's size and sha256 against the published values, or, when none are published,
 * against the hash recorded at download. With nothing to compare, records the hash for next time.
 */
export async function verifyModel(
  id: string = DEFAULT_MODEL_ID,
  options: ModelStoreOptions & {
    signal?: AbortSignal;
    onProgress?: (progress: DownloadProgress) => void;
  } = {},
): Promise<VerifyResult> {
  const model = catalogModel(id, options);
  const { path } = await resolveCatalogModel(model, options);
  const bytes = (await fileSize(path)) ?? 0;
  const base = { id: model.id, path, bytes, expectedBytes: model.sizeBytes };
  const size = acceptedSize(model);
  if (bytes < size.min || bytes > size.max) {
    return {
      ...base,
      status: "mismatch",
      reference: "published",
      message:
        `${model.displayName} has ${bytes} bytes, ${model.sizeBytes !== undefined ? `expected ${model.sizeBytes}` : `expected about ${formatBytes(model.approxBytes)}`}: ` +
        `the file is damaged or not this model. Run: ${downloadCommand(model.id)} --force`,
    };
  }
  const stamp = await readStamp(path);
  const { sha256 } = await hashFile(path, { signal: options.signal, onProgress: options.onProgress });
  const expected = model.sha256 ?? (stamp?.source === "recorded" ? stamp.sha256 : undefined);
  const reference = model.sha256 ? "published" : expected ? "recorded" : "none";
  const result = { ...base, sha256, expectedSha256: expected, reference } as const;
  if (expected === undefined) {
    await writeStamp(path, sha256, "recorded");
    return {
      ...result,
      status: "unverifiable",
      message:
        `${model.displayName}: sha256 ${sha256}. No published hash to compare with; recorded this one so ` +
        `later checks can tell whether the file changed.`,
    };
  }
  if (sha256 !== expected) {
    return {
      ...result,
      status: "mismatch",
      message:
        `${model.displayName} is damaged or was replaced: its sha256 is ${sha256}, expected ${expected}` +
        `${reference === "recorded" ? " (recorded at download)" : ""}. Run: ${downloadCommand(model.id)} --force`,
    };
  }
  await writeStamp(path, sha256, reference === "published" ? "published" : "recorded");
  return {
    ...result,
    status: "verified",
    message:
      reference === "published"
        ? `${model.displayName} is intact: size and sha256 match the published ones.`
        : `${model.displayName} is unchanged since it was downloaded (sha256 matches the one recorded then; ` +
          `no published hash exists to check it against).`,
  };
}

/**
 * A catalog model's file, made sure to be the published one before it is used: a file not known to be
 * (changed since it was checked, placed by hand, never checked) is hashed once now (seconds: 668 MB at a
 * few hundred MB/s) and refused when it is not, with what to run. What is known is read from the file's
 * record here, whatever `model.verified` says. Bundled and custom files pass as they are; like every
 * model, they are probed before loading.
 */
export async function checkModelFile(
  model: ResolvedModel,
  options: { signal?: AbortSignal; onProgress?: (progress: DownloadProgress) => void } = {},
): Promise<ResolvedModel> {
  const profile = model.profile;
  if (profile.kind !== "catalog") return model;
  const info = await stat(model.path);
  if (stampHolds(await readStamp(model.path), info, profile)) return { ...model, verified: true };
  const size = acceptedSize(profile);
  const refuse = (why: string) =>
    new ModelFileError(
      "corrupt",
      model.path,
      `${profile.displayName} at ${model.path} is not the published file (${why}): it is damaged or was ` +
        `replaced, so it is not used. Run: ${downloadCommand(profile.id)} --force`,
    );
  if (info.size < size.min || info.size > size.max) {
    throw refuse(
      `${info.size} bytes, expected ${profile.sizeBytes ?? `about ${formatBytes(profile.approxBytes)}`}`,
    );
  }
  if (profile.sha256 === undefined) {
    // Nothing published to compare with: the hash seen at download must still hold.
    const stamp = await readStamp(model.path);
    if (stamp && stamp.bytes === info.size && stamp.mtimeMs === info.mtimeMs) return model;
    if (!stamp) throw refuse("no hash is published to check it against, and TinyAgent did not download it");
    const { sha256 } = await hashFile(model.path, options);
    if (stamp.sha256 !== sha256) throw refuse("its hash is not the one recorded when it was downloaded");
    await writeStamp(model.path, sha256, "recorded");
    return model;
  }
  const { sha256 } = await hashFile(model.path, options);
  if (sha256 !== profile.sha256) throw refuse(`sha256 ${sha256}, expected ${profile.sha256}`);
  await writeStamp(model.path, sha256, "published");
  return { ...model, verified: true };
}

// ---------------------------------------------------------------------------------------------------

async function fileSize(path: string): Promise<number | undefined> {
  const info = await stat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}

function stampPath(modelFile: string): string {
  return `${modelFile}.sha256.json`;
}

async function readStamp(modelFile: string): Promise<Stamp | undefined> {
  try {
    const value = JSON.parse(await readFile(stampPath(modelFile), "utf8")) as Partial<Stamp>;
    if (typeof value.sha256 !== "string" || typeof value.bytes !== "number") return undefined;
    if (typeof value.mtimeMs !== "number") return undefined;
    return { ...value, source: value.source === "published" ? "published" : "recorded" } as Stamp;
  } catch {
    return undefined; // no record, or an unreadable one: the file is simply unchecked
  }
}

async function writeStamp(modelFile: string, sha256: string, source: Stamp["source"]): Promise<void> {
  const info = await stat(modelFile);
  const stamp: Stamp = {
    sha256,
    bytes: info.size,
    mtimeMs: info.mtimeMs,
    source,
    checkedAt: new Date().toISOString(),
  };
  // Written aside and renamed, so a reader never sees half a record.
  const temporary = `${stampPath(modelFile)}.${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(temporary, `${JSON.stringify(stamp, null, 2)}\n`);
    await rename(temporary, stampPath(modelFile));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

function stampHolds(
  stamp: Stamp | undefined,
  info: { size: number; mtimeMs: number },
  model: CatalogModel,
): boolean {
  if (!stamp || stamp.bytes !== info.size || stamp.mtimeMs !== info.mtimeMs) return false;
  // A hash recorded at download proves the file unchanged since, not that it is the published one.
  return model.sha256 !== undefined && stamp.sha256 === model.sha256;
}
