// Bundles the command line into lib/cli.mjs so `npx tinyagent` starts fast, without compiling TypeScript
// at every start. Dependencies stay external: native engines (node-llama-cpp, onnxruntime-node) must be
// loaded from node_modules, never bundled.
import { build } from "esbuild";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outfile: "lib/cli.mjs",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  sourcemap: "linked",
  logLevel: "warning",
});
