import { createHash } from "node:crypto";
import { lstatSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The extension's assets are real files: `ray build` copies assets/ with fs.cpSync, which turns a symbolic
 * link into an absolute one to the build machine (DESIGN §7), and the store package would ship nothing.
 * assets/toolrag must hold exactly what models/ holds (`npx tsx scripts/package-assets.ts` copies it).
 */
const ROOT = join(import.meta.dirname, "..", "..");

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: "utf8" }).map((name) => join(folder, name));
}

const sha256 = (path: string) => createHash("sha256").update(readFileSync(path)).digest("hex");

describe("the extension's assets", () => {
  it("hold no symbolic link", () => {
    const links = filesUnder(join(ROOT, "assets")).filter((path) => lstatSync(path).isSymbolicLink());
    expect(links).toEqual([]);
  });

  it("hold the shipped models byte for byte: the classifier, its examples, TinyAgent-micro", () => {
    const models = readdirSync(join(ROOT, "models")).sort();
    expect(models).toContain("tinyagent-micro.gguf");
    expect(models).toContain("toolrag.onnx");
    expect(readdirSync(join(ROOT, "assets", "toolrag")).sort()).toEqual(models);
    for (const name of models)
      expect(sha256(join(ROOT, "assets", "toolrag", name)), name).toBe(sha256(join(ROOT, "models", name)));
  });
});
