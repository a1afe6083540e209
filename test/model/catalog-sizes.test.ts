import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CATALOG, publishedSize, type CatalogModel } from "../../src/agent/model/catalog";

/**
 * Every size a person reads for a downloadable model — the Planner Model preference, the README, the
 * download notes — is the size of the file the catalog pins (issue 17, item 4 follow-up: the preference
 * said "TinyAgent-7B (4.4 GB)" while the pinned file is 4.92 GB).
 */
const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** What people read: the manifest, the README, the Store notes and the docs. */
const USER_VISIBLE = [
  "package.json",
  "README.md",
  "CHANGELOG.md",
  "metadata/README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];

const SIZE = String.raw`\d+(?:\.\d+)?\s?[kMGT]B`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The sizes a text gives for a model: in a parenthesis after its name ("TinyAgent-7B (4.92 GB)",
 * "TinyAgent-1.1B (4-bit GGUF, 668 MB)", "Download TinyAgent-1.1B for Better Plans** (668 MB, once)"),
 * or before "for" and its name ("4.92 GB for TinyAgent-7B"). Line breaks count as spaces.
 */
function sizesGivenFor(model: CatalogModel, text: string): string[] {
  const flat = text.replace(/\s+/g, " ");
  const name = escape(model.displayName);
  const after = new RegExp(String.raw`${name}\b[^().;]{0,24}\(([^)]*?)(${SIZE})`, "g");
  const before = new RegExp(String.raw`(${SIZE}) for (?:\*\*)?${name}\b`, "g");
  return [...[...flat.matchAll(after)].map((m) => m[2]!), ...[...flat.matchAll(before)].map((m) => m[1]!)];
}

describe("model sizes people read", () => {
  it("formats a catalog model's size as its host publishes it", () => {
    const sizes = Object.fromEntries(CATALOG.map((model) => [model.id, publishedSize(model)]));
    expect(sizes).toEqual({ "tinyagent-1.1b": "668 MB", "tinyagent-7b": "4.92 GB" });
  });

  it("names each downloadable model with the catalog's size in the Planner Model preference", () => {
    const manifest = JSON.parse(read("package.json")) as {
      preferences: { name: string; data?: { title: string; value: string }[] }[];
    };
    const choices = manifest.preferences.find((p) => p.name === "plannerModel")!.data!;
    for (const model of CATALOG) {
      const title = choices.find((choice) => choice.value === model.id)?.title;
      expect(title, model.id).toBe(`${model.displayName} (${publishedSize(model)})`);
    }
  });

  it("gives every model the catalog's size wherever the README or the docs name one", () => {
    const wrong: string[] = [];
    const found = new Map<string, number>();
    for (const file of USER_VISIBLE) {
      const text = read(file);
      for (const model of CATALOG) {
        for (const size of sizesGivenFor(model, text)) {
          found.set(model.id, (found.get(model.id) ?? 0) + 1);
          if (size.replace(/\s/g, " ") !== publishedSize(model))
            wrong.push(
              `${file}: ${model.displayName} ${size}, the catalog's file is ${publishedSize(model)}`,
            );
        }
      }
    }
    expect(wrong).toEqual([]);
    // Not vacuous: the preference, the README's start and requirements, and the download notes name both.
    for (const model of CATALOG) expect(found.get(model.id), model.id).toBeGreaterThanOrEqual(4);
  });
});
