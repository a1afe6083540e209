import { createHash, getHashes } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * Subresource Integrity (`sha512-<base64>`), the form npm records for every tarball in package-lock.json.
 * The model downloader checks hex sha256; npm tarballs are checked here, against the lockfile's hash.
 */

export interface Integrity {
  algorithm: string;
  /** Base64 digest, as written after the dash. */
  digest: string;
}

// Strongest first: an SRI string may list several hashes, and the strongest supported one decides.
const ALGORITHMS = ["sha512", "sha384", "sha256"] as const;

/** The strongest hash in an SRI string; throws when it has none this Node can compute. */
export function parseIntegrity(sri: string): Integrity {
  const hashes = sri
    .trim()
    .split(/\s+/)
    .map((item) => /^(sha\d+)-([A-Za-z0-9+/]+={0,2})(?:\?.*)?$/.exec(item))
    .filter((match) => match !== null)
    .map((match) => ({ algorithm: match[1] as string, digest: match[2] as string }));
  const available = new Set(getHashes());
  for (const algorithm of ALGORITHMS) {
    const found = hashes.find((hash) => hash.algorithm === algorithm);
    if (found && available.has(algorithm)) return found;
  }
  throw new Error(`"${sri}" is not an integrity string with a sha512, sha384 or sha256 hash`);
}

/** The file's hash in SRI form with the given algorithm, e.g. `sha512-…`. */
export async function fileIntegrity(path: string, algorithm: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024, signal })) {
    hash.update(chunk as Buffer);
  }
  return `${algorithm}-${hash.digest("base64")}`;
}

/** Compares a file with an SRI string; `actual` is in the same algorithm, for the error message. */
export async function checkIntegrity(
  path: string,
  expected: string,
  signal?: AbortSignal,
): Promise<{ ok: boolean; actual: string; expected: string }> {
  const wanted = parseIntegrity(expected);
  const actual = await fileIntegrity(path, wanted.algorithm, signal);
  const normalized = `${wanted.algorithm}-${wanted.digest}`;
  return { ok: actual === normalized, actual, expected: normalized };
}
