import { describe, expect, it } from "vitest";
import { ungroundedArguments } from "../../src/agent/eval/grounding";
import { checkPlan } from "../../src/agent/plan/check";
import { defaultRegistry } from "../../src/tools/registry";

const check = (request: string, plan: string) =>
  ungroundedArguments(checkPlan(plan, defaultRegistry).plan, request, defaultRegistry);

describe("free-text arguments outside the request's words", () => {
  it("finds made-up words in messages, subjects, titles and notes, once per argument", () => {
    const result = check(
      "text Sid that I'm running late",
      '1. get_phone_number("Sid")\n2. send_sms(["$1"], "I miss you an email about welcome")\n3. join()',
    );
    expect(result.checked).toBe(1);
    expect(result.ungrounded).toEqual([
      {
        step: 2,
        tool: "send_sms",
        param: "message",
        value: "I miss you an email about welcome",
        words: ["i", "miss", "you", "an", "email", "about", "welcome"],
      },
    ]);
  });

  it("allows the request's words in any case and order, references, empty text and template words", () => {
    const result = check(
      "zoom with Priya friday 3pm and text her the link",
      [
        '1. get_zoom_meeting_link("Meeting with Priya", "2024-06-07 15:00:00", 60, [])',
        '2. get_phone_number("Priya")',
        '3. send_sms(["$2"], "$1")',
        '4. create_calendar_event("PRIYA, friday!", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", [], "Link: ${1}", None)',
        "5. join()",
      ].join("\n"),
    );
    expect(result.ungrounded).toEqual([]);
    // The topic, the title and the notes; the message is a reference, the location empty, the calendar None.
    expect(result.checked).toBe(3);
    const template = check(
      "text Priya",
      '1. get_phone_number("Priya")\n2. send_sms(["$1"], "Meeting with Priya")\n3. join()',
    );
    expect(template.ungrounded.map((item) => item.words)).toEqual([["meeting", "with"]]);
  });

  it("does not check names, places, dates and recipients: those are key arguments", () => {
    const result = check(
      "directions to Tartine",
      '1. maps_show_directions("Home", "Mission Bakery", "d")\n2. join()',
    );
    expect(result).toEqual({ checked: 0, ungrounded: [] });
  });
});
