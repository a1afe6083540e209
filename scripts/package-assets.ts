/**
 * Copies what ships with the extension from models/ (where training writes it) into assets/toolrag/,
 * as real files: `ray build` copies assets/ with fs.cpSync, which turns a symbolic link into an absolute
 * one pointing at the build machine, so a store package built from a link would ship no classifier and
 * no TinyAgent-micro (DESIGN §7). `npm run build` runs it first; test/commands/assets.test.ts checks that
 * the two folders hold the same bytes.
 *
 *   npx tsx scripts/package-assets.ts
 */
import { copyFileSync, lstatSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dirname, "..");
const FROM = join(ROOT, "models");
const TO = join(ROOT, "assets", "toolrag");

// A link left from an older checkout is replaced by a folder.
if (lstatSync(TO, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(TO);
mkdirSync(TO, { recursive: true });
const shipped = readdirSync(FROM).filter((name) => !name.startsWith("."));
for (const name of readdirSync(TO)) if (!shipped.includes(name)) rmSync(join(TO, name));
for (const name of shipped) copyFileSync(join(FROM, name), join(TO, name));
console.log(`assets/toolrag: ${shipped.join(", ")}`);
