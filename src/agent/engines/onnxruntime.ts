import { join } from "node:path";
import { pathToFileURL } from "node:url";

export type OnnxRuntime = typeof import("onnxruntime-node");

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
