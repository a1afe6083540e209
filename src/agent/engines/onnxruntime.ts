import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type OnnxRuntime = typeof import("onnxruntime-node");

/**
 * The machines onnxruntime-node 1.30 ships a native library for (`bin/napi-v6/<os>/<cpu>`). Intel Macs
 * are not among them: its makers stopped building one after 1.23, so there the Tool RAG classifier is
 * computed in TypeScript from the same model file (toolrag/classifier-weights.ts). A test checks this
 * list against the installed package.
 */
export const ONNX_RUNTIME_PLATFORMS: readonly string[] = [
  "darwin-arm64",
  "linux-arm64",
  "linux-x64",
  "win32-arm64",
  "win32-x64",
];

/** Whether onnxruntime-node has a library for this machine. */
export function onnxRuntimeRunsOn(platform: string = process.platform, arch: string = process.arch): boolean {
  return ONNX_RUNTIME_PLATFORMS.includes(`${platform}-${arch}`);
}

let loaded: { key: string; runtime: Promise<OnnxRuntime> } | undefined;

/**
 * Loads onnxruntime-node once per process, normally or from a provisioned runtime folder (Raycast cannot
 * bundle native addons, so the extension installs it under its support path).
 */
export function loadOnnxRuntime(runtimeDir?: string): Promise<OnnxRuntime> {
  const key = runtimeDir ?? "";
  if (loaded?.key === key) return loaded.runtime;
  const runtime =
    runtimeDir === undefined
      ? import("onnxruntime-node")
      : (import(
          pathToFileURL(join(runtimeDir, "node_modules", "onnxruntime-node", "dist", "index.js")).href
        ) as Promise<OnnxRuntime>);
  loaded = { key, runtime };
  runtime.catch(() => {
    if (loaded?.runtime === runtime) loaded = undefined;
  });
  return runtime;
}
