import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { RESULTS_END, RESULTS_START } from "../../scripts/bench/readme-results";

/**
 * What the Raycast Store shows (issue 16, item 8): the README as the extension's About page, with the
 * developer material in docs/ and every link to it working; CHANGELOG.md in the Store's format; metadata/
 * with real screenshots only, to Raycast's specification.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

/** Relative links of a Markdown file, resolved from its folder (anchors and web addresses left out). */
function localLinks(path: string): string[] {
  return [...read(path).matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1]!)
    .filter((target) => !/^[a-z]+:/.test(target) && !target.startsWith("#"))
    .map((target) => resolve(dirname(join(ROOT, path)), target.split("#")[0]!));
}

describe("the store material", () => {
  it("links every docs file from the README, and every link of the README and docs resolves", () => {
    const docs = readdirSync(join(ROOT, "docs")).filter((name) => name.endsWith(".md"));
    const fromReadme = localLinks("README.md");
    expect(docs.map((name) => join(ROOT, "docs", name)).filter((doc) => !fromReadme.includes(doc))).toEqual(
      [],
    );
    const files = ["README.md", "CHANGELOG.md", "metadata/README.md", ...docs.map((name) => `docs/${name}`)];
    const broken = files.flatMap((file) => localLinks(file).filter((target) => !existsSync(target)));
    expect(broken).toEqual([]);
  });

  it("keeps the benchmark's results block in docs/results.md, where npm run bench -- --readme writes it", () => {
    const results = read("docs/results.md");
    expect(results.indexOf(RESULTS_START)).toBeGreaterThan(-1);
    expect(results.indexOf(RESULTS_END)).toBeGreaterThan(results.indexOf(RESULTS_START));
    expect(read("README.md")).not.toContain(RESULTS_START);
  });

  it("has a changelog in the Store's format: titled entries dated {PR_MERGE_DATE} or YYYY-MM-DD", () => {
    const lines = read("CHANGELOG.md").split("\n");
    expect(lines[0]).toBe("# TinyAgent Changelog");
    const entries = lines.filter((line) => line.startsWith("## "));
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries)
      expect(entry).toMatch(/^## \[[^\]]+\] - (\{PR_MERGE_DATE\}|\d{4}-\d{2}-\d{2})$/);
  });

  it("holds only screenshots to Raycast's specification in metadata/: PNG, 2000 × 1250, at most six", () => {
    const names = readdirSync(join(ROOT, "metadata"));
    const images = names.filter((name) => name !== "README.md");
    expect(
      images.every((name) => /^tinyagent-\d+\.png$/.test(name)),
      images.join(", "),
    ).toBe(true);
    expect(images.length).toBeLessThanOrEqual(6);
    for (const name of images) {
      const png = readFileSync(join(ROOT, "metadata", name));
      expect(png.subarray(1, 4).toString("latin1"), name).toBe("PNG");
      expect([png.readUInt32BE(16), png.readUInt32BE(20)], name).toEqual([2000, 1250]);
    }
    // Until real captures exist, the folder says how to take them.
    if (images.length === 0) expect(read("metadata/README.md")).toContain("Save to Metadata");
  });
});
