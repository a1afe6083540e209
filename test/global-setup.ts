import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

/**
 * The CLI tests run the real `bin/tinyagent.mjs`, and Ask TinyAgent's session runs its model in
 * assets/planner-process.cjs, so both bundles are built from the current source.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, stdio: "inherit" });
  execFileSync(process.execPath, ["scripts/build-planner-process.mjs"], { cwd: root, stdio: "inherit" });
}
