import { join, sep } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The models folder of this package, where what ships with TinyAgent lies (the Tool RAG classifier,
 * TinyAgent-micro): next to src/ in a checkout, next to lib/ in the CLI bundle. Raycast copies it into
 * the extension's assets as real files (scripts/package-assets.ts, run by `npm run build`), so the Raycast
 * commands pass `join(environment.assetsPath, "toolrag")` instead.
 */
export function packageModelsDir(): string {
  const here = typeof __dirname === "string" ? __dirname : fileURLToPath(new URL(".", import.meta.url));
  return join(here, here.includes(`${sep}src${sep}agent${sep}`) ? "../../.." : "..", "models");
}
