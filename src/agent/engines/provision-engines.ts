import { randomBytes } from "node:crypto";
import { access, cp, mkdir, readdir, rename, rm } from "node:fs/promises";
import { join, sep } from "node:path";
import { downloadModel } from "../model/download";
import {
  DEFAULT_REGISTRY,
  engineManifestSchema,
  enginePackagesFor,
  enginePlatform,
  tarballUrl,
  type EngineManifest,
  type EnginePackage,
  type EnginePlatform,
} from "./engine-manifest";
import {
  abortedError,
  downloadFailure,
  EngineSetupError,
  fileSystemError,
  integrityError,
  packageId,
  unpackError,
} from "./engine-setup-error";
import committedManifest from "./engine-packages.json";
import { INSTALL_MARKER, isCompleteInstall, readInstallMarker, writeInstallMarker } from "./install-marker";
import { checkIntegrity } from "./integrity";
import { SetupProgressMeter, type EngineSetupProgress } from "./setup-progress";
import { unpackTarball } from "./unpack-tarball";

/**
 * First-run set-up of the native engines (DESIGN §7): downloads the npm tarballs of node-llama-cpp (with
 * its platform's prebuilt binary) and onnxruntime-node and their run-time dependencies, at the versions
 * and hashes of our package-lock.json, checks each hash, and installs them as a node_modules tree that
 * the loaders import by absolute path (`loadLlama({ runtimeDir })`, `loadOnnxRuntime(runtimeDir)`).
 *
 * Layout under `targetDir`:
 *   runtime/       the installed tree (`runtimeDir`), complete when it holds tinyagent-engines.json
 *   downloads/     tarballs and `.part` files, kept until the install succeeds so a set-up resumes
 *   .staging-*     a tree being unpacked; moved to runtime/ in one rename when complete
 */

export interface ProvisionEnginesOptions {
  /** Folder for the engines (in Raycast: `environment.supportPath`). Created when missing. */
  targetDir: string;
  /** Defaults to this process's `process.platform` and `process.arch`. */
  platform?: string;
  arch?: string;
  onProgress?: (progress: EngineSetupProgress) => void;
  /** Stops the set-up; downloaded bytes are kept and the next set-up resumes from them. */
  signal?: AbortSignal;
  /** npm registry (or a mirror of it) to download from; https://registry.npmjs.org by default. */
  registry?: string;
  /** The packages to install; the committed engine-packages.json by default. */
  manifest?: EngineManifest;
  /** Tarballs downloaded side by side (the largest first). */
  concurrency?: number;
}

export interface ProvisionedEngines {
  /** Folder holding `node_modules/node-llama-cpp` and `node_modules/onnxruntime-node`. */
  runtimeDir: string;
  platform: EnginePlatform;
  /** False when the engines were already installed and nothing was done. */
  installed: boolean;
  /** Bytes downloaded by this call (not counting bytes kept from an interrupted set-up). */
  downloadedBytes: number;
}

/** Where `provisionEngines` installs the engines under `targetDir`. */
export function engineRuntimeDir(targetDir: string): string {
  return join(targetDir, "runtime");
}

/**
 * The runtime folder when the engines are completely installed for this platform, without touching the
 * network; undefined when a set-up is needed. For a UI deciding whether to show the set-up.
 */
export async function installedEngines(
  options: Pick<ProvisionEnginesOptions, "targetDir" | "platform" | "arch" | "manifest">,
): Promise<string | undefined> {
  const { platform, packages } = planFor(options);
  const runtimeDir = engineRuntimeDir(options.targetDir);
  return (await isCompleteInstall(runtimeDir, platform, packages)) ? runtimeDir : undefined;
}

// Set-ups running in this process, by runtime folder: a second one waits for the first, then finds the
// engines installed (or tries again if the first failed).
const running = new Map<string, Promise<unknown>>();

export async function provisionEngines(options: ProvisionEnginesOptions): Promise<ProvisionedEngines> {
  const key = engineRuntimeDir(options.targetDir);
  for (let other = running.get(key); other; other = running.get(key)) await other.catch(() => undefined);
  const setup = provisionAlone(options);
  running.set(key, setup);
  try {
    return await setup;
  } finally {
    if (running.get(key) === setup) running.delete(key);
  }
}

async function provisionAlone(options: ProvisionEnginesOptions): Promise<ProvisionedEngines> {
  const { platform, packages } = planFor(options);
  const runtimeDir = engineRuntimeDir(options.targetDir);
  if (await isCompleteInstall(runtimeDir, platform, packages)) {
    return { runtimeDir, platform, installed: false, downloadedBytes: 0 };
  }
  const downloadsDir = join(options.targetDir, "downloads");
  await mkdir(downloadsDir, { recursive: true }).catch((error: unknown) => {
    throw fileSystemError(downloadsDir, error);
  });
  await removeAbandonedStaging(options.targetDir);
  // An update that adds or changes a few packages downloads only those (an engine added for speech
  // would otherwise fetch all 157 MB again): the others are copied from the install they replace.
  const reused = await reusablePackages(runtimeDir, platform, packages);
  const tarballs = uniqueTarballs(packages.filter((entry) => !reused.has(entry.path)));
  const totalBytes = tarballs.reduce((sum, entry) => sum + (entry.size ?? 0), 0);
  const meter = new SetupProgressMeter(options.onProgress, totalBytes, packages.length);
  const context: Context = { options, downloadsDir, meter, downloadedBytes: 0 };

  const files = await downloadAll(tarballs, context);
  await install(packages, files, platform, runtimeDir, context, reused);
  // The tarballs are only needed to resume; the installed tree is all that is used from now on.
  await rm(downloadsDir, { recursive: true, force: true }).catch(() => undefined);
  meter.done();
  return { runtimeDir, platform, installed: true, downloadedBytes: context.downloadedBytes };
}

interface Context {
  options: ProvisionEnginesOptions;
  downloadsDir: string;
  meter: SetupProgressMeter;
  downloadedBytes: number;
}

function planFor(options: Pick<ProvisionEnginesOptions, "platform" | "arch" | "manifest">): {
  platform: EnginePlatform;
  packages: EnginePackage[];
} {
  let platform: EnginePlatform;
  try {
    platform = enginePlatform(options.platform ?? process.platform, options.arch ?? process.arch);
  } catch (error) {
    throw new EngineSetupError("UNSUPPORTED_PLATFORM", (error as Error).message, { cause: error });
  }
  const manifest = options.manifest ?? engineManifestSchema.parse(committedManifest);
  return { platform, packages: enginePackagesFor(manifest, platform) };
}

/** One download per name@version: the same version nested in two places is one tarball. */
function uniqueTarballs(packages: readonly EnginePackage[]): EnginePackage[] {
  const byId = new Map<string, EnginePackage>();
  for (const entry of packages) byId.set(packageId(entry), entry);
  return [...byId.values()];
}

function tarballPath(downloadsDir: string, entry: EnginePackage): string {
  return join(downloadsDir, `${entry.name.replace("/", "+")}-${entry.version}.tgz`);
}

// ---------------------------------------------------------------------------------------------------
// Download

/**
 * Downloads and checks every tarball, a few at a time, the largest first (they dominate the time, and
 * small ones fill the gaps). The first failure stops the others and is the one reported.
 */
async function downloadAll(tarballs: EnginePackage[], context: Context): Promise<Map<string, string>> {
  const stop = new AbortController();
  const outer = context.options.signal;
  const signal = outer ? AbortSignal.any([outer, stop.signal]) : stop.signal;
  const queue = [...tarballs].sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
  const files = new Map<string, string>();
  let failure: unknown;
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry && failure === undefined; entry = queue.shift()) {
      try {
        files.set(packageId(entry), await obtainTarball(entry, context, signal));
      } catch (error) {
        failure ??= outer?.aborted ? abortedError(context.downloadsDir) : error;
        stop.abort();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, context.options.concurrency ?? 6) }, worker));
  if (failure !== undefined) throw failure;
  return files;
}

/** A verified tarball on disk: kept from an earlier set-up when its hash matches, else downloaded. */
async function obtainTarball(entry: EnginePackage, context: Context, signal: AbortSignal): Promise<string> {
  const id = packageId(entry);
  const file = tarballPath(context.downloadsDir, entry);
  const url = tarballUrl(entry, context.options.registry ?? DEFAULT_REGISTRY);
  if (await exists(file)) {
    const kept = await verify(file, entry, url, signal).catch(() => false);
    if (kept) {
      context.meter.kept(id, entry.size ?? 0);
      return file;
    }
    await rm(file, { force: true });
  }
  try {
    const result = await downloadModel({
      url,
      destination: file,
      ...(entry.size === undefined ? {} : { size: entry.size }),
      signal,
      retries: 2,
      progressIntervalMs: 0,
      onProgress: (progress) => {
        if (progress.phase === "checking") context.meter.kept(id, progress.bytesDone);
        else context.meter.downloaded(id, progress.bytesDone);
      },
    });
    context.downloadedBytes += result.bytes - result.resumedFrom;
  } catch (error) {
    throw downloadFailure(error, entry, url, context.downloadsDir);
  }
  await verify(file, entry, url, signal);
  return file;
}

/** The lockfile's hash against the file, before anything is unpacked; a mismatch deletes the file. */
async function verify(file: string, entry: EnginePackage, url: string, signal: AbortSignal): Promise<true> {
  let check: Awaited<ReturnType<typeof checkIntegrity>>;
  try {
    check = await checkIntegrity(file, entry.integrity, signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw fileSystemError(file, error);
  }
  if (check.ok) return true;
  await rm(file, { force: true });
  throw integrityError(entry, url, check);
}

// ---------------------------------------------------------------------------------------------------
// Install

/**
 * Unpacks every package into a fresh staging folder in the lockfile's node_modules layout, writes the
 * marker, then swaps the folder in with renames: runtime/ is always either the old install, absent, or
 * the new complete one. A failure or cancellation removes the staging folder and keeps the downloads.
 */
async function install(
  packages: readonly EnginePackage[],
  files: ReadonlyMap<string, string>,
  platform: EnginePlatform,
  runtimeDir: string,
  context: Context,
  reused: ReadonlySet<string> = new Set(),
): Promise<void> {
  const staging = join(
    context.options.targetDir,
    `.staging-${process.pid}-${randomBytes(4).toString("hex")}`,
  );
  try {
    for (const entry of packages) {
      if (context.options.signal?.aborted) throw abortedError(context.downloadsDir);
      if (reused.has(entry.path)) {
        await copyInstalled(join(runtimeDir, entry.path), join(staging, entry.path));
        context.meter.unpacked(packageId(entry));
        continue;
      }
      const file = files.get(packageId(entry)) as string;
      await unpackTarball(file, join(staging, entry.path), { keep: keepForPlatform(entry, platform) }).catch(
        (error: unknown) => {
          throw unpackError(entry, error);
        },
      );
      context.meter.unpacked(packageId(entry));
    }
    await writeInstallMarker(staging, platform, packages);
    await swapIn(staging, runtimeDir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => undefined);
    if (error instanceof EngineSetupError) throw error;
    throw fileSystemError(runtimeDir, error);
  }
}

/**
 * onnxruntime-node ships its native library for every platform in one package (about 290 MB unpacked);
 * only this platform's `bin/napi-v*\/<os>/<cpu>/` is kept. Everything else is unpacked whole.
 */
function keepForPlatform(
  entry: EnginePackage,
  platform: EnginePlatform,
): ((path: string) => boolean) | undefined {
  if (entry.name !== "onnxruntime-node") return undefined;
  const [os, cpu] = platform.split("-");
  return (path) => {
    const [top, napi, entryOs, entryCpu] = path.split("/");
    if (top !== "bin" || !/^napi-v\d+$/.test(napi ?? "") || !entryOs) return true;
    return entryOs === os && (!entryCpu || entryCpu === cpu);
  };
}

/**
 * The packages of the current install (by the marker it wrote last) that the new one keeps unchanged:
 * same path, version and integrity, with their package.json in place. None when there is no install or
 * it is of another platform.
 */
async function reusablePackages(
  runtimeDir: string,
  platform: EnginePlatform,
  packages: readonly EnginePackage[],
): Promise<Set<string>> {
  const marker = await readInstallMarker(runtimeDir);
  if (!marker || marker.platform !== platform) return new Set();
  const installed = new Map(marker.packages.map((entry) => [entry.path, entry]));
  const reusable = new Set<string>();
  for (const entry of packages) {
    const found = installed.get(entry.path);
    if (found?.integrity !== entry.integrity || found.version !== entry.version) continue;
    if (await exists(join(runtimeDir, entry.path, "package.json"))) reusable.add(entry.path);
  }
  return reusable;
}

/** A package's own files, without the packages nested in its node_modules (each has its own entry). */
async function copyInstalled(from: string, to: string): Promise<void> {
  const nested = join(from, "node_modules");
  await cp(from, to, {
    recursive: true,
    filter: (source) => source !== nested && !source.startsWith(`${nested}${sep}`),
  });
}

async function swapIn(staging: string, runtimeDir: string): Promise<void> {
  const old = `${runtimeDir}.old-${randomBytes(4).toString("hex")}`;
  await rename(runtimeDir, old).catch((error: unknown) => {
    if ((error as { code?: unknown }).code !== "ENOENT") throw error;
  });
  await rename(staging, runtimeDir);
  await rm(old, { recursive: true, force: true }).catch(() => undefined);
}

/** Staging and replaced folders left by set-ups that crashed (not by one still running elsewhere). */
async function removeAbandonedStaging(targetDir: string): Promise<void> {
  const names = await readdir(targetDir).catch(() => [] as string[]);
  for (const name of names) {
    const staging = /^\.staging-(\d+)-/.exec(name);
    const abandoned = staging ? !isAlive(Number(staging[1])) : /^runtime\.old-/.test(name);
    if (abandoned) await rm(join(targetDir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: unknown }).code === "EPERM";
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export { INSTALL_MARKER };
export type { EngineSetupProgress };
