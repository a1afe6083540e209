import { z } from "zod";
import { onnxRuntimeRunsOn } from "./onnxruntime";

/**
 * Which npm packages the native engines need at run time, per platform, at the exact versions and
 * integrity hashes of package-lock.json. Raycast cannot bundle native addons (DESIGN §7), so the
 * extension downloads these at first run; the Raycast bundle has no lockfile, hence a committed JSON
 * manifest generated from it (`npm run engines:manifest`, checked against the lockfile by a test).
 */

/** The packages whose run-time closure is provisioned. */
export const ENGINE_ROOTS = ["node-llama-cpp", "onnxruntime-node"] as const;

/** Platforms the manifest covers, as `${process.platform}-${process.arch}`. */
export const ENGINE_PLATFORMS = ["darwin-arm64", "darwin-x64", "linux-x64", "linux-arm64"] as const;
export type EnginePlatform = (typeof ENGINE_PLATFORMS)[number];

/**
 * whisper.cpp's prebuilt Node binding for each platform (speech/whisper-binding.ts), one package per
 * platform: the binary alone, without @fugood/whisper.node's loader, whose optional CUDA and Vulkan
 * builds (90 MB for linux-x64) would come with it and are never loaded. Metal is built into the Apple
 * silicon one.
 */
export const WHISPER_BINARY: Record<EnginePlatform, string> = {
  "darwin-arm64": "@fugood/node-whisper-darwin-arm64",
  "darwin-x64": "@fugood/node-whisper-darwin-x64",
  "linux-x64": "@fugood/node-whisper-linux-x64",
  "linux-arm64": "@fugood/node-whisper-linux-arm64",
};

/**
 * The engines a platform installs: onnxruntime-node only where it ships a native library, and the
 * platform's whisper binding. Intel Macs (darwin-x64) get none from onnxruntime-node 1.30, so they skip
 * its 113 MB tarball and the Tool RAG classifier runs there in TypeScript from the same model file
 * (toolrag/classifier-weights.ts).
 */
export function engineRoots(platform: EnginePlatform): string[] {
  const [os, cpu] = platform.split("-") as [string, string];
  const roots: string[] = ENGINE_ROOTS.filter(
    (root) => root !== "onnxruntime-node" || onnxRuntimeRunsOn(os, cpu),
  );
  return [...roots, WHISPER_BINARY[platform]];
}

/**
 * Optional dependencies are skipped: npm's contract is that a package works without them (npm itself
 * drops one whose install fails), e.g. ipull's `@reflink/reflink` copy-on-write helper. The exception is
 * node-llama-cpp's prebuilt binary, which it lists among its optional dependencies per platform and GPU
 * API and loads exactly one of (dist/bindings/utils/compileLLamaCpp.js): Metal on Apple silicon, CPU
 * elsewhere, which is what our loader asks for (`gpu` only on macOS). The CUDA and Vulkan builds (over
 * 600 MB unpacked) are never loaded by TinyAgent.
 */
const LLAMA_BINARY: Record<EnginePlatform, string> = {
  "darwin-arm64": "@node-llama-cpp/mac-arm64-metal",
  "darwin-x64": "@node-llama-cpp/mac-x64",
  "linux-x64": "@node-llama-cpp/linux-x64",
  "linux-arm64": "@node-llama-cpp/linux-arm64",
};

const GENERATED_BY =
  `npm run engines:manifest: the run-time closure of ${ENGINE_ROOTS.join(", ")} and the platform's ` +
  `whisper binding in package-lock.json; do not edit`;

export const DEFAULT_REGISTRY = "https://registry.npmjs.org";

/**
 * The npm registry engine tarballs come from: `TINYAGENT_ENGINE_REGISTRY` (a mirror; the tests' loopback
 * one), else the public registry. Whatever it is, every tarball must match its pinned sha512.
 */
export function engineRegistry(env: NodeJS.ProcessEnv = process.env): string {
  return env.TINYAGENT_ENGINE_REGISTRY?.trim() || DEFAULT_REGISTRY;
}

const lockEntrySchema = z.object({
  name: z.string().optional(),
  version: z.string().optional(),
  integrity: z.string().optional(),
  link: z.boolean().optional(),
  os: z.array(z.string()).optional(),
  cpu: z.array(z.string()).optional(),
  dependencies: z.record(z.string(), z.string()).optional(),
  optionalDependencies: z.record(z.string(), z.string()).optional(),
  peerDependencies: z.record(z.string(), z.string()).optional(),
  peerDependenciesMeta: z.record(z.string(), z.object({ optional: z.boolean().optional() })).optional(),
});
type LockEntry = z.infer<typeof lockEntrySchema>;

const lockfileSchema = z.object({
  lockfileVersion: z.number().int().min(2),
  packages: z.record(z.string(), lockEntrySchema),
});
export type Lockfile = z.infer<typeof lockfileSchema>;

const enginePackageSchema = z.object({
  /** Where the package goes, relative to the runtime folder: `node_modules/a/node_modules/b`. */
  path: z.string().regex(/^node_modules\/(?:(?:@[^/]+\/)?[^/@][^/]*(?:\/node_modules\/|$))+$/),
  /** The package's real name (differs from the folder name for npm aliases). */
  name: z.string(),
  version: z.string(),
  /** Subresource Integrity string from the lockfile, e.g. `sha512-<base64>`. */
  integrity: z.string(),
  /**
   * The tarball's size in bytes, measured on the registry by `npm run engines:manifest` (a tarball with a
   * given integrity never changes): it gives the set-up's total for progress and ETA before any
   * download starts, and a wrong-sized answer is refused before it is downloaded.
   */
  size: z.number().int().positive().optional(),
});
export type EnginePackage = z.infer<typeof enginePackageSchema>;

export const engineManifestSchema = z.object({
  generatedBy: z.string(),
  /** Every package any platform needs, sorted by path. */
  packages: z.array(enginePackageSchema),
  /** The paths (into `packages`) each platform installs. */
  platforms: z.record(z.enum(ENGINE_PLATFORMS), z.array(z.string())),
});
export type EngineManifest = z.infer<typeof engineManifestSchema>;

/** Thrown when the lockfile cannot yield a manifest; the message says which entry and why. */
export class EngineManifestError extends Error {
  override readonly name = "EngineManifestError";
}

/**
 * Parses a package-lock.json (version 2 or 3) and derives the engine manifest from it. `knownSizes` maps
 * integrity strings to tarball sizes (from the committed manifest); packages not in it get no size.
 */
export function buildEngineManifest(
  lockfileJson: unknown,
  knownSizes: ReadonlyMap<string, number> = new Map(),
): EngineManifest {
  const parsed = lockfileSchema.safeParse(lockfileJson);
  if (!parsed.success) {
    throw new EngineManifestError(
      `package-lock.json is not a lockfile of version 2 or later (${parsed.error.issues[0]?.message}). ` +
        `Run \`npm install\` with npm 7 or later to rewrite it.`,
    );
  }
  const lock = parsed.data;
  const byPath = new Map<string, EnginePackage>();
  const platforms = {} as Record<EnginePlatform, string[]>;
  for (const platform of ENGINE_PLATFORMS) {
    const paths = closure(lock, platform);
    for (const path of paths) byPath.set(path, enginePackage(lock, path, knownSizes));
    platforms[platform] = paths;
  }
  const packages = [...byPath.values()].sort((a, b) => compare(a.path, b.path));
  return { generatedBy: GENERATED_BY, packages, platforms };
}

/** The lockfile paths one platform needs at run time: roots, their dependencies, recursively. */
function closure(lock: Lockfile, platform: EnginePlatform): string[] {
  const seen = new Set<string>();
  const pending: string[] = [];
  for (const root of engineRoots(platform)) {
    const path = `node_modules/${root}`;
    const entry = lock.packages[path];
    if (!entry) throw new EngineManifestError(`package-lock.json has no ${path}: run \`npm install\`.`);
    requireSupported(path, entry, platform);
    seen.add(path);
    pending.push(path);
  }
  for (let from = pending.pop(); from !== undefined; from = pending.pop()) {
    for (const edge of edges(lock.packages[from] as LockEntry)) {
      if (edge.optional && !isLlamaBinary(from, edge.name, platform)) continue;
      const path = resolve(lock, from, edge.name);
      if (path === undefined) {
        throw new EngineManifestError(
          `package-lock.json has no entry for ${edge.name}, a dependency of ${from}: run \`npm install\`.`,
        );
      }
      requireSupported(path, lock.packages[path] as LockEntry, platform);
      if (seen.has(path)) continue;
      seen.add(path);
      pending.push(path);
    }
  }
  return [...seen].sort(compare);
}

interface Edge {
  name: string;
  optional: boolean;
}

/** Dependencies npm installs for a package: regular, optional, and required peers. */
function edges(entry: LockEntry): Edge[] {
  const list: Edge[] = [];
  for (const name of Object.keys(entry.dependencies ?? {})) list.push({ name, optional: false });
  for (const name of Object.keys(entry.optionalDependencies ?? {})) list.push({ name, optional: true });
  for (const name of Object.keys(entry.peerDependencies ?? {})) {
    // Optional peers (node-llama-cpp's `typescript`) are only used when the host app has them.
    if (entry.peerDependenciesMeta?.[name]?.optional) continue;
    list.push({ name, optional: false });
  }
  return list;
}

/** The one optional dependency that is needed: the binary node-llama-cpp loads on this platform. */
function isLlamaBinary(from: string, name: string, platform: EnginePlatform): boolean {
  return from === "node_modules/node-llama-cpp" && name === LLAMA_BINARY[platform];
}

/** Node's lookup: `node_modules/<name>` in the package's own folder, then in each enclosing one. */
function resolve(lock: Lockfile, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base}/node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    const cut = base.lastIndexOf("/node_modules/");
    if (cut < 0) break;
    base = base.slice(0, cut);
  }
  return lock.packages[`node_modules/${name}`] ? `node_modules/${name}` : undefined;
}

/** npm's reading of `os` and `cpu`: allow-lists, with `!value` entries as deny-list items. */
function supports(entry: LockEntry, platform: EnginePlatform): boolean {
  const [os, cpu] = platform.split("-") as [string, string];
  return matches(entry.os, os) && matches(entry.cpu, cpu);
}

function matches(list: string[] | undefined, value: string): boolean {
  if (!list || list.length === 0) return true;
  if (list.includes(`!${value}`)) return false;
  const allowed = list.filter((item) => !item.startsWith("!"));
  return allowed.length === 0 || allowed.includes(value);
}

function requireSupported(path: string, entry: LockEntry, platform: EnginePlatform): void {
  if (supports(entry, platform)) return;
  throw new EngineManifestError(
    `${path} is required but does not support ${platform} (os ${JSON.stringify(entry.os ?? [])}, cpu ` +
      `${JSON.stringify(entry.cpu ?? [])}); remove ${platform} from ENGINE_PLATFORMS or pick another version.`,
  );
}

function enginePackage(lock: Lockfile, path: string, knownSizes: ReadonlyMap<string, number>): EnginePackage {
  const entry = lock.packages[path] as LockEntry;
  const folderName = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
  if (entry.link || !entry.version || !entry.integrity) {
    throw new EngineManifestError(
      `${path} in package-lock.json is not a registry package with a version and an integrity hash ` +
        `(linked or from git?); the engines can only be provisioned from npm registry tarballs.`,
    );
  }
  const size = knownSizes.get(entry.integrity);
  return {
    path,
    name: entry.name ?? folderName,
    version: entry.version,
    integrity: entry.integrity,
    ...(size === undefined ? {} : { size }),
  };
}

// Plain code-unit order, the same on every machine (localeCompare is not).
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The packages a platform installs, in manifest order. */
export function enginePackagesFor(manifest: EngineManifest, platform: EnginePlatform): EnginePackage[] {
  const byPath = new Map(manifest.packages.map((entry) => [entry.path, entry]));
  return (manifest.platforms[platform] ?? []).map((path) => {
    const entry = byPath.get(path);
    if (!entry)
      throw new EngineManifestError(`The engine manifest lists ${path} for ${platform} but not its hash.`);
    return entry;
  });
}

/** `${platform}-${arch}` when the manifest covers it; otherwise a message naming the covered ones. */
export function enginePlatform(platform: string, arch: string): EnginePlatform {
  const key = `${platform}-${arch}`;
  if ((ENGINE_PLATFORMS as readonly string[]).includes(key)) return key as EnginePlatform;
  throw new EngineManifestError(
    `TinyAgent has no engine packages for ${key}; it runs on ${ENGINE_PLATFORMS.join(", ")}.`,
  );
}

/** The registry address of a package's tarball: `<registry>/@scope/name/-/name-1.0.0.tgz`. */
export function tarballUrl(
  entry: Pick<EnginePackage, "name" | "version">,
  registry = DEFAULT_REGISTRY,
): string {
  const base = entry.name.slice(entry.name.lastIndexOf("/") + 1);
  return `${registry.replace(/\/+$/, "")}/${entry.name}/-/${base}-${entry.version}.tgz`;
}

/** Integrity → size of every measured package, to carry sizes over when the manifest is regenerated. */
export function knownSizes(manifest: EngineManifest): Map<string, number> {
  return new Map(
    manifest.packages.flatMap((entry) => (entry.size === undefined ? [] : [[entry.integrity, entry.size]])),
  );
}

/** The committed file's text: one stable rendering, so regenerating it shows drift as a diff. */
export function formatEngineManifest(manifest: EngineManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
