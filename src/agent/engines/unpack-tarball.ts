import { mkdir } from "node:fs/promises";
import { extract } from "tar";

/**
 * Unpacks an npm package tarball (a gzipped tar whose entries sit under one top folder, `package/` for
 * anything published by npm) into a folder, the way npm does: the top folder stripped, links skipped,
 * paths kept inside the folder (tar refuses `..` and absolute paths).
 */
export interface UnpackOptions {
  /** Path inside the package (`bin/napi-v6/linux/x64/...`); return false to leave the entry out. */
  keep?: (pathInPackage: string) => boolean;
}

export async function unpackTarball(
  tarball: string,
  folder: string,
  options: UnpackOptions = {},
): Promise<void> {
  await mkdir(folder, { recursive: true });
  await extract({
    file: tarball,
    cwd: folder,
    strip: 1,
    filter: (path, entry) => {
      // npm skips links: a registry package has no business pointing outside its own files.
      if ("type" in entry && /Link$/.test(entry.type)) return false;
      const inPackage = path.slice(path.indexOf("/") + 1);
      return options.keep?.(inPackage) ?? true;
    },
  });
}
