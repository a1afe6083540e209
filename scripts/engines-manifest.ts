/**
 * Regenerates src/agent/engines/engine-packages.json from package-lock.json (`npm run engines:manifest`);
 * test/engines/engine-manifest.test.ts fails when the committed file and the lockfile disagree.
 * `--sizes` also asks the npm registry for each tarball's size and prints the download per platform
 * (the figures in the README).
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { formatBytes } from "../src/agent/model/download";
import {
  buildEngineManifest,
  enginePackagesFor,
  ENGINE_PLATFORMS,
  formatEngineManifest,
  tarballUrl,
  type EngineManifest,
} from "../src/agent/engines/engine-manifest";

const root = join(import.meta.dirname, "..");
const output = join(root, "src", "agent", "engines", "engine-packages.json");

async function main(): Promise<void> {
  const manifest = buildEngineManifest(JSON.parse(await readFile(join(root, "package-lock.json"), "utf8")));
  await writeFile(output, formatEngineManifest(manifest));
  console.log(`Wrote ${output}: ${manifest.packages.length} packages.`);
  if (process.argv.includes("--sizes")) await printSizes(manifest);
}

async function printSizes(manifest: EngineManifest): Promise<void> {
  const sizes = new Map<string, number>();
  const queue = [...manifest.packages];
  // A few connections at a time: the registry's CDN refuses a burst of 140.
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const url = tarballUrl(entry);
      const response = await fetch(url, { method: "HEAD" });
      const length = Number(response.headers.get("content-length"));
      if (!response.ok || !Number.isFinite(length)) throw new Error(`HEAD ${url}: HTTP ${response.status}`);
      sizes.set(entry.path, length);
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  for (const platform of ENGINE_PLATFORMS) {
    const entries = enginePackagesFor(manifest, platform);
    const total = entries.reduce((sum, entry) => sum + (sizes.get(entry.path) ?? 0), 0);
    const largest = [...entries]
      .sort((a, b) => (sizes.get(b.path) ?? 0) - (sizes.get(a.path) ?? 0))
      .slice(0, 3)
      .map((entry) => `${entry.name} ${formatBytes(sizes.get(entry.path) ?? 0)}`);
    console.log(`${platform}: ${entries.length} tarballs, ${formatBytes(total)} (${largest.join(", ")})`);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
