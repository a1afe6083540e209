import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { normalizeStep } from "../../src/agent/plan/normalize";
import { parsePlan } from "../../src/agent/plan/parse";
import { defaultRegistry } from "../../src/tools/registry";

// Monday 2024-06-03 12:05 in Paris (10:05 UTC).
const context = { now: new Date("2024-06-03T10:05:00Z"), timeZone: "Europe/Paris" };

function firstStep(line: string) {
  return parsePlan(`1. ${line}\n2. join()`).plan.steps[0]!;
}

describe("dates written in words", () => {
  it("resolves them relative to the request time, in the person's time zone", () => {
    const { step, changes } = normalizeStep(
      firstStep('create_calendar_event("Lunch", "tomorrow at 1pm", "tomorrow at 2pm", "", [], "", None)'),
      defaultRegistry,
      context,
    );
    expect(step.args[1]).toBe("2024-06-04 13:00:00");
    expect(step.args[2]).toBe("2024-06-04 14:00:00");
    expect(changes.map((c) => [c.param, c.from, c.to])).toEqual([
      ["start_date", "tomorrow at 1pm", "2024-06-04 13:00:00"],
      ["end_date", "tomorrow at 2pm", "2024-06-04 14:00:00"],
    ]);
  });

  it("uses the person's date, not the machine's, near midnight", () => {
    // 23:30 UTC on Monday is already Tuesday 08:30 in Tokyo: "tomorrow" is Wednesday there.
    const late = { now: new Date("2024-06-03T23:30:00Z"), timeZone: "Asia/Tokyo" };
    const { step } = normalizeStep(
      firstStep('create_reminder("Pay rent", "tomorrow at 9am", "", "", 0, False)'),
      defaultRegistry,
      late,
    );
    expect(step.args[1]).toBe("2024-06-05 09:00:00");
  });

  it("keeps a due date without a time as a whole day", () => {
    const { step } = normalizeStep(
      firstStep('create_reminder("Pay rent", "next friday", "", "", 0, True)'),
      defaultRegistry,
      context,
    );
    expect(step.args[1]).toMatch(/^2024-06-(07|14)$/);
  });

  it("never rewrites an ISO date, a reference, text without a date or a non-date argument", () => {
    const untouched = [
      'create_reminder("Pay", "2024-02-30 10:00:00", "", "", 0, False)',
      'create_reminder("Pay", "$1", "tomorrow", "", 0, False)',
      'create_reminder("Pay", "whenever you like", "", "", 0, False)',
      'create_note("tomorrow", "tomorrow at 3pm", None)',
    ];
    for (const line of untouched) {
      const step = firstStep(line);
      expect(normalizeStep(step, defaultRegistry, context)).toEqual({ step, changes: [], problems: [] });
    }
  });

  it("leaves impossible dates for the validator to report", () => {
    const checked = checkPlan(
      '1. create_reminder("Pay", "2024-02-30 10:00:00", "", "", 0, False)\n2. join()',
      defaultRegistry,
      context,
    );
    expect(checked.valid).toBe(false);
    expect(checked.problems[0]!.message).toContain("2024-02-30");
    const words = checkPlan(
      '1. create_reminder("Pay", "in two days at 8am", "", "", 0, False)\n2. join()',
      defaultRegistry,
      context,
    );
    expect(words.valid).toBe(true);
    expect(words.plan.steps[0]!.args[1]).toBe("2024-06-05 08:00:00");
  });
});
