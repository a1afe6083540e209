import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { dateChoices, requestDates } from "../../src/agent/request/dates";
import { defaultRegistry } from "../../src/tools/registry";
import { cpuMs } from "../plan/helpers";

/*
 * A fuzz run of the two date readers (issue 17): the request's (request/dates.ts, which holds micro's date
 * arguments) and a plan's dates in words (plan/normalize.ts, through checkPlan). Thousands of inputs mixing
 * date words, numbers, punctuation, other scripts and control characters; each must be read within a bound
 * in CPU time, throw nothing, and give only real dates in the project's formats.
 */

const NOW = new Date(Date.UTC(2024, 5, 3, 9, 0, 0));
const WELL_FORMED = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$/;
const SEED = 1217;

const DATE_WORDS = [
  "tomorrow",
  "tmrw",
  "next friday",
  "on the 31st",
  "feb 30",
  "june 22-23",
  "10-noon",
  "at 3",
  "3:75pm",
  "25:00",
  "in 2 hours",
  "a day before",
  "the night before",
  "for 90 min",
  "quarter to 7",
  "thursday night",
  "no wait, make it 4",
  "every monday",
  "12/31/1999",
  "9999-99-99",
  "remind me",
  "put it on my calendar",
  "and",
  ",",
  ":",
  "then",
  "the 0th",
  "midnight",
];

const ODD = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.constantFrom("\u202e", "\u0000", "\u001b[2J", "😀", "日曜日", "الجمعة", "\n", "\t", '"', "\\"),
  fc.integer({ min: -99999, max: 99999 }).map(String),
);

const request = fc
  .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...DATE_WORDS) }, { weight: 1, arbitrary: ODD }), {
    maxLength: 14,
  })
  .map((words) => words.join(" "));

function isRealDate(value: string): boolean {
  const [day, time = "00:00:00"] = value.split(" ");
  const date = new Date(`${day}T${time}Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(day!);
}

describe("the request's date reader under fuzz", () => {
  it("reads thousands of odd requests quickly, throws nothing and gives only real dates", () => {
    fc.assert(
      fc.property(request, (text) => {
        let read: ReturnType<typeof requestDates> | undefined;
        const ms = cpuMs(() => {
          read = requestDates(text, NOW, "Europe/Paris");
        });
        expect(ms, text).toBeLessThan(500);
        const values = [
          ...read!.choices,
          ...read!.arguments.due,
          ...read!.arguments.spans.flatMap((s) => [s.start, s.end]),
        ];
        for (const value of values) {
          expect(value, text).toMatch(WELL_FORMED);
          expect(isRealDate(value), `${value} in ${text}`).toBe(true);
        }
        for (const { start, end } of read!.arguments.spans) expect(end > start, text).toBe(true);
        // The dates line alone, in another zone, holds to the same formats.
        for (const value of dateChoices(text, NOW, "UTC")) expect(value, text).toMatch(WELL_FORMED);
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });
});

describe("a plan's dates in words under fuzz", () => {
  const context = { now: NOW, timeZone: "America/New_York" };

  it("checks thousands of odd due dates quickly, as a date, a clear problem, or unread", () => {
    fc.assert(
      fc.property(request, (due) => {
        const plan = `1. create_reminder("Pay", ${JSON.stringify(due)}, "", "", 0, False)\n2. join()<END_OF_PLAN>`;
        let checked: ReturnType<typeof checkPlan> | undefined;
        const ms = cpuMs(() => {
          checked = checkPlan(plan, defaultRegistry, context);
        });
        expect(ms, due).toBeLessThan(500);
        const value = checked!.plan.steps[0]?.args[1];
        if (checked!.valid && typeof value === "string" && value !== "") {
          expect(value, due).toMatch(WELL_FORMED);
          expect(isRealDate(value), `${value} from ${due}`).toBe(true);
        }
        if (!checked!.valid) expect(checked!.problems.length, due).toBeGreaterThan(0);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
