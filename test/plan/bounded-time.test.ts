import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { MAX_DATE_WORDS } from "../../src/agent/plan/normalize";
import { parsePlan } from "../../src/agent/plan/parse";
import { END_OF_PLAN } from "../../src/agent/plan/plan";
import { defaultRegistry } from "../../src/tools/registry";
import { chunksOf, cpuMs, streamChunks } from "./helpers";

/**
 * Crafted input that made the parser and the date reader slow (issue 17, item 5): work must grow with the
 * length of the text, not with its square. Each bound, in CPU time, is hundreds of times what the linear
 * code needs, while the quadratic code took seconds to minutes on the same input.
 */

function timed<T>(work: () => T): { result: T; ms: number } {
  let result: T | undefined;
  const ms = cpuMs(() => (result = work()));
  return { result: result as T, ms };
}

const context = { now: new Date("2024-06-03T10:05:00Z"), timeZone: "Europe/Paris" };

describe("the plan parser on crafted lines", () => {
  // 104 KB: a last line whose string holds 8,000 end markers, never closed (5 s before the fix).
  const markersInString = `1. create_note("${END_OF_PLAN.repeat(8_000)}`;

  it("reads a last line full of end markers inside a string in linear time", () => {
    const { result, ms } = timed(() => parsePlan(markersInString));
    expect(ms).toBeLessThan(1_500);
    expect(result.plan.ended).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: "syntax", line: 1, message: expect.stringContaining("not closed") }),
    ]);
  });

  it("streams the same line in 4-character chunks in linear time, with the same result", () => {
    const text = markersInString.slice(0, 8_000);
    const { result, ms } = timed(() => streamChunks(chunksOf(text, 4)));
    expect(ms).toBeLessThan(1_500);
    expect({ plan: result.plan, problems: result.problems }).toEqual(parsePlan(text));
  });

  it("streams a long line without any newline in small chunks in linear time", () => {
    const text = `1. create_note("${"word ".repeat(20_000)}", "", None)\n2. join()${END_OF_PLAN}`;
    const { result, ms } = timed(() => streamChunks(chunksOf(text, 3)));
    expect(ms).toBeLessThan(1_500);
    expect(result.plan.ended).toBe(true);
    expect(result.plan.steps).toHaveLength(1);
    expect(result.problems).toEqual([]);
  });

  it("still ends a plan at the marker right after a long call, whatever the chunking", () => {
    const text = `1. create_note("${END_OF_PLAN.repeat(500)}", "", None)\n2. join()  ${END_OF_PLAN} trailing`;
    const { result, ms } = timed(() => streamChunks(chunksOf(text, 4)));
    expect(ms).toBeLessThan(1_500);
    expect(result.plan.ended).toBe(true);
    expect(result.plan.join?.index).toBe(2);
    expect(result.problems.map((p) => p.code)).toEqual(["after-end"]);
  });
});

describe("dates in words on long arguments", () => {
  const plan = (due: string) =>
    `1. create_reminder("Pay", ${JSON.stringify(due)}, "", "", 0, False)\n2. join()`;

  it("does not read a 460 KB argument as a date, quickly, and says why", () => {
    const long = "tomorrow at 3pm ".repeat(29_000);
    const { result, ms } = timed(() => checkPlan(plan(long), defaultRegistry, context));
    expect(ms).toBeLessThan(1_500);
    expect(result.valid).toBe(false);
    expect(result.changes).toEqual([]);
    const unread = result.problems.find((p) => p.code === "unread-date");
    expect(unread).toMatchObject({ severity: "warning", line: 1, step: 1 });
    expect(unread?.message).toContain(`longer than ${MAX_DATE_WORDS} characters`);
    expect(unread?.message).toContain("YYYY-MM-DD");
  });

  it("reads a date in words up to the limit as before", () => {
    const words = "tomorrow at 3pm";
    const padded = words.padEnd(MAX_DATE_WORDS, " ");
    const checked = checkPlan(plan(padded), defaultRegistry, context);
    expect(checked.valid).toBe(true);
    expect(checked.plan.steps[0]!.args[1]).toBe("2024-06-04 15:00:00");
    expect(checked.problems).toEqual([]);
  });
});
