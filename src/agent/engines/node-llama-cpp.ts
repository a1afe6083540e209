import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The node-llama-cpp module, whichever way it was loaded. */
export type NodeLlamaCpp = typeof import("node-llama-cpp");
export type Llama = Awaited<ReturnType<NodeLlamaCpp["getLlama"]>>;

export interface EngineOptions {
  /**
   * Folder holding a provisioned `node_modules/node-llama-cpp` (Raycast cannot bundle native addons, so the
   * extension installs them under its support path). Absent: load the package normally.
   */
  runtimeDir?: string;
  /** CPU threads for llama.cpp. On the 2-core CI machine anything but 1 is hundreds of times slower. */
  maxThreads?: number;
  /** Use a GPU when there is one (Metal on Apple silicon). Off in tests and on CI. */
  gpu?: boolean;
}

let loaded: { key: string; llama: Promise<{ module: NodeLlamaCpp; llama: Llama }> } | undefined;

/**
 * Loads node-llama-cpp and its native binding once per process: loading the binding is slow, and a model
 * stays loaded between requests. Never builds from source (`build: "never"`): prebuilt binaries only.
 */
export function loadLlama(options: EngineOptions = {}): Promise<{ module: NodeLlamaCpp; llama: Llama }> {
  // Only the engine's own options: a planner passes all of its options here, and models loaded with the
  // same engine share one instance (one binding test on Linux, not one per model).
  const { runtimeDir, maxThreads, gpu } = { ...defaultEngineOptions(), ...options };
  const settings: EngineOptions = { runtimeDir, maxThreads, gpu };
  const key = JSON.stringify(settings);
  if (loaded?.key === key) return loaded.llama;
  const llama = (async () => {
    const module = await importNodeLlamaCpp(settings.runtimeDir);
    const instance = await module.getLlama({
      gpu: settings.gpu ? "auto" : false,
      build: "never",
      ...(settings.maxThreads === undefined ? {} : { maxThreads: settings.maxThreads }),
      logLevel: module.LlamaLogLevel.error,
      progressLogs: false,
    });
    return { module, llama: instance };
  })();
  loaded = { key, llama };
  llama.catch(() => {
    if (loaded?.llama === llama) loaded = undefined;
  });
  return llama;
}

/**
 * Disposes the llama.cpp instance loadLlama made in this process (its backend and its log callback), once
 * every model of it is disposed; the next loadLlama makes a new one. For a process that ends its engine
 * work explicitly (the planner process) rather than leaving it to exit.
 */
export async function disposeLlama(): Promise<void> {
  const current = loaded;
  loaded = undefined;
  const instance = await current?.llama.catch(() => undefined);
  await instance?.llama.dispose();
}

/** CI and tests run on two cores without a GPU; `TINYAGENT_THREADS` overrides the thread count. */
export function defaultEngineOptions(): EngineOptions {
  const threads = Number(process.env.TINYAGENT_THREADS);
  const onCi = process.env.CI === "true" || process.env.VITEST !== undefined;
  return {
    ...(Number.isInteger(threads) && threads > 0 ? { maxThreads: threads } : onCi ? { maxThreads: 1 } : {}),
    gpu: !onCi && process.platform === "darwin",
  };
}

/**
 * The node-llama-cpp module (the package, or the copy in `runtimeDir`). Node keeps one instance of a module:
 * a second call, even while the first is still loading, gets the same one.
 */
export async function importNodeLlamaCpp(runtimeDir?: string): Promise<NodeLlamaCpp> {
  if (runtimeDir === undefined) return import("node-llama-cpp");
  return (await import(nodeLlamaCppEntry(runtimeDir))) as NodeLlamaCpp;
}

/** The file URL of node-llama-cpp's entry, for a child process that must load the very same copy. */
export function nodeLlamaCppEntry(runtimeDir?: string): string {
  if (runtimeDir !== undefined) {
    return pathToFileURL(join(runtimeDir, "node_modules", "node-llama-cpp", "dist", "index.js")).href;
  }
  const base = typeof __filename === "string" ? __filename : import.meta.url;
  return pathToFileURL(createRequire(base).resolve("node-llama-cpp")).href;
}
