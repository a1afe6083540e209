import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildEngineManifest,
  engineManifestSchema,
  enginePackagesFor,
  enginePlatform,
  engineRegistry,
  ENGINE_PLATFORMS,
  formatEngineManifest,
  knownSizes,
  tarballUrl,
  WHISPER_BINARY,
} from "../../src/agent/engines/engine-manifest";

const root = join(import.meta.dirname, "..", "..");
const readText = (path: string): string => readFileSync(join(root, path), "utf8");

/** A lockfile entry with a made-up but well-formed integrity. */
function entry(version: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { version, integrity: `sha512-${Buffer.from(version).toString("base64")}`, ...extra };
}

/** The whisper binding of each platform, a root of its own there (WHISPER_BINARY). */
const WHISPER_BINARIES: Record<string, unknown> = Object.fromEntries(
  ENGINE_PLATFORMS.map((platform) => {
    const [os, cpu] = platform.split("-");
    return [`node_modules/${WHISPER_BINARY[platform]}`, entry("1.1.1", { os: [os], cpu: [cpu] })];
  }),
);

function lockfile(packages: Record<string, unknown>): unknown {
  return { lockfileVersion: 3, packages: { "": { name: "app" }, ...WHISPER_BINARIES, ...packages } };
}

describe("engine manifest", () => {
  it("is exactly what package-lock.json gives (run `npm run engines:manifest` after changing dependencies)", () => {
    const committed = readText("src/agent/engines/engine-packages.json");
    // Sizes are measured on the registry, once per integrity; everything else comes from the lockfile.
    const sizes = knownSizes(engineManifestSchema.parse(JSON.parse(committed)));
    const regenerated = buildEngineManifest(JSON.parse(readText("package-lock.json")), sizes);
    expect(formatEngineManifest(regenerated)).toBe(committed);
    expect(regenerated.packages.filter((entry) => entry.size === undefined)).toEqual([]);
  });

  it("resolves dependencies the way Node does: nested copies shadow hoisted ones", () => {
    const manifest = buildEngineManifest(
      lockfile({
        "node_modules/node-llama-cpp": entry("3.0.0", { dependencies: { a: "^1", b: "^1" } }),
        "node_modules/node-llama-cpp/node_modules/a": entry("2.0.0", { dependencies: { c: "^1" } }),
        "node_modules/a": entry("1.0.0"),
        "node_modules/b": entry("1.0.0", { dependencies: { a: "^1", c: "^1" } }),
        "node_modules/c": entry("1.0.0"),
        "node_modules/unused": entry("1.0.0"),
        "node_modules/onnxruntime-node": entry("1.0.0", { dependencies: { "@scope/d": "1" } }),
        "node_modules/@scope/d": entry("1.0.0"),
      }),
    );
    expect(manifest.platforms["linux-x64"]).toEqual([
      "node_modules/@fugood/node-whisper-linux-x64",
      "node_modules/@scope/d",
      "node_modules/a",
      "node_modules/b",
      "node_modules/c",
      "node_modules/node-llama-cpp",
      "node_modules/node-llama-cpp/node_modules/a",
      "node_modules/onnxruntime-node",
    ]);
    const nested = manifest.packages.find((p) => p.path === "node_modules/node-llama-cpp/node_modules/a");
    expect(nested).toMatchObject({ name: "a", version: "2.0.0" });
  });

  it("keeps only node-llama-cpp's binary for the platform among optional dependencies", () => {
    const manifest = buildEngineManifest(
      lockfile({
        "node_modules/node-llama-cpp": entry("3.0.0", {
          dependencies: { ipull: "1" },
          optionalDependencies: {
            "@node-llama-cpp/linux-x64": "3.0.0",
            "@node-llama-cpp/linux-x64-cuda": "3.0.0",
            "@node-llama-cpp/mac-arm64-metal": "3.0.0",
            "@node-llama-cpp/mac-x64": "3.0.0",
          },
        }),
        "node_modules/@node-llama-cpp/linux-x64": entry("3.0.0", { os: ["linux"], cpu: ["x64"] }),
        "node_modules/@node-llama-cpp/linux-x64-cuda": entry("3.0.0", { os: ["linux"], cpu: ["x64"] }),
        "node_modules/@node-llama-cpp/mac-arm64-metal": entry("3.0.0", {
          os: ["darwin"],
          cpu: ["arm64", "x64"],
        }),
        "node_modules/@node-llama-cpp/mac-x64": entry("3.0.0", { os: ["darwin"], cpu: ["x64"] }),
        "node_modules/ipull": entry("1.0.0", { optionalDependencies: { reflink: "1" } }),
        "node_modules/reflink": entry("1.0.0"),
        "node_modules/onnxruntime-node": entry("1.0.0", {
          peerDependencies: { peer: "1", ts: "5" },
          peerDependenciesMeta: { ts: { optional: true } },
        }),
        "node_modules/peer": entry("1.0.0"),
        "node_modules/ts": entry("5.0.0"),
      }),
    );
    const binaries = (platform: (typeof ENGINE_PLATFORMS)[number]) =>
      manifest.platforms[platform]?.filter((path) => path.includes("@node-llama-cpp/"));
    expect(binaries("linux-x64")).toEqual(["node_modules/@node-llama-cpp/linux-x64"]);
    expect(binaries("darwin-arm64")).toEqual(["node_modules/@node-llama-cpp/mac-arm64-metal"]);
    expect(binaries("darwin-x64")).toEqual(["node_modules/@node-llama-cpp/mac-x64"]);
    expect(manifest.platforms["linux-x64"]).toContain("node_modules/peer");
    expect(manifest.platforms["linux-x64"]).not.toContain("node_modules/ts");
    expect(manifest.platforms["linux-x64"]).not.toContain("node_modules/reflink");
  });

  it("refuses a required package whose os or cpu excludes a platform, naming it", () => {
    const lock = lockfile({
      "node_modules/node-llama-cpp": entry("3.0.0", { dependencies: { native: "1" } }),
      "node_modules/native": entry("1.0.0", { os: ["darwin", "linux"], cpu: ["!arm64"] }),
      "node_modules/onnxruntime-node": entry("1.0.0"),
    });
    expect(() => buildEngineManifest(lock)).toThrow(
      /node_modules\/native is required but does not support \w+-arm64/,
    );
  });

  it("refuses a dependency missing from the lockfile or without an integrity hash", () => {
    const missing = lockfile({
      "node_modules/node-llama-cpp": entry("3.0.0", { dependencies: { gone: "1" } }),
      "node_modules/onnxruntime-node": entry("1.0.0"),
    });
    expect(() => buildEngineManifest(missing)).toThrow(
      /no entry for gone, a dependency of node_modules\/node-llama-cpp/,
    );
    const linked = lockfile({
      "node_modules/node-llama-cpp": { version: "3.0.0", link: true },
      "node_modules/onnxruntime-node": entry("1.0.0"),
    });
    expect(() => buildEngineManifest(linked)).toThrow(/not a registry package/);
  });

  it("gives every platform node-llama-cpp with one binary, and onnxruntime-node where it has a library, all sha512", () => {
    const manifest = buildEngineManifest(JSON.parse(readText("package-lock.json")));
    for (const platform of ENGINE_PLATFORMS) {
      const names = enginePackagesFor(manifest, platform).map((p) => p.name);
      expect(names).toContain("node-llama-cpp");
      expect(names.filter((name) => name.startsWith("@node-llama-cpp/"))).toHaveLength(1);
      // Intel Macs: onnxruntime-node 1.30 has no library for them; the classifier runs in TypeScript.
      const onnx = ["onnxruntime-node", "onnxruntime-common"];
      if (platform === "darwin-x64") expect(names.filter((name) => onnx.includes(name))).toEqual([]);
      else expect(names).toEqual(expect.arrayContaining(onnx));
    }
    expect(enginePackagesFor(manifest, "linux-x64").find((p) => p.name === "node-llama-cpp")?.version).toBe(
      "3.21.1",
    );
    expect(manifest.packages.every((p) => p.integrity.startsWith("sha512-"))).toBe(true);
  });

  it("gives every platform its own whisper binding and no other platform's", () => {
    const manifest = buildEngineManifest(JSON.parse(readText("package-lock.json")));
    for (const platform of ENGINE_PLATFORMS) {
      const whisper = enginePackagesFor(manifest, platform).filter((p) => p.name.startsWith("@fugood/"));
      expect(whisper.map((p) => `${p.name}@${p.version}`)).toEqual([`${WHISPER_BINARY[platform]}@1.1.1`]);
    }
  });

  it("names tarballs the way the registry does, scoped or not", () => {
    expect(tarballUrl({ name: "@node-llama-cpp/linux-x64", version: "3.21.1" })).toBe(
      "https://registry.npmjs.org/@node-llama-cpp/linux-x64/-/linux-x64-3.21.1.tgz",
    );
    expect(tarballUrl({ name: "tar", version: "7.5.23" }, "http://127.0.0.1:9/")).toBe(
      "http://127.0.0.1:9/tar/-/tar-7.5.23.tgz",
    );
  });

  it("downloads from the public registry unless TINYAGENT_ENGINE_REGISTRY names a mirror", () => {
    expect(engineRegistry({})).toBe("https://registry.npmjs.org");
    expect(engineRegistry({ TINYAGENT_ENGINE_REGISTRY: "  " })).toBe("https://registry.npmjs.org");
    expect(engineRegistry({ TINYAGENT_ENGINE_REGISTRY: " http://127.0.0.1:4873/ " })).toBe(
      "http://127.0.0.1:4873/",
    );
  });

  it("maps the running platform, or says which ones are supported", () => {
    expect(enginePlatform("darwin", "arm64")).toBe("darwin-arm64");
    expect(() => enginePlatform("win32", "x64")).toThrow(
      /no engine packages for win32-x64; it runs on darwin-arm64/,
    );
  });
});
