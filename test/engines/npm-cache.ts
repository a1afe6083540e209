import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/*
 * The exact npm registry tarballs of locked packages, without the network: `npm ci` (and `npm install`)
 * keeps every tarball it installs in npm's cache, a content-addressed store (cacache) whose files are
 * named by their integrity hash. A test can therefore serve the very bytes https://registry.npmjs.org
 * served, and check them against package-lock.json's sha512, on a machine that only ran `npm ci`.
 */

/** npm's cache folder: `npm_config_cache` as npm passes it to scripts, else `npm config get cache`. */
export function npmCacheFolder(env: NodeJS.ProcessEnv = process.env): string {
  const given = env.npm_config_cache?.trim();
  if (given) return given;
  return execFileSync("npm", ["config", "get", "cache"], { encoding: "utf8" }).trim();
}

/**
 * The tarball with this sha512 integrity (`sha512-<base64>`) from npm's cache, checked against it; undefined
 * when npm never fetched it on this machine. cacache's layout: `_cacache/content-v2/sha512/` then the hex
 * digest split as 2/2/rest.
 */
export function cachedTarball(cacheFolder: string, integrity: string): Buffer | undefined {
  const base64 = /^sha512-([A-Za-z0-9+/=]+)$/.exec(integrity)?.[1];
  if (base64 === undefined) throw new Error(`not a sha512 integrity: ${integrity}`);
  const hex = Buffer.from(base64, "base64").toString("hex");
  const file = join(
    cacheFolder,
    "_cacache",
    "content-v2",
    "sha512",
    hex.slice(0, 2),
    hex.slice(2, 4),
    hex.slice(4),
  );
  if (!existsSync(file)) return undefined;
  const bytes = readFileSync(file);
  const actual = createHash("sha512").update(bytes).digest("base64");
  if (actual !== base64) throw new Error(`npm's cached file ${file} does not match ${integrity}`);
  return bytes;
}
