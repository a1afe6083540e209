// Bundles the command line into lib/cli.mjs so `npx tinyagent` starts fast, without compiling TypeScript
// at every start. Dependencies stay external: native engines (node-llama-cpp, onnxruntime-node) must be
// loaded from node_modules, never bundled. Each command is a chunk of its own (lib/chunk-*.mjs, loaded by
// main's dynamic imports): a process evaluates only what its command uses, and `plan` starts its engine
// before the rest of the agent (zod schemas, chrono-node) is even read. Chunks sit beside cli.mjs, since
// code in them finds the package's files relative to its own location (package-models.ts).
import { execFileSync } from "node:child_process";
import { build } from "esbuild";
import { mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = join(root, "lib");

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
  entryPoints: { cli: "src/cli/main.ts" },
  outdir,
  outExtension: { ".js": ".mjs" },
  chunkNames: "chunk-[hash]",
  splitting: true,
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

// Write then rename, so a CLI starting meanwhile never reads a half-written bundle; chunks are named by
// their content, so they are written before the entry that imports them.
mkdirSync(outdir, { recursive: true });
const entry = join(outdir, "cli.mjs");
const ordered = [...result.outputFiles].sort((a, b) => Number(a.path === entry) - Number(b.path === entry));
for (const file of ordered) {
  const temporary = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temporary, file.contents);
  renameSync(temporary, file.path);
}
// Chunks of earlier builds that this one no longer imports.
const written = new Set(result.outputFiles.map((file) => basename(file.path)));
for (const name of readdirSync(outdir)) {
  if (/^chunk-.*\.mjs(\.map)?$/.test(name) && !written.has(name)) rmSync(join(outdir, name), { force: true });
}
