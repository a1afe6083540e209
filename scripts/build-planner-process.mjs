// Bundles the planner process (src/agent/planner/planner-process.ts) into assets/planner-process.cjs, which
// `ray build` ships with the extension: Ask TinyAgent runs the local model in that process, never in
// Raycast's own (see ChildProcessPlanner). Everything but the native engines is bundled, since the
// installed extension has no node_modules; node-llama-cpp is loaded from the provisioned engines folder.
import { build } from "esbuild";
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outfile = join(root, "assets", "planner-process.cjs");

const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/agent/planner/planner-process.ts"],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["node-llama-cpp", "onnxruntime-node"],
  minify: true,
  logLevel: "error",
  write: false,
});

// Write then rename, so a command starting the process meanwhile never reads a half-written bundle.
mkdirSync(join(root, "assets"), { recursive: true });
for (const file of result.outputFiles) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
