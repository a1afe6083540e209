import { ModelDownloadError } from "../model/download";
import type { EnginePackage } from "./engine-manifest";

export type EngineSetupErrorCode =
  | "ABORTED"
  | "BUSY"
  | "NETWORK"
  | "REGISTRY"
  | "INTEGRITY"
  | "DISK_FULL"
  | "FILE_SYSTEM"
  | "UNPACK"
  | "UNSUPPORTED_PLATFORM";

/** An engine set-up failure whose message says what happened and what to do. */
export class EngineSetupError extends Error {
  override readonly name = "EngineSetupError";
  readonly code: EngineSetupErrorCode;
  /** `name@version` of the package concerned, when one is. */
  readonly packageId?: string;
  /** For INTEGRITY: the lockfile's hash and the downloaded file's, in the same algorithm. */
  readonly expected?: string;
  readonly actual?: string;

  constructor(
    code: EngineSetupErrorCode,
    message: string,
    details: { packageId?: string; expected?: string; actual?: string; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.packageId = details.packageId;
    this.expected = details.expected;
    this.actual = details.actual;
  }

  /** Whether running the set-up again later may succeed (it resumes from what is on disk). */
  get retryable(): boolean {
    return this.code === "NETWORK" || this.code === "ABORTED" || this.code === "BUSY";
  }
}

export function packageId(entry: Pick<EnginePackage, "name" | "version">): string {
  return `${entry.name}@${entry.version}`;
}

export function integrityError(
  entry: EnginePackage,
  url: string,
  check: { expected: string; actual: string },
): EngineSetupError {
  const id = packageId(entry);
  return new EngineSetupError(
    "INTEGRITY",
    `The tarball of ${id} downloaded from ${url} is not the one TinyAgent was built with: its hash is ` +
      `${check.actual}, expected ${check.expected} (package-lock.json). It was deleted and nothing was ` +
      `installed. Run the set-up again to download it afresh; if this happens again, something between you ` +
      `and the registry (a proxy or mirror) serves a different file: use https://registry.npmjs.org directly.`,
    { packageId: id, expected: check.expected, actual: check.actual },
  );
}

/** Rewrites the model downloader's failures (whose advice is about models) for an engine package. */
export function downloadFailure(
  error: unknown,
  entry: EnginePackage,
  url: string,
  downloadsDir: string,
): EngineSetupError {
  const id = packageId(entry);
  if (error instanceof EngineSetupError) return error;
  if (!(error instanceof ModelDownloadError)) {
    return new EngineSetupError("NETWORK", `Could not download ${id} from ${url}: ${describe(error)}.`, {
      packageId: id,
      cause: error,
    });
  }
  const details = { packageId: id, cause: error };
  switch (error.code) {
    case "ABORTED":
      return abortedError(downloadsDir);
    case "NETWORK":
      // The downloader's message is about the connection and already says the download resumes.
      return new EngineSetupError("NETWORK", `Could not download ${id}: ${error.message}`, details);
    case "UNAUTHORIZED":
    case "FORBIDDEN":
    case "NOT_FOUND":
    case "SERVER_ERROR":
    case "HTTP_ERROR":
      return registryError(id, url, error.status, details);
    case "SIZE_MISMATCH":
    case "HASH_MISMATCH":
    case "INVALID_FILE":
      return new EngineSetupError(
        "INTEGRITY",
        `The registry's file for ${id} at ${url} is not the one TinyAgent was built with (${error.message}) ` +
          `Nothing was installed. If you use a registry mirror or proxy, check that it serves the public ` +
          `registry's files; otherwise run the set-up again.`,
        details,
      );
    case "DISK_FULL":
      return new EngineSetupError(
        "DISK_FULL",
        `The disk is full: could not save ${id} in ${downloadsDir}. Free some space (the engines need about ` +
          `0.5 GB) and run the set-up again; what was downloaded so far is kept.`,
        details,
      );
    case "FILE_SYSTEM":
      return fileSystemError(downloadsDir, error);
    case "BUSY":
      return busyError(details);
  }
}

function registryError(
  id: string,
  url: string,
  status: number | undefined,
  details: { packageId: string; cause: unknown },
): EngineSetupError {
  const host = new URL(url).host;
  const advice =
    status === 404 || status === 410
      ? `${host} does not have this version. If you set a registry mirror, check that it mirrors ` +
        `https://registry.npmjs.org; otherwise update TinyAgent.`
      : status === 401 || status === 403
        ? `${host} refused the download; a proxy or private registry may require a login. Use ` +
          `https://registry.npmjs.org, or allow it through the proxy.`
        : status !== undefined && status >= 500
          ? `This is usually temporary: run the set-up again in a few minutes; it resumes where it stopped.`
          : `Run the set-up again later.`;
  return new EngineSetupError(
    "REGISTRY",
    `${host} answered HTTP ${status ?? "?"} for ${id} (${url}). ${advice}`,
    details,
  );
}

export function abortedError(downloadsDir: string): EngineSetupError {
  return new EngineSetupError(
    "ABORTED",
    `Engine set-up stopped. What was downloaded so far is kept in ${downloadsDir}; the next set-up resumes ` +
      `from there.`,
  );
}

export function busyError(details: { packageId?: string; cause?: unknown } = {}): EngineSetupError {
  return new EngineSetupError(
    "BUSY",
    `Another engine set-up is downloading into the same folder (TinyAgent in Raycast or a terminal). Wait ` +
      `for it to finish, or stop it, and run the set-up again.`,
    details,
  );
}

export function fileSystemError(path: string, cause: unknown): EngineSetupError {
  const code = (cause as { code?: unknown } | undefined)?.code;
  if (code === "ENOSPC") {
    return new EngineSetupError(
      "DISK_FULL",
      `The disk is full: could not write ${path}. Free some space (the engines need about 0.5 GB) and run ` +
        `the set-up again.`,
      { cause },
    );
  }
  return new EngineSetupError(
    "FILE_SYSTEM",
    `Cannot write ${path} (${typeof code === "string" ? code : describe(cause)}). Check that the folder is ` +
      `writable, or choose another folder for the engines, and run the set-up again.`,
    { cause },
  );
}

export function unpackError(entry: EnginePackage, cause: unknown): EngineSetupError {
  const id = packageId(entry);
  return new EngineSetupError(
    "UNPACK",
    `Could not unpack ${id} (${describe(cause)}); nothing was installed. Its tarball passed the hash ` +
      `check, so this is a disk or permission problem: check free space and permissions and run the set-up ` +
      `again.`,
    { packageId: id, cause },
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
