#!/usr/bin/env node
// Entry point of the `tinyagent` command. The CLI is bundled into lib/ by `npm ci` (the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

// `tinyagent ... | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

const bundle = fileURLToPath(new URL("../lib/cli.mjs", import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    "tinyagent: the command line is not built yet. Run `npm run build:cli` in the project folder.\n",
  );
  process.exit(1);
}
const { main } = await import(pathToFileURL(bundle).href);
process.exitCode = await main(process.argv.slice(2));
