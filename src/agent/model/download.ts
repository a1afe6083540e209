import { createHash, type Hash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat, statfs, type FileHandle } from "node:fs/promises";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * Downloads one large file (a model) robustly: into `<destination>.part`, resumed with an HTTP Range
 * request after an interruption, checked by size and sha256, and renamed into place only once checked,
 * so `destination` is either absent, the previous file, or the complete verified one.
 */

export type ModelDownloadErrorCode =
  | "ABORTED"
  | "BUSY"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "SERVER_ERROR"
  | "HTTP_ERROR"
  | "NETWORK"
  | "DISK_FULL"
  | "FILE_SYSTEM"
  | "HASH_MISMATCH"
  | "SIZE_MISMATCH"
  /** The complete file failed the caller's check of what it is (a model file that is not a GGUF). */
  | "INVALID_FILE";

/** A download failure whose message says what happened and what to do about it. */
export class ModelDownloadError extends Error {
  readonly code: ModelDownloadErrorCode;
  readonly url?: string;
  readonly status?: number;

  constructor(
    code: ModelDownloadErrorCode,
    message: string,
    details: { url?: string; status?: number; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = "ModelDownloadError";
    this.code = code;
    this.url = details.url;
    this.status = details.status;
  }

  /** Whether trying again later may succeed, continuing from the bytes already kept. */
  get retryable(): boolean {
    return this.code === "NETWORK" || this.code === "SERVER_ERROR";
  }
}

export interface DownloadProgress {
  /** "checking": hashing bytes kept from an earlier attempt; "downloading": receiving new ones. */
  phase: "checking" | "downloading";
  bytesDone: number;
  totalBytes?: number;
  percent?: number;
  /** Download speed, smoothed over the last few seconds; 0 until measured. */
  bytesPerSecond: number;
  etaSeconds?: number;
}

export interface DownloadOptions {
  url: string;
  destination: string;
  /** Expected lower-case hex sha256; the file is only accepted when it matches. */
  sha256?: string;
  /** Expected size in bytes; the file is only accepted when it matches. */
  size?: number;
  /**
   * Sizes the file may have when its exact size is not known: a server offering, or a download ending
   * with, a size outside them is refused (an error page answered with 200 is not a 4.9 GB model).
   */
  sizeRange?: { min: number; max: number };
  /**
   * Looks at the complete file before it is moved into place, and throws to refuse it (the model manager
   * checks that a download without a published hash is a GGUF model). Its message says what is wrong.
   */
  check?: (path: string) => Promise<void>;
  signal?: AbortSignal;
  onProgress?: (progress: DownloadProgress) => void;
  /** Least time between two progress reports (the first and the last are always sent). */
  progressIntervalMs?: number;
  /** A connection that sends nothing for this long is dropped (and the .part kept). */
  idleTimeoutMs?: number;
  /** How many times to reconnect and resume after a network failure or a 5xx answer. */
  retries?: number;
  /** Wait before the first retry; doubled for each one after. */
  retryDelayMs?: number;
}

export interface DownloadResult {
  path: string;
  bytes: number;
  /** The sha256 of the file now at `path`. */
  sha256: string;
  /** Whether that hash was compared with an expected one (false when none was given). */
  hashVerified: boolean;
  /** Bytes kept from an earlier attempt and not downloaded again. */
  resumedFrom: number;
}

const MiB = 1024 * 1024;

/** The file a download writes to before it is verified. */
export function partPath(destination: string): string {
  return `${destination}.part`;
}

export async function downloadModel(options: DownloadOptions): Promise<DownloadResult> {
  const folder = dirname(options.destination);
  await mkdir(folder, { recursive: true }).catch((error: unknown) => {
    throw fileSystemError(error, folder);
  });
  const lock = await acquireLock(options.destination);
  try {
    return await downloadWithRetries(options);
  } finally {
    await lock.release();
  }
}

async function downloadWithRetries(options: DownloadOptions): Promise<DownloadResult> {
  const retries = options.retries ?? 0;
  for (let attempt = 0; ; attempt++) {
    try {
      return await attemptDownload(options);
    } catch (error) {
      const failure = toDownloadError(error, options);
      if (attempt >= retries || !failure.retryable) throw failure;
      const delay = (options.retryDelayMs ?? 1000) * 2 ** attempt;
      await sleep(delay, undefined, { signal: options.signal }).catch(() => {
        throw abortedError(options);
      });
    }
  }
}

/** One connection: resume (or start) the .part, then verify it and move it into place. */
async function attemptDownload(options: DownloadOptions, mayRestart = true): Promise<DownloadResult> {
  throwIfAborted(options);
  const part = partPath(options.destination);
  const kept = await keptBytes(part, options.size ?? options.sizeRange?.max);
  const meter = new ProgressMeter(options.onProgress, options.progressIntervalMs ?? 100);
  const watchdog = new Watchdog(options.idleTimeoutMs ?? 60_000, options.signal);
  let response: Response | undefined;
  try {
    watchdog.arm();
    response = await request(options.url, kept, watchdog.signal);
    const plan = await interpret(response, kept, options);
    if (plan.kind === "restart") {
      watchdog.dispose();
      await rm(part, { force: true });
      if (!mayRestart) throw unexpected(response, options.url);
      return await attemptDownload(options, false);
    }
    await checkAdvertisedSize(plan.total, part, options);
    const start = plan.kind === "fresh" ? 0 : kept;
    // A server that sends no length: the expected size still tells when the file is incomplete.
    const total = plan.total ?? options.size;
    const hash = createHash("sha256");
    // Hashing the kept prefix waits for the server's answer: a server that ignores Range makes it moot.
    watchdog.disarm();
    if (start > 0) await hashPrefix(part, start, hash, meter, total, options.signal);
    let bytes = start;
    if (plan.kind !== "complete") {
      await checkFreeSpace(dirname(part), total === undefined ? undefined : total - start);
      watchdog.arm();
      bytes = await receive(response, part, start, hash, meter, total, watchdog);
      watchdog.disarm();
    }
    return await finish(part, bytes, start, hash.digest("hex"), total, meter, options);
  } catch (error) {
    // Free the connection when the body was not (fully) read.
    if (response) await discard(response);
    throw watchdog.explain(error, options);
  } finally {
    watchdog.dispose();
  }
}

/** Size of the .part left by an earlier attempt; one larger than the expected file is discarded. */
async function keptBytes(part: string, size: number | undefined): Promise<number> {
  const info = await stat(part).catch(() => undefined);
  if (!info) return 0;
  if (size !== undefined && info.size > size) {
    await rm(part, { force: true });
    return 0;
  }
  return info.size;
}

function request(url: string, from: number, signal: AbortSignal): Promise<Response> {
  // identity: a compressed body would make Range offsets and Content-Length mean compressed bytes.
  const headers: Record<string, string> = { "accept-encoding": "identity" };
  if (from > 0) headers.range = `bytes=${from}-`;
  return fetch(url, { headers, signal, redirect: "follow" });
}

type Plan =
  | { kind: "append"; total?: number }
  | { kind: "fresh"; total?: number }
  | { kind: "complete"; total?: number }
  | { kind: "restart" };

/** What the server's answer means for the kept bytes. */
async function interpret(response: Response, kept: number, options: DownloadOptions): Promise<Plan> {
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get("content-range"));
    if (range?.start === kept) return { kind: "append", total: range.total };
    await discard(response);
    return { kind: "restart" };
  }
  if (response.status === 416 && kept > 0) {
    // "Range Not Satisfiable" for bytes=N-: the file has N bytes or fewer, i.e. the .part is complete,
    // unless the server says the file is a different size (then it changed: start over).
    await discard(response);
    const total = parseContentRange(response.headers.get("content-range"))?.total ?? options.size;
    if (total === undefined || total === kept) return { kind: "complete", total: kept };
    return { kind: "restart" };
  }
  if (response.ok) {
    // A 200 to a Range request means the server ignored it and sends the whole file: start over cleanly.
    return { kind: "fresh", total: contentLength(response) };
  }
  await discard(response);
  throw httpError(response.status, options.url);
}

async function checkAdvertisedSize(
  total: number | undefined,
  part: string,
  options: DownloadOptions,
): Promise<void> {
  if (total !== undefined && options.sizeRange && !withinRange(total, options.sizeRange)) {
    await rm(part, { force: true });
    throw outOfRangeError(total, options.sizeRange, options.url, "offers");
  }
  if (total === undefined || options.size === undefined || total === options.size) return;
  // Kept bytes, if any, came from that other file.
  await rm(part, { force: true });
  throw new ModelDownloadError(
    "SIZE_MISMATCH",
    `The server offers ${total} bytes at ${options.url}, but ${options.size} bytes were expected, so it is ` +
      `not the expected file (it may have changed upstream). Nothing was kept. Update TinyAgent, or ` +
      `download the file by hand and use it by path.`,
    { url: options.url },
  );
}

async function hashPrefix(
  part: string,
  length: number,
  hash: Hash,
  meter: ProgressMeter,
  total: number | undefined,
  signal: AbortSignal | undefined,
): Promise<void> {
  let done = 0;
  const stream = createReadStream(part, { start: 0, end: length - 1, highWaterMark: MiB, signal });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    done += chunk.length;
    meter.report("checking", done, total);
  }
}

/** Streams the body onto the end of the .part; returns the .part's size afterwards. */
async function receive(
  response: Response,
  part: string,
  start: number,
  hash: Hash,
  meter: ProgressMeter,
  total: number | undefined,
  watchdog: Watchdog,
): Promise<number> {
  if (!response.body) throw new TypeError("the response has no body");
  const file = await openPart(part, start);
  const writer = new BatchedWriter(file, hash);
  let bytes = start;
  meter.startTransfer(start);
  try {
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      watchdog.kick();
      bytes += chunk.length;
      await writer.add(chunk);
      meter.report("downloading", bytes, total);
    }
    await writer.flush();
  } catch (error) {
    // Keep what arrived before the failure: a later attempt resumes after it.
    await writer.flush().catch(() => undefined);
    throw new ReceiveError(error, writer.written, total);
  } finally {
    await file.close().catch(() => undefined);
  }
  if (total !== undefined && bytes < total) throw new ReceiveError(new Error("incomplete"), bytes, total);
  return bytes;
}

async function openPart(part: string, start: number): Promise<FileHandle> {
  try {
    return await open(part, start > 0 ? "a" : "w");
  } catch (error) {
    throw fileSystemError(error, part);
  }
}

/** Writes in blocks of about 1 MiB (fewer system calls), hashing exactly what reached the disk. */
class BatchedWriter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  written = 0;

  constructor(
    private readonly file: FileHandle,
    private readonly hash: Hash,
  ) {}

  async add(chunk: Uint8Array): Promise<void> {
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= MiB) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const block = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    await this.file.writeFile(block);
    this.hash.update(block);
    this.written += block.length;
  }
}

/** A failure while the body was arriving, with how far it got (for the message). */
class ReceiveError extends Error {
  constructor(
    readonly reason: unknown,
    readonly bytes: number,
    readonly total?: number,
  ) {
    super("download interrupted", { cause: reason });
  }
}

async function finish(
  part: string,
  bytes: number,
  start: number,
  actualHash: string,
  total: number | undefined,
  meter: ProgressMeter,
  options: DownloadOptions,
): Promise<DownloadResult> {
  // Fewer bytes than expected was reported by receive() as an interruption; more means another file.
  if (options.size !== undefined && bytes > options.size) {
    await rm(part, { force: true });
    throw new ModelDownloadError(
      "SIZE_MISMATCH",
      `The downloaded file has ${bytes} bytes but ${options.size} were expected, so it is not the expected ` +
        `file. The partial download was deleted; run the command again to download it afresh.`,
      { url: options.url },
    );
  }
  if (options.sizeRange && !withinRange(bytes, options.sizeRange)) {
    await rm(part, { force: true });
    throw outOfRangeError(bytes, options.sizeRange, options.url, "sent");
  }
  const expected = options.sha256?.toLowerCase();
  if (expected !== undefined && actualHash !== expected) {
    await rm(part, { force: true });
    throw new ModelDownloadError(
      "HASH_MISMATCH",
      `The downloaded file from ${options.url} is damaged or not the expected one: its sha256 is ` +
        `${actualHash}, expected ${expected}. The partial download was deleted; run the command again to ` +
        `download it afresh. If it fails again, the file on the server has changed: update TinyAgent.`,
      { url: options.url },
    );
  }
  if (options.check) {
    try {
      await options.check(part);
    } catch (error) {
      await rm(part, { force: true });
      throw new ModelDownloadError(
        "INVALID_FILE",
        `The file downloaded from ${options.url} is not usable: ${error instanceof Error ? error.message : String(error)} ` +
          `Nothing was installed. If it fails again, the file on the server has changed: update TinyAgent.`,
        { url: options.url, cause: error },
      );
    }
  }
  await moveIntoPlace(part, options.destination);
  meter.report("downloading", bytes, total ?? bytes, true);
  return {
    path: options.destination,
    bytes,
    sha256: actualHash,
    hashVerified: expected !== undefined,
    resumedFrom: start,
  };
}

function withinRange(bytes: number, range: { min: number; max: number }): boolean {
  return bytes >= range.min && bytes <= range.max;
}

function outOfRangeError(
  bytes: number,
  range: { min: number; max: number },
  url: string,
  verb: "offers" | "sent",
): ModelDownloadError {
  return new ModelDownloadError(
    "SIZE_MISMATCH",
    `The server ${verb} ${formatBytes(bytes)} at ${url}, but the file should be about ` +
      `${formatBytes((range.min + range.max) / 2)}, so it is not the expected file (an error page, or a ` +
      `different file). Nothing was installed. Check the address in a browser, or set ` +
      `TINYAGENT_MODEL_BASE_URL to a mirror that has the file.`,
    { url },
  );
}

/** Flushes the verified .part to disk, then renames it: a crash leaves the old file or the new one. */
async function moveIntoPlace(part: string, destination: string): Promise<void> {
  try {
    const file = await open(part, "r+");
    await file.sync().finally(() => file.close());
    await rename(part, destination);
  } catch (error) {
    throw fileSystemError(error, destination);
  }
}

async function checkFreeSpace(folder: string, needed: number | undefined): Promise<void> {
  if (needed === undefined || needed <= 0) return;
  const info = await statfs(folder).catch(() => undefined);
  if (!info) return; // not knowing the free space is no reason to refuse
  const free = info.bavail * info.bsize;
  if (free >= needed) return;
  throw new ModelDownloadError(
    "DISK_FULL",
    `Not enough free disk space in ${folder}: the download needs ${formatBytes(needed)} more and only ` +
      `${formatBytes(free)} is free. Free some space (or set TINYAGENT_MODELS_DIR to a folder on a larger ` +
      `disk) and run the command again; what was downloaded so far is kept.`,
  );
}

// ---------------------------------------------------------------------------------------------------
// Progress

/** Turns byte counts into throttled progress reports with a smoothed speed and an ETA. */
class ProgressMeter {
  private lastReport = Number.NEGATIVE_INFINITY;
  private sampleTime = 0;
  private sampleBytes = 0;
  private speed = 0;

  constructor(
    private readonly onProgress: ((progress: DownloadProgress) => void) | undefined,
    private readonly intervalMs: number,
  ) {}

  /** Marks where network transfer starts, so the speed counts only downloaded bytes. */
  startTransfer(bytes: number): void {
    this.sampleTime = performance.now();
    this.sampleBytes = bytes;
  }

  report(phase: DownloadProgress["phase"], bytes: number, total: number | undefined, final = false): void {
    if (!this.onProgress) return;
    const now = performance.now();
    if (!final && now - this.lastReport < this.intervalMs) return;
    if (phase === "downloading") this.measure(bytes, now);
    this.lastReport = now;
    const percent = total ? Math.min(100, (bytes / total) * 100) : undefined;
    const eta = total !== undefined && this.speed > 0 ? Math.max(0, (total - bytes) / this.speed) : undefined;
    this.onProgress({
      phase,
      bytesDone: bytes,
      totalBytes: total,
      percent: final ? 100 : percent,
      bytesPerSecond: Math.round(this.speed),
      etaSeconds: final ? 0 : eta === undefined ? undefined : Math.ceil(eta),
    });
  }

  // An exponential moving average over time (about 3 s), whatever the report rate.
  private measure(bytes: number, now: number): void {
    const elapsed = now - this.sampleTime;
    if (elapsed < 50) return;
    const rate = ((bytes - this.sampleBytes) * 1000) / elapsed;
    const weight = 1 - Math.exp(-elapsed / 3000);
    this.speed = this.speed === 0 ? rate : this.speed + weight * (rate - this.speed);
    this.sampleTime = now;
    this.sampleBytes = bytes;
  }
}

// ---------------------------------------------------------------------------------------------------
// Cancellation and stalls

/** The caller's signal combined with a timer that fires when the connection goes quiet. */
class Watchdog {
  private readonly idle = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal: AbortSignal;

  constructor(
    private readonly idleMs: number,
    outer: AbortSignal | undefined,
  ) {
    this.signal = outer ? AbortSignal.any([outer, this.idle.signal]) : this.idle.signal;
  }

  arm(): void {
    this.disarm();
    this.timer = setTimeout(() => this.idle.abort(new Error("idle")), this.idleMs);
  }

  kick(): void {
    this.timer?.refresh();
  }

  disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  dispose(): void {
    this.disarm();
  }

  /** Rewrites a failure caused by the idle timer into a clear network error. */
  explain(error: unknown, options: DownloadOptions): unknown {
    if (!this.idle.signal.aborted || options.signal?.aborted) return error;
    return new ModelDownloadError(
      "NETWORK",
      `The server at ${new URL(options.url).host} stopped sending data for ${Math.round(this.idleMs / 1000)} s. ` +
        `Check your internet connection and run the command again; the download resumes where it stopped.`,
      { url: options.url, cause: error },
    );
  }
}

function throwIfAborted(options: DownloadOptions): void {
  if (options.signal?.aborted) throw abortedError(options);
}

function abortedError(options: DownloadOptions): ModelDownloadError {
  return new ModelDownloadError(
    "ABORTED",
    `Download stopped. What was downloaded so far is kept in ${partPath(options.destination)}; the next ` +
      `download of this model resumes from there.`,
    { url: options.url },
  );
}

// ---------------------------------------------------------------------------------------------------
// Errors

/** Maps anything thrown during an attempt to a ModelDownloadError with advice. */
function toDownloadError(error: unknown, options: DownloadOptions): ModelDownloadError {
  if (error instanceof ModelDownloadError) return error;
  if (options.signal?.aborted) return abortedError(options);
  const received = error instanceof ReceiveError ? error : undefined;
  const cause = received ? received.reason : error;
  const code = errorCode(cause);
  if (code === "ENOSPC") return diskFullError(options, cause);
  if (code && FILE_SYSTEM_CODES.has(code)) return fileSystemError(cause, partPath(options.destination));
  return networkError(options.url, cause, received);
}

const FILE_SYSTEM_CODES = new Set([
  "EACCES",
  "EPERM",
  "EROFS",
  "EISDIR",
  "ENOTDIR",
  "EMFILE",
  "EIO",
  "EBADF",
]);

function networkError(url: string, cause: unknown, received: ReceiveError | undefined): ModelDownloadError {
  const host = new URL(url).host;
  const what = received
    ? `The connection to ${host} broke after ${formatBytes(received.bytes)}` +
      (received.total === undefined ? "" : ` of ${formatBytes(received.total)}`)
    : `Could not download from ${host}`;
  const reason = describeCause(cause);
  return new ModelDownloadError(
    "NETWORK",
    `${what} (${reason}). Check your internet connection (and proxy) and run the command again; the ` +
      `download resumes where it stopped.`,
    { url, cause },
  );
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "name lookup failed",
  ETIMEDOUT: "timed out",
  ENETUNREACH: "network unreachable",
  EHOSTUNREACH: "host unreachable",
  UND_ERR_SOCKET: "the server closed the connection",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_HEADERS_TIMEOUT: "no answer in time",
  UND_ERR_BODY_TIMEOUT: "no data in time",
};

function describeCause(cause: unknown): string {
  const code = errorCode(cause);
  if (code) return NETWORK_REASONS[code] ? `${NETWORK_REASONS[code]}, ${code}` : code;
  return cause instanceof Error ? cause.message : String(cause);
}

function diskFullError(options: DownloadOptions, cause: unknown): ModelDownloadError {
  return new ModelDownloadError(
    "DISK_FULL",
    `The disk filled up while writing ${partPath(options.destination)}. Free some space and run the ` +
      `command again; what was downloaded so far is kept and the download resumes from there.`,
    { url: options.url, cause },
  );
}

function fileSystemError(error: unknown, path: string): ModelDownloadError {
  const code = errorCode(error) ?? "error";
  if (code === "ENOSPC") {
    return new ModelDownloadError(
      "DISK_FULL",
      `The disk is full: could not write ${path}. Free some space and run the command again.`,
      { cause: error },
    );
  }
  return new ModelDownloadError(
    "FILE_SYSTEM",
    `Cannot write ${path} (${code}). Check that the folder exists and is writable, or set ` +
      `TINYAGENT_MODELS_DIR to a folder you can write.`,
    { cause: error },
  );
}

export function httpError(status: number, url: string): ModelDownloadError {
  if (status === 401 || status === 403) {
    return new ModelDownloadError(
      status === 401 ? "UNAUTHORIZED" : "FORBIDDEN",
      `The server refused the download of ${url} (HTTP ${status}). The file may have become private or ` +
        `gated: open the address in a browser to check, or set TINYAGENT_MODEL_BASE_URL to a mirror that ` +
        `has it.`,
      { url, status },
    );
  }
  if (status === 404 || status === 410) {
    return new ModelDownloadError(
      "NOT_FOUND",
      `Nothing to download at ${url} (HTTP ${status}): the file was moved or removed. Check the address in ` +
        `a browser, update TinyAgent, or set TINYAGENT_MODEL_BASE_URL to a mirror that has the file.`,
      { url, status },
    );
  }
  if (status >= 500) {
    return new ModelDownloadError(
      "SERVER_ERROR",
      `The server failed to send ${url} (HTTP ${status}). This is usually temporary: run the command ` +
        `again in a few minutes; the download resumes where it stopped.`,
      { url, status },
    );
  }
  return new ModelDownloadError(
    "HTTP_ERROR",
    `Unexpected answer from the server for ${url} (HTTP ${status}). Run the command again later; if it ` +
      `persists, set TINYAGENT_MODEL_BASE_URL to a mirror that has the file.`,
    { url, status },
  );
}

function unexpected(response: Response, url: string): ModelDownloadError {
  return new ModelDownloadError(
    "HTTP_ERROR",
    `The server answered a resumed download of ${url} inconsistently (HTTP ${response.status}, ` +
      `${response.headers.get("content-range") ?? "no Content-Range"}). Run the command again.`,
    { url, status: response.status },
  );
}

function errorCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------
// Small helpers

/** `bytes 100-199/1000` → start and total ("*" total → undefined). */
export function parseContentRange(header: string | null): { start?: number; total?: number } | undefined {
  const match = header ? /^bytes\s+(?:(\d+)-\d+|\*)\/(\d+|\*)$/i.exec(header.trim()) : null;
  if (!match) return undefined;
  return {
    start: match[1] === undefined ? undefined : Number(match[1]),
    total: match[2] === undefined || match[2] === "*" ? undefined : Number(match[2]),
  };
}

function contentLength(response: Response): number | undefined {
  const value = Number(response.headers.get("content-length") ?? Number.NaN);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** Decimal units, like Hugging Face shows sizes: 668.0 MB, 4.37 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} kB`;
  if (bytes < 1e9) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/** Sha256 of a whole file, with the same progress reports as a download's "checking" phase. */
export async function hashFile(
  path: string,
  options: {
    signal?: AbortSignal;
    onProgress?: (progress: DownloadProgress) => void;
    progressIntervalMs?: number;
  } = {},
): Promise<{ sha256: string; bytes: number }> {
  const { size } = await stat(path);
  const hash = createHash("sha256");
  const meter = new ProgressMeter(options.onProgress, options.progressIntervalMs ?? 100);
  if (size > 0) await hashPrefix(path, size, hash, meter, size, options.signal);
  meter.report("checking", size, size, true);
  return { sha256: hash.digest("hex"), bytes: size };
}

// ---------------------------------------------------------------------------------------------------
// One download per file at a time (the CLI and Raycast may both try)

interface Lock {
  release(): Promise<void>;
}

// Downloads running in this process; the lock file alone cannot tell two of them apart (same pid).
const activeDownloads = new Set<string>();

async function acquireLock(destination: string): Promise<Lock> {
  const path = `${destination}.lock`;
  if (activeDownloads.has(path)) throw busyError(process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, "wx");
      await file.writeFile(String(process.pid)).finally(() => file.close());
      activeDownloads.add(path);
      return {
        release: async () => {
          activeDownloads.delete(path);
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if (errorCode(error) !== "EEXIST") throw fileSystemError(error, path);
      const owner = await lockOwner(path);
      if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw busyError(owner);
      // A lock left by a process that ended without removing it: take it over.
      await rm(path, { force: true });
    }
  }
  throw new ModelDownloadError("FILE_SYSTEM", `Could not lock ${path}; remove it and run the command again.`);
}

function busyError(pid: number): ModelDownloadError {
  return new ModelDownloadError(
    "BUSY",
    `Another download of this model is running (process ${pid}). Wait for it to finish, or stop it and ` +
      `run the command again.`,
  );
}

async function lockOwner(path: string): Promise<number | undefined> {
  const file = await open(path, "r").catch(() => undefined);
  if (!file) return undefined;
  const text = await file.readFile("utf8").finally(() => file.close());
  const pid = Number(text.trim());
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errorCode(error) === "EPERM";
  }
}
