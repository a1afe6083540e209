import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { modelsFolder } from "../model/models-folder";

export interface EnginesFolderOptions {
  /** Raycast's `environment.supportPath`: the engines go to `<supportPath>/engines`, beside the models. */
  supportPath?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * The per-user folder `provisionEngines` installs into: Raycast's support path when passed,
 * `TINYAGENT_ENGINES_DIR`, else beside the default models folder (macOS
 * `~/Library/Application Support/TinyAgent/engines`, elsewhere `~/.local/share/tinyagent/engines`).
 */
export function enginesFolder(options: EnginesFolderOptions = {}): string {
  const env = options.env ?? process.env;
  if (options.supportPath) return join(options.supportPath, "engines");
  const fromEnv = env.TINYAGENT_ENGINES_DIR?.trim();
  const home = options.home ?? homedir();
  if (fromEnv)
    return resolve(fromEnv === "~" || fromEnv.startsWith("~/") ? join(home, fromEnv.slice(1)) : fromEnv);
  // The models folder's parent is TinyAgent's data folder; a TINYAGENT_MODELS_DIR elsewhere is no guide.
  return join(
    dirname(modelsFolder({ ...options, env: { ...env, TINYAGENT_MODELS_DIR: undefined }, home })),
    "engines",
  );
}
