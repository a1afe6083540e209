import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { below, figure, formatValue, verdict } from "../../scripts/bench/figure";
import {
  resultsBlock,
  RESULTS_END,
  RESULTS_START,
  writeReadmeResults,
} from "../../scripts/bench/readme-results";

const ABOUT = { machine: "Test CPU, 2 cores", models: "tiny", date: "2024-06-03T09:00:00.000Z" };

describe("bench results", () => {
  it("passes a budget only below its limit, and fails a missing value", () => {
    expect(below(19.9, 20, "ms").pass).toBe(true);
    expect(below(20, 20, "ms").pass).toBe(false);
    expect(below(null, 20, "ms").pass).toBe(false);
    expect(verdict(figure("a", "A", 25, "ms", { budget: below(25, 20, "ms") }))).toBe("FAIL");
    expect(verdict(figure("a", "A", 25, "ms"))).toBe("");
    expect(formatValue(figure("t", "T", 1396.6, "tokens"))).toBe("1,397 tokens");
  });

  it("rewrites only the marked block of the README, keeping the rest", async () => {
    const dir = await mkdtemp(join(tmpdir(), "tinyagent-bench-readme-"));
    try {
      const path = join(dir, "README.md");
      await writeFile(path, `# Title\n\nbefore\n\n${RESULTS_START}\nold figures\n${RESULTS_END}\n\nafter\n`);
      const figures = [
        figure("overhead.total.p50", "Overhead per request, p50", 9.2, "ms", {
          budget: below(9.2, 20, "ms"),
        }),
        figure("prefix.median", "Tokens evaluated, median", 924, "tokens", {
          budget: below(924, 300, "tokens"),
        }),
      ];
      await writeReadmeResults(path, resultsBlock(figures, ABOUT));
      const text = await readFile(path, "utf8");
      expect(text.startsWith("# Title\n\nbefore\n\n")).toBe(true);
      expect(text.endsWith("\n\nafter\n")).toBe(true);
      expect(text).not.toContain("old figures");
      expect(text).toMatch(/\| Overhead per request, p50 +\| +9\.20 ms \| < 20 ms +\| PASS \|/);
      expect(text).toMatch(/\| Tokens evaluated, median +\| +924 tokens \| < 300 tokens \| FAIL \|/);
      expect(text).toContain("Test CPU, 2 cores");
      await writeFile(path, "# No markers\n");
      await expect(writeReadmeResults(path, "x")).rejects.toThrow(/no <!-- bench:results:start -->/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
