import { createHash } from "node:crypto";
import { createServer } from "node:net";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  downloadModel,
  formatBytes,
  ModelDownloadError,
  parseContentRange,
  partPath,
  type DownloadOptions,
  type DownloadProgress,
} from "../../src/agent/model/download";
import { FILE_DATA, FILE_SHA256, FILE_SIZE, startServer, type TestServer } from "./server";

let server: TestServer;
let dir: string;
let destination: string;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyagent-download-"));
  destination = join(dir, "models", "model.gguf");
  server.requests.length = 0;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function download(path: string, extra: Partial<DownloadOptions> = {}) {
  return downloadModel({
    url: server.url(path),
    destination,
    sha256: FILE_SHA256,
    size: FILE_SIZE,
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<ModelDownloadError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelDownloadError);
  return error as ModelDownloadError;
}

function sha256Of(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

function expectOnlyFinalFile(): void {
  expect(sha256Of(destination)).toBe(FILE_SHA256);
  expect(existsSync(partPath(destination))).toBe(false);
  expect(existsSync(`${destination}.lock`)).toBe(false);
}

describe("downloadModel", () => {
  it("downloads the whole file, checks its hash and moves it into place", async () => {
    const result = await download("/files/model.gguf");
    expect(result).toEqual({
      path: destination,
      bytes: FILE_SIZE,
      sha256: FILE_SHA256,
      hashVerified: true,
      resumedFrom: 0,
    });
    expectOnlyFinalFile();
    expect(server.requests).toEqual([{ path: "/files/model.gguf", range: undefined }]);
  });

  it("follows redirects", async () => {
    await download("/redirect/model.gguf");
    expectOnlyFinalFile();
    expect(server.requests.map((r) => r.path)).toEqual(["/redirect/model.gguf", "/files/model.gguf"]);
  });

  it("keeps what arrived when the connection is cut, and resumes from there with a Range request", async () => {
    const error = await failure(download("/cut/model.gguf"));
    expect(error.code).toBe("NETWORK");
    expect(error.message).toMatch(/broke after .* of .*run the command again; the download resumes/);
    expect(existsSync(destination)).toBe(false);
    const kept = statSync(partPath(destination)).size;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(FILE_SIZE);

    const result = await download("/cut/model.gguf");
    expect(result.resumedFrom).toBe(kept);
    expect(server.requestsFor("/cut/model.gguf").map((r) => r.range)).toEqual([undefined, `bytes=${kept}-`]);
    expectOnlyFinalFile();
  });

  it("retries on its own when asked to, resuming after the cut", async () => {
    const result = await download("/cut/model.gguf", { retries: 2, retryDelayMs: 5 });
    expect(result.resumedFrom).toBeGreaterThan(0);
    expect(server.requestsFor("/cut/model.gguf")).toHaveLength(2);
    expectOnlyFinalFile();
  });

  it("stops on abort, keeps the .part, and the next call resumes it", async () => {
    const controller = new AbortController();
    const error = await failure(
      download("/slow/model.gguf", {
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          if (p.bytesDone >= 512 * 1024) controller.abort();
        },
      }),
    );
    expect(error.code).toBe("ABORTED");
    expect(error.message).toContain(partPath(destination));
    expect(existsSync(destination)).toBe(false);
    expect(existsSync(`${destination}.lock`)).toBe(false);
    const kept = statSync(partPath(destination)).size;
    expect(kept).toBeGreaterThan(0);

    const result = await download("/files/model.gguf");
    expect(result.resumedFrom).toBe(kept);
    expect(server.requestsFor("/files/model.gguf")).toEqual([
      { path: "/files/model.gguf", range: `bytes=${kept}-` },
    ]);
    expectOnlyFinalFile();
  });

  it("does not start when the signal is already aborted", async () => {
    const error = await failure(download("/files/model.gguf", { signal: AbortSignal.abort() }));
    expect(error.code).toBe("ABORTED");
    expect(server.requests).toHaveLength(0);
  });

  it("starts over cleanly when the server ignores Range and sends the whole file", async () => {
    mkdirFor(destination);
    writeFileSync(partPath(destination), Buffer.alloc(100_000, 7)); // not even the right bytes
    const result = await download("/ignore-range/model.gguf");
    expect(server.requests[0]?.range).toBe("bytes=100000-");
    expect(result.resumedFrom).toBe(0);
    expectOnlyFinalFile();
  });

  it("accepts a complete .part when the server answers 416", async () => {
    mkdirFor(destination);
    writeFileSync(partPath(destination), FILE_DATA);
    const result = await download("/files/model.gguf");
    expect(server.requests[0]?.range).toBe(`bytes=${FILE_SIZE}-`);
    expect(result.resumedFrom).toBe(FILE_SIZE);
    expectOnlyFinalFile();
  });

  it("deletes a .part whose hash is wrong and says what to do", async () => {
    const error = await failure(download("/wrong/model.gguf"));
    expect(error.code).toBe("HASH_MISMATCH");
    expect(error.message).toContain(`expected ${FILE_SHA256}`);
    expect(error.message).toContain("The partial download was deleted; run the command again");
    expect(existsSync(partPath(destination))).toBe(false);
    expect(existsSync(destination)).toBe(false);
  });

  it("never replaces a good file with a bad download", async () => {
    mkdirFor(destination);
    writeFileSync(destination, "the previous model");
    await failure(download("/wrong/model.gguf"));
    expect(readFileSync(destination, "utf8")).toBe("the previous model");
  });

  it("catches a corrupt resumed prefix through the hash of the whole file", async () => {
    mkdirFor(destination);
    const bad = Buffer.from(FILE_DATA.subarray(0, 1_000_000));
    bad[10] = (bad[10] ?? 0) ^ 1;
    writeFileSync(partPath(destination), bad);
    const error = await failure(download("/files/model.gguf"));
    expect(error.code).toBe("HASH_MISMATCH");
    expect(existsSync(partPath(destination))).toBe(false);
  });

  it("refuses a file whose advertised size is not the expected one, before downloading it", async () => {
    const error = await failure(download("/files/model.gguf", { size: FILE_SIZE + 1 }));
    expect(error.code).toBe("SIZE_MISMATCH");
    expect(error.message).toContain(`${FILE_SIZE + 1} bytes were expected`);
    expect(existsSync(partPath(destination))).toBe(false);
  });

  it("downloads without a known hash and reports the hash it saw", async () => {
    const result = await download("/files/model.gguf", { sha256: undefined, size: undefined });
    expect(result.hashVerified).toBe(false);
    expect(result.sha256).toBe(FILE_SHA256);
    expectOnlyFinalFile();
  });

  it.each([
    [404, "NOT_FOUND", /Nothing to download at http:\/\/127\.0\.0\.1:\d+\/status\/404 \(HTTP 404\).*mirror/],
    [403, "FORBIDDEN", /refused the download of .*\/status\/403 \(HTTP 403\).*private or gated/],
    [401, "UNAUTHORIZED", /HTTP 401/],
    [500, "SERVER_ERROR", /\(HTTP 500\)\. This is usually temporary: run the command again/],
    [418, "HTTP_ERROR", /HTTP 418/],
  ])("HTTP %i gives a %s error naming the URL and what to do", async (status, code, message) => {
    const error = await failure(download(`/status/${status}`));
    expect(error.code).toBe(code);
    expect(error.status).toBe(status);
    expect(error.url).toBe(server.url(`/status/${status}`));
    expect(error.message).toMatch(message);
    expect(existsSync(partPath(destination))).toBe(false);
    expect(existsSync(destination)).toBe(false);
  });

  it("explains a server that cannot be reached", async () => {
    const port = await closedPort();
    const error = await failure(
      downloadModel({ url: `http://127.0.0.1:${port}/model.gguf`, destination, retries: 0 }),
    );
    expect(error.code).toBe("NETWORK");
    expect(error.message).toMatch(
      /Could not download from 127\.0\.0\.1:\d+ \(connection refused, ECONNREFUSED\)\. Check your internet/,
    );
  });

  it("gives up on a stalled connection and keeps what arrived", async () => {
    const error = await failure(download("/stall/model.gguf", { idleTimeoutMs: 200 }));
    expect(error.code).toBe("NETWORK");
    expect(error.message).toMatch(/stopped sending data/);
    expect(statSync(partPath(destination)).size).toBe(256 * 1024);
  });

  it("refuses a second download of the same file while one runs", async () => {
    const controller = new AbortController();
    const first = download("/slow/model.gguf", { signal: controller.signal });
    await waitFor(() => server.requests.length > 0);
    const error = await failure(download("/files/model.gguf"));
    expect(error.code).toBe("BUSY");
    controller.abort();
    expect((await failure(first)).code).toBe("ABORTED");
  });

  it("reports monotonic, throttled progress that ends at 100 %", async () => {
    const events: DownloadProgress[] = [];
    const started = performance.now();
    await download("/slow/model.gguf", { onProgress: (p) => events.push(p) });
    const elapsed = performance.now() - started;
    expect(events.length).toBeGreaterThan(2);
    // At most one report per 100 ms, plus the first and the final one.
    expect(events.length).toBeLessThanOrEqual(Math.ceil(elapsed / 100) + 2);
    for (let i = 1; i < events.length; i++) {
      expect(events[i]!.bytesDone).toBeGreaterThanOrEqual(events[i - 1]!.bytesDone);
      expect(events[i]!.percent!).toBeGreaterThanOrEqual(events[i - 1]!.percent!);
    }
    const last = events.at(-1)!;
    expect(last).toMatchObject({ bytesDone: FILE_SIZE, totalBytes: FILE_SIZE, percent: 100, etaSeconds: 0 });
    expect(events.every((e) => e.totalBytes === FILE_SIZE)).toBe(true);
    expect(events.some((e) => e.bytesPerSecond > 0 && e.etaSeconds !== undefined)).toBe(true);
  });

  it("reports checking the kept bytes before downloading the rest", async () => {
    mkdirFor(destination);
    writeFileSync(partPath(destination), FILE_DATA.subarray(0, 2_000_000));
    const events: DownloadProgress[] = [];
    await download("/files/model.gguf", { onProgress: (p) => events.push(p), progressIntervalMs: 0 });
    const phases = events.map((e) => e.phase);
    expect(phases[0]).toBe("checking");
    expect(phases.at(-1)).toBe("downloading");
    expect(phases.lastIndexOf("checking")).toBeLessThan(phases.indexOf("downloading"));
    expect(events.at(-1)?.percent).toBe(100);
  });
});

describe("download helpers", () => {
  it("parses Content-Range", () => {
    expect(parseContentRange("bytes 100-199/1000")).toEqual({ start: 100, total: 1000 });
    expect(parseContentRange("bytes 0-9/*")).toEqual({ start: 0, total: undefined });
    expect(parseContentRange("bytes */1000")).toEqual({ start: undefined, total: 1000 });
    expect(parseContentRange(null)).toBeUndefined();
    expect(parseContentRange("items 1-2/3")).toBeUndefined();
  });

  it("formats sizes as Hugging Face shows them", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(312_400_000)).toBe("312.4 MB");
    expect(formatBytes(668_000_000)).toBe("668.0 MB");
    expect(formatBytes(4_370_000_000)).toBe("4.37 GB");
  });
});

function mkdirFor(file: string): void {
  mkdirSync(join(file, ".."), { recursive: true });
}

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}
