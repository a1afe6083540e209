import { randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EngineManifest } from "../../src/agent/engines/engine-manifest";
import { EngineSetupError } from "../../src/agent/engines/engine-setup-error";
import { INSTALL_MARKER } from "../../src/agent/engines/install-marker";
import {
  engineRuntimeDir,
  installedEngines,
  provisionEngines,
  type EngineSetupProgress,
} from "../../src/agent/engines/provision-engines";
import {
  buildTarballs,
  manifestOf,
  startFakeRegistry,
  type FakePackage,
  type FakeRegistry,
  type Tarball,
} from "./fake-registry";

// Incompressible content, so the big package's tarball is big enough to be interrupted mid-way.
const noise = randomBytes(2 * 1024 * 1024);

const PACKAGES: FakePackage[] = [
  {
    path: "node_modules/alpha",
    name: "alpha",
    version: "1.0.0",
    files: { "index.js": "module.exports = 1;" },
  },
  {
    path: "node_modules/alpha/node_modules/gamma",
    name: "gamma",
    version: "2.0.0",
    files: { "index.js": "module.exports = 'nested';" },
  },
  {
    path: "node_modules/gamma",
    name: "gamma",
    version: "1.0.0",
    files: { "index.js": "module.exports = 'top';" },
  },
  { path: "node_modules/@scope/beta", name: "@scope/beta", version: "3.1.4", files: { "lib/beta.js": "//" } },
  {
    path: "node_modules/onnxruntime-node",
    name: "onnxruntime-node",
    version: "1.30.0",
    files: {
      "dist/index.js": "//",
      "bin/napi-v6/linux/x64/onnxruntime_binding.node": noise,
      "bin/napi-v6/darwin/arm64/onnxruntime_binding.node": "mac",
      "bin/napi-v6/win32/x64/onnxruntime_binding.node": "windows",
    },
  },
];

let tarballs: Tarball[];
let manifest: EngineManifest;
let registry: FakeRegistry;
let targetDir: string;

beforeEach(async () => {
  tarballs ??= await buildTarballs(PACKAGES);
  manifest = manifestOf(tarballs);
  registry = await startFakeRegistry(tarballs);
  targetDir = await mkdtemp(join(tmpdir(), "tinyagent-engines-"));
});

afterEach(async () => {
  await registry.close();
  await rm(targetDir, { recursive: true, force: true });
});

function provision(extra: Partial<Parameters<typeof provisionEngines>[0]> = {}) {
  return provisionEngines({
    targetDir,
    platform: "linux",
    arch: "x64",
    registry: registry.url,
    manifest,
    ...extra,
  });
}

const read = (path: string) => readFile(join(engineRuntimeDir(targetDir), path), "utf8");
const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const totalSize = () => tarballs.reduce((sum, t) => sum + t.bytes.length, 0);

async function failure(promise: Promise<unknown>): Promise<EngineSetupError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(EngineSetupError);
  return error as EngineSetupError;
}

describe("provisionEngines", () => {
  it("after an update, downloads only the packages that are new or changed and copies the rest", async () => {
    await provision();
    // The update: alpha changes version (and so its tarball), a new engine package arrives, the rest stay.
    const [changed, added] = await buildTarballs([
      { ...PACKAGES[0]!, version: "1.1.0", files: { "index.js": "module.exports = 2;" } },
      {
        path: "node_modules/@fugood/node-whisper-linux-x64",
        name: "@fugood/node-whisper-linux-x64",
        version: "1.1.1",
        files: { "index.node": "binary" },
      },
    ]);
    const kept = tarballs.filter((t) => t.entry.path !== "node_modules/alpha");
    const updated = [changed!, ...kept, added!];
    const mirror = await startFakeRegistry(updated);
    try {
      const result = await provision({ registry: mirror.url, manifest: manifestOf(updated) });
      expect(result.installed).toBe(true);
      expect(mirror.requests.map((request) => request.path).sort()).toEqual([
        "/@fugood/node-whisper-linux-x64/-/node-whisper-linux-x64-1.1.1.tgz",
        "/alpha/-/alpha-1.1.0.tgz",
      ]);
      expect(result.downloadedBytes).toBe(changed!.bytes.length + added!.bytes.length);
      expect(await read("node_modules/alpha/index.js")).toBe("module.exports = 2;");
      // alpha's nested gamma is its own package, kept as it was; the copied ones are whole.
      expect(await read("node_modules/alpha/node_modules/gamma/index.js")).toBe("module.exports = 'nested';");
      expect(await read("node_modules/gamma/index.js")).toBe("module.exports = 'top';");
      expect(await read("node_modules/@scope/beta/lib/beta.js")).toBe("//");
      expect(await read("node_modules/@fugood/node-whisper-linux-x64/index.node")).toBe("binary");
      expect(
        await installedEngines({ targetDir, platform: "linux", arch: "x64", manifest: manifestOf(updated) }),
      ).toBe(result.runtimeDir);
    } finally {
      await mirror.close();
    }
  });

  it("installs every package where the lockfile puts it, with a marker, and reports progress to 100 %", async () => {
    const events: EngineSetupProgress[] = [];
    const result = await provision({ onProgress: (event) => events.push(event) });

    expect(result).toEqual({
      runtimeDir: engineRuntimeDir(targetDir),
      platform: "linux-x64",
      installed: true,
      downloadedBytes: totalSize(),
    });
    expect(await read("node_modules/alpha/index.js")).toBe("module.exports = 1;");
    expect(await read("node_modules/alpha/node_modules/gamma/index.js")).toBe("module.exports = 'nested';");
    expect(await read("node_modules/gamma/index.js")).toBe("module.exports = 'top';");
    expect(await read("node_modules/@scope/beta/lib/beta.js")).toBe("//");
    const marker = JSON.parse(await read(INSTALL_MARKER)) as { platform: string; packages: unknown[] };
    expect(marker.platform).toBe("linux-x64");
    expect(marker.packages).toHaveLength(PACKAGES.length);
    expect(await installedEngines({ targetDir, platform: "linux", arch: "x64", manifest })).toBe(
      result.runtimeDir,
    );
    // Downloads are gone once installed; no staging folder is left.
    expect((await readdir(targetDir)).sort()).toEqual(["runtime"]);

    const downloads = events.filter((event) => event.phase === "downloading");
    expect(downloads.length).toBeGreaterThan(0);
    for (const [index, event] of downloads.entries()) {
      expect(event.totalBytes).toBe(totalSize());
      expect(event.bytesDone).toBeGreaterThanOrEqual(downloads[index - 1]?.bytesDone ?? 0);
      expect(event.packageName).toMatch(/^(@scope\/)?[a-z-]+@\d/);
    }
    expect(events.at(-1)).toMatchObject({
      phase: "done",
      percent: 100,
      bytesDone: totalSize(),
      packagesDone: 5,
    });
  });

  it("keeps only this platform's onnxruntime binaries", async () => {
    await provision({ platform: "darwin", arch: "arm64" });
    const bin = join(engineRuntimeDir(targetDir), "node_modules", "onnxruntime-node", "bin", "napi-v6");
    expect(await readdir(bin)).toEqual(["darwin"]);
    expect(
      await read("node_modules/onnxruntime-node/bin/napi-v6/darwin/arm64/onnxruntime_binding.node"),
    ).toBe("mac");
  });

  it("returns at once without a request when the engines are installed", async () => {
    await provision();
    const before = registry.requests.length;
    const again = await provision();
    expect(again).toMatchObject({ installed: false, downloadedBytes: 0 });
    expect(registry.requests.length).toBe(before);
  });

  it("installs again when the installed tree is incomplete or its versions differ from the manifest", async () => {
    await provision();
    await rm(join(engineRuntimeDir(targetDir), "node_modules", "@scope", "beta"), { recursive: true });
    expect(await installedEngines({ targetDir, platform: "linux", arch: "x64", manifest })).toBeUndefined();
    expect(await provision()).toMatchObject({ installed: true });
    expect(await read("node_modules/@scope/beta/lib/beta.js")).toBe("//");

    // A TinyAgent update with another hash for one package.
    const updated = structuredClone(manifest);
    updated.packages[0]!.integrity = "sha512-AAAA";
    expect(
      await installedEngines({ targetDir, platform: "linux", arch: "x64", manifest: updated }),
    ).toBeUndefined();
  });

  it("rejects a tampered tarball naming the package and both hashes, and installs nothing", async () => {
    const real = tarballs.find((t) => t.entry.name === "@scope/beta")!;
    const tampered = Buffer.from(real.bytes);
    tampered[tampered.length - 5]! ^= 0xff; // same size: only the hash can tell
    registry.tamper.set("@scope/beta", tampered);

    const error = await failure(provision());
    expect(error.code).toBe("INTEGRITY");
    expect(error.message).toContain("@scope/beta@3.1.4");
    expect(error.message).toContain(real.entry.integrity);
    expect(error.actual).toMatch(/^sha512-/);
    expect(error.actual).not.toBe(real.entry.integrity);
    expect(error.message).toContain(error.actual!);
    expect(error.message).toMatch(/Run the set-up again/);
    expect(await exists(engineRuntimeDir(targetDir))).toBe(false);
    expect((await readdir(targetDir)).filter((name) => name.startsWith(".staging"))).toEqual([]);
    const kept = await readdir(join(targetDir, "downloads"));
    expect(kept.some((name) => name.startsWith("@scope+beta"))).toBe(false);

    // The registry serves the right file again: the set-up completes.
    registry.tamper.clear();
    expect(await provision()).toMatchObject({ installed: true });
  });

  it("rechecks tarballs kept from an earlier set-up and replaces a damaged one", async () => {
    registry.fail.set("alpha", 503);
    await failure(provision({ concurrency: 1 }));
    const downloads = join(targetDir, "downloads");
    // onnxruntime-node is the largest, so it came first and is complete; damage it on disk.
    const file = join(downloads, "onnxruntime-node-1.30.0.tgz");
    expect(await exists(file)).toBe(true);
    await writeFile(file, Buffer.alloc((await stat(file)).size));
    registry.fail.clear();
    registry.requests.length = 0;

    expect(await provision()).toMatchObject({ installed: true });
    expect(registry.requests.map((r) => r.path)).toContain("/onnxruntime-node/-/onnxruntime-node-1.30.0.tgz");
    expect(await read("node_modules/onnxruntime-node/dist/index.js")).toBe("//");
  });

  it("stops on abort keeping the partial download, and the next set-up resumes it with a Range request", async () => {
    const big = tarballs.find((t) => t.entry.name === "onnxruntime-node")!;
    const half = Math.floor(big.bytes.length / 2);
    registry.stallAfter.set("onnxruntime-node", half);
    const controller = new AbortController();
    const part = join(targetDir, "downloads", "onnxruntime-node-1.30.0.tgz.part");
    const stopped = provision({ signal: controller.signal });
    // Stop once the first half is on disk and the connection has gone quiet.
    while (((await stat(part).catch(() => undefined))?.size ?? 0) < half) await sleep(10);
    controller.abort();
    const error = await failure(stopped);
    expect(error.code).toBe("ABORTED");
    expect(error.message).toMatch(/resumes/);
    expect(await exists(engineRuntimeDir(targetDir))).toBe(false);
    expect((await stat(part)).size).toBe(half);

    registry.stallAfter.clear();
    registry.requests.length = 0;
    const resumed = await provision();
    expect(resumed.installed).toBe(true);
    const request = registry.requests.find((r) => r.path.startsWith("/onnxruntime-node/"));
    expect(request?.range).toBe(`bytes=${half}-`);
    expect(resumed.downloadedBytes).toBeLessThan(totalSize());
    expect(await read("node_modules/onnxruntime-node/package.json")).toContain("1.30.0");
  });

  it("says which package the registry refused, with the HTTP status", async () => {
    registry.fail.set("gamma", 404);
    const error = await failure(provision());
    expect(error.code).toBe("REGISTRY");
    expect(error.message).toMatch(/HTTP 404 for gamma@[12]\.0\.0/);
    expect(error.message).toMatch(/does not have this version/);
    expect(await exists(engineRuntimeDir(targetDir))).toBe(false);
  });

  it("says the registry cannot be reached when offline", async () => {
    await registry.close();
    const error = await failure(provision({ registry: registry.url }));
    expect(error.code).toBe("NETWORK");
    expect(error.message).toMatch(/Could not download (@scope\/)?[a-z-]+@[\d.]+: .*connection refused/);
    expect(error.message).toMatch(/internet connection/);
    registry = await startFakeRegistry(tarballs); // for afterEach
  });

  it("names the supported platforms for any other", async () => {
    const error = await failure(provision({ platform: "win32", arch: "x64" }));
    expect(error.code).toBe("UNSUPPORTED_PLATFORM");
    expect(error.message).toMatch(/darwin-arm64/);
  });
});
