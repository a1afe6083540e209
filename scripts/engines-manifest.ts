/**
 * Regenerates src/agent/engines/engine-packages.json from package-lock.json (`npm run engines:manifest`);
 * test/engines/engine-manifest.test.ts fails when the committed file and the lockfile disagree. Tarball
 * sizes are carried over from the committed file by integrity, and asked of the npm registry for new
 * packages. Prints the download per platform (the figures in docs/downloads.md).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatBytes } from "../src/agent/model/download";
import {
  buildEngineManifest,
  engineManifestSchema,
  enginePackagesFor,
  ENGINE_PLATFORMS,
  formatEngineManifest,
  knownSizes,
  tarballUrl,
  type EngineManifest,
} from "../src/agent/engines/engine-manifest";

const root = join(import.meta.dirname, "..");
const output = join(root, "src", "agent", "engines", "engine-packages.json");

async function main(): Promise<void> {
  const lockfile: unknown = JSON.parse(await readFile(join(root, "package-lock.json"), "utf8"));
  const sizes = await committedSizes();
  let manifest = buildEngineManifest(lockfile, sizes);
  const unmeasured = manifest.packages.filter((entry) => entry.size === undefined);
  if (unmeasured.length > 0) {
    console.log(`Measuring ${unmeasured.length} tarballs on the registry…`);
    for (const [integrity, size] of await measure(unmeasured)) sizes.set(integrity, size);
    manifest = buildEngineManifest(lockfile, sizes);
  }
  await writeFile(output, formatEngineManifest(manifest));
  console.log(`Wrote ${output}: ${manifest.packages.length} packages.`);
  printSizes(manifest);
}

async function committedSizes(): Promise<Map<string, number>> {
  const text = await readFile(output, "utf8").catch(() => undefined);
  const parsed = text === undefined ? undefined : engineManifestSchema.safeParse(JSON.parse(text));
  return parsed?.success ? knownSizes(parsed.data) : new Map();
}

/** Content-Length of each tarball, a few requests at a time (the registry's CDN refuses a burst). */
async function measure(entries: EngineManifest["packages"]): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  const queue = [...entries];
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const url = tarballUrl(entry);
      const response = await fetch(url, { method: "HEAD" });
      const length = Number(response.headers.get("content-length"));
      if (!response.ok || !(length > 0)) throw new Error(`HEAD ${url}: HTTP ${response.status}, no size`);
      sizes.set(entry.integrity, length);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return sizes;
}

function printSizes(manifest: EngineManifest): void {
  for (const platform of ENGINE_PLATFORMS) {
    // One download per name@version, as the provisioner does (the same version can sit in two places).
    const entries = [
      ...new Map(enginePackagesFor(manifest, platform).map((e) => [`${e.name}@${e.version}`, e])).values(),
    ];
    const total = entries.reduce((sum, entry) => sum + (entry.size ?? 0), 0);
    const largest = [...entries]
      .sort((a, b) => (b.size ?? 0) - (a.size ?? 0))
      .slice(0, 3)
      .map((entry) => `${entry.name} ${formatBytes(entry.size ?? 0)}`);
    console.log(`${platform}: ${entries.length} tarballs, ${formatBytes(total)} (${largest.join(", ")})`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
