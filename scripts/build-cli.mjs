// Bundles the command line into lib/cli.mjs so `npx tinyagent` starts fast, without compiling TypeScript
// at every start. Dependencies stay external: native engines (node-llama-cpp, onnxruntime-node) must be
// loaded from node_modules, never bundled.
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = join(root, "lib", "cli.mjs");

/** The commit being built, for `tinyagent --version`; empty outside a git checkout. */
function commit() {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], {
      cwd: root,
      encoding: "utf8",
      stdio: "pipe",
    }).trim();
  } catch {
    return "";
  }
}

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outfile,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  define: { __TINYAGENT_COMMIT__: JSON.stringify(commit()) },
  logLevel: "warning",
  write: false,
});

// Write then rename, so a CLI starting meanwhile never reads a half-written bundle.
mkdirSync(join(root, "lib"), { recursive: true });
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
