import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPlanNow } from "../../src/agent/run-plan";
import { formatNormalization, formatPlan, formatProblems, PROBLEMS_SHOWN } from "../../src/cli/format";
import { terminalJson, terminalText, visibleText } from "../../src/cli/terminal-text";
import { cpuMs, SEED } from "../plan/helpers";

/**
 * Fuzz: what `tinyagent parse` and `run-plan` print for any file given as a plan (issue 17, items 5, 6 and
 * 8). A file is read as UTF-8, as readInput reads it; whatever it holds, the report is printed within a
 * bound of time and size, and nothing in it is a control code the terminal would obey.
 */

// eslint-disable-next-line no-control-regex -- finding control characters is the point here
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** The text parse prints on standard error for a plan, as parse-command writes it. */
function parseReport(text: string): { listing: string; report: string[] } {
  const checked = checkPlanNow(text, undefined, new Date("2024-06-03T10:05:00Z"));
  return {
    listing: terminalText(formatPlan(checked.plan)),
    report: [...checked.changes.map(formatNormalization), ...formatProblems(checked.problems)].map(
      terminalText,
    ),
  };
}

const PLAN_LINES = [
  '1. get_email_address("Sid")',
  '2. create_reminder("Pay", "tomorrow at 3pm", "", "", 0, False)',
  "3. join()<END_OF_PLAN>",
  '1. send_sms(["\\x1b[2K\\r\\u2713 done"], "\\u009b31m")',
  "Thought: \u202e",
];
/** Bytes of any kind, or plan lines broken up by them: what a wrong or damaged file holds. */
const fileBytes = fc.oneof(
  fc.uint8Array({ maxLength: 4_000 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(...PLAN_LINES).map((line) => Buffer.from(`${line}\n`)),
        fc.uint8Array({ maxLength: 40 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => Buffer.concat(parts)),
);

describe("fuzz: the report printed for any file given as a plan", () => {
  it("is bounded, shows every control code spelled out, and is made in bounded time", () => {
    fc.assert(
      fc.property(fileBytes, (bytes) => {
        const text = Buffer.from(bytes).toString("utf8");
        let printed: ReturnType<typeof parseReport> | undefined;
        expect(cpuMs(() => (printed = parseReport(text)))).toBeLessThan(500);
        const { listing, report } = printed!;
        expect(listing).not.toMatch(RAW_CONTROL);
        for (const line of report) {
          expect(line).not.toMatch(RAW_CONTROL);
          expect(line).not.toContain("\n");
          expect(line.length).toBeLessThanOrEqual(500);
        }
        const problemLines = report.filter((line) => /^(error|warning): /.test(line));
        expect(problemLines.length).toBeLessThanOrEqual(PROBLEMS_SHOWN);
      }),
      { seed: SEED, numRuns: 2_000 },
    );
  });
});

describe("fuzz: terminal text and JSON", () => {
  const anyText = fc.string({ unit: "binary", maxLength: 200 });

  it("terminalText keeps line breaks and tabs and spells out every other control code", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const shown = terminalText(text);
        expect(shown).not.toMatch(RAW_CONTROL);
        expect(shown.split("\n").length).toBe(text.replace(/\r\n/g, "\n").split("\n").length);
        expect(visibleText(text)).not.toMatch(/[\n\r]/);
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });

  it("terminalJson is the same data, with no raw control code", () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, text) => {
        const document = { value, text };
        const json = terminalJson(document, 2);
        expect(json).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(document)));
      }),
      { seed: SEED, numRuns: 3_000 },
    );
  });
});
