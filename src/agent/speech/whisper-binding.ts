import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { enginePlatform, WHISPER_BINARY } from "../engines/engine-manifest";

/**
 * Where whisper.cpp's native Node binding lies: the `index.node` of this platform's
 * `@fugood/node-whisper-<os>-<cpu>` package. It is loaded only in the transcription process
 * (transcriber.ts), never in Raycast's or the CLI's own, so a native abort cannot take them down.
 */
export interface WhisperBindingOptions {
  /** A provisioned engines runtime folder (provisionEngines); absent: the package in node_modules. */
  runtimeDir?: string;
  platform?: string;
  arch?: string;
}

/** Raised when the binding is not installed; the message says how to get it. */
export class WhisperBindingMissingError extends Error {
  override readonly name = "WhisperBindingMissingError";
}

/** The absolute path of the binding's `index.node`, checked to exist. */
export function whisperBindingPath(options: WhisperBindingOptions = {}): string {
  let packageName: string;
  try {
    packageName =
      WHISPER_BINARY[enginePlatform(options.platform ?? process.platform, options.arch ?? process.arch)];
  } catch (error) {
    throw new WhisperBindingMissingError(`Speech recognition: ${(error as Error).message}`);
  }
  if (options.runtimeDir !== undefined) {
    const path = join(options.runtimeDir, "node_modules", packageName, "index.node");
    if (existsSync(path)) return path;
    throw new WhisperBindingMissingError(
      `The speech engine (${packageName}) is not installed in ${options.runtimeDir}. Set up the engines ` +
        `again: open Ask TinyAgent, or run \`npx tinyagent engines install\`.`,
    );
  }
  try {
    const base = typeof __filename === "string" ? __filename : import.meta.url;
    return createRequire(base).resolve(packageName);
  } catch {
    throw new WhisperBindingMissingError(
      `The speech engine (${packageName}) is not installed. Run \`npm install\` in TinyAgent's folder ` +
        `(it is an optional dependency for this platform).`,
    );
  }
}
