import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { provisionEngines, type EngineSetupProgress } from "../../src/agent/engines/provision-engines";

/**
 * The real thing, against https://registry.npmjs.org (CI can reach it): the linux-x64 engine set from a
 * clean folder, each tarball checked against package-lock.json, then both engines loaded from that
 * folder in a child process. No registry, no pass: a download failure fails the test.
 */

const root = join(import.meta.dirname, "..", "..");
const targetDir = await mkdtemp(join(tmpdir(), "tinyagent-engines-registry-"));
afterAll(() => rm(targetDir, { recursive: true, force: true }));

// By file URL: `--import tsx` would be looked up from the child's folder, which is outside the repository.
const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const onLinuxX64 = process.platform === "linux" && process.arch === "x64";

describe("provisionEngines from registry.npmjs.org (linux-x64)", () => {
  let runtimeDir: string | undefined;

  it(
    "downloads, verifies and installs the engine packages into a clean folder",
    { timeout: 600_000 },
    async () => {
      const events: EngineSetupProgress[] = [];
      const result = await provisionEngines({
        targetDir,
        platform: "linux",
        arch: "x64",
        onProgress: (event) => events.push(event),
      });
      runtimeDir = result.runtimeDir;
      expect(result).toMatchObject({ platform: "linux-x64", installed: true });
      expect(result.downloadedBytes).toBeGreaterThan(100_000_000);
      expect(events.at(-1)).toMatchObject({ phase: "done", percent: 100 });
      expect(events.at(-1)?.bytesDone).toBe(events.at(-1)?.totalBytes);
      const modules = await readdir(join(runtimeDir, "node_modules"));
      expect(modules).toEqual(
        expect.arrayContaining(["node-llama-cpp", "onnxruntime-node", "onnxruntime-common"]),
      );
      expect(await readdir(join(runtimeDir, "node_modules", "@node-llama-cpp"))).toEqual(["linux-x64"]);

      const again = await provisionEngines({ targetDir, platform: "linux", arch: "x64" });
      expect(again).toMatchObject({ runtimeDir, installed: false, downloadedBytes: 0 });
    },
  );

  it.runIf(onLinuxX64)(
    "loads node-llama-cpp and runs the Tool RAG model on onnxruntime, both from the provisioned folder",
    { timeout: 120_000 },
    async () => {
      expect(runtimeDir).toBeDefined();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          "--import",
          tsxLoader,
          join(root, "test", "engines", "load-engines.child.ts"),
          runtimeDir!,
          join(root, "models", "toolrag.onnx"),
        ],
        // Outside the repository, so nothing can fall back to its node_modules by accident.
        { cwd: targetDir, timeout: 110_000 },
      );
      const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as {
        buildType: string;
        gpu: unknown;
        outputValues: number;
        allFinite: boolean;
        nativeFiles: string[];
      };
      expect(result).toMatchObject({ buildType: "prebuilt", gpu: false, allFinite: true });
      expect(result.outputValues).toBeGreaterThan(0);
      const native = result.nativeFiles;
      expect(
        native.some((path) =>
          path.endsWith("onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node"),
        ),
      ).toBe(true);
      expect(
        native.some((path) => path.includes("@node-llama-cpp/linux-x64/") && path.endsWith(".node")),
      ).toBe(true);
      expect(native.filter((path) => !path.startsWith(runtimeDir!))).toEqual([]);
    },
  );
});
