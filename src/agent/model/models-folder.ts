import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export interface ModelsFolderOptions {
  /**
   * Raycast's `environment.supportPath`: when given, models live in `<supportPath>/models`. The agent core
   * cannot import @raycast/api, so the Raycast command passes it in.
   */
  supportPath?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  home?: string;
}

/**
 * The per-user folder holding downloaded models. In order: Raycast's support path when passed,
 * `TINYAGENT_MODELS_DIR`, then the platform's place for application data (macOS
 * `~/Library/Application Support/TinyAgent/models`, elsewhere `$XDG_DATA_HOME/tinyagent/models` or
 * `~/.local/share/tinyagent/models`).
 */
export function modelsFolder(options: ModelsFolderOptions = {}): string {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  if (options.supportPath) return join(options.supportPath, "models");
  const fromEnv = env.TINYAGENT_MODELS_DIR?.trim();
  if (fromEnv) return resolve(expandHome(fromEnv, home));
  if ((options.platform ?? process.platform) === "darwin") {
    return join(home, "Library", "Application Support", "TinyAgent", "models");
  }
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME?.trim();
  if (xdg && isAbsolute(xdg)) return join(xdg, "tinyagent", "models");
  return join(home, ".local", "share", "tinyagent", "models");
}

// A quoted "~/models" in a config file reaches us unexpanded by the shell.
function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}
