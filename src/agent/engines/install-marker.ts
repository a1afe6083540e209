import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import type { EnginePackage } from "./engine-manifest";

/**
 * The file the provisioner writes last into a runtime folder, before moving the folder into place: its
 * presence says the install finished, its contents say what was installed, so a second set-up is
 * instant and a TinyAgent update that changes a version or hash installs again.
 */
export const INSTALL_MARKER = "tinyagent-engines.json";

const markerSchema = z.object({
  platform: z.string(),
  installedAt: z.string(),
  packages: z.array(
    z.object({ path: z.string(), name: z.string(), version: z.string(), integrity: z.string() }),
  ),
});

export async function writeInstallMarker(
  runtimeDir: string,
  platform: string,
  packages: readonly EnginePackage[],
): Promise<void> {
  const marker: z.infer<typeof markerSchema> = {
    platform,
    installedAt: new Date().toISOString(),
    packages: packages.map(({ path, name, version, integrity }) => ({ path, name, version, integrity })),
  };
  await writeFile(join(runtimeDir, INSTALL_MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}

/** The marker of the install in `runtimeDir`: its platform and packages; undefined when absent or unreadable. */
export async function readInstallMarker(
  runtimeDir: string,
): Promise<z.infer<typeof markerSchema> | undefined> {
  const text = await readFile(join(runtimeDir, INSTALL_MARKER), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const marker = markerSchema.safeParse(safeJson(text));
  return marker.success ? marker.data : undefined;
}

/**
 * Whether `runtimeDir` holds exactly these packages, completely: the marker matches them one for one,
 * and each package's own package.json is there with its version (a folder emptied by hand, or a marker
 * copied without the files, is not taken for an install).
 */
export async function isCompleteInstall(
  runtimeDir: string,
  platform: string,
  packages: readonly EnginePackage[],
): Promise<boolean> {
  const text = await readFile(join(runtimeDir, INSTALL_MARKER), "utf8").catch(() => undefined);
  if (text === undefined) return false;
  const marker = markerSchema.safeParse(safeJson(text));
  if (!marker.success || marker.data.platform !== platform) return false;
  const installed = new Map(marker.data.packages.map((entry) => [entry.path, entry]));
  if (installed.size !== packages.length) return false;
  const same = packages.every((entry) => {
    const found = installed.get(entry.path);
    return found?.integrity === entry.integrity && found.version === entry.version;
  });
  if (!same) return false;
  const versions = await Promise.all(packages.map((entry) => installedVersion(join(runtimeDir, entry.path))));
  return packages.every((entry, index) => versions[index] === entry.version);
}

async function installedVersion(folder: string): Promise<string | undefined> {
  const text = await readFile(join(folder, "package.json"), "utf8").catch(() => undefined);
  const json = text === undefined ? undefined : safeJson(text);
  const version = (json as { version?: unknown } | undefined)?.version;
  return typeof version === "string" ? version : undefined;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
