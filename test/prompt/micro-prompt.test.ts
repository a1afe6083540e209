import { describe, expect, it } from "vitest";
import { buildMicroPrompt, dateCandidates } from "../../src/agent/prompt/micro-prompt";
import { defaultRegistry } from "../../src/tools/registry";

// Monday 2024-06-03 09:00 in Paris.
const NOW = new Date("2024-06-03T07:00:00Z");
const ZONE = "Europe/Paris";
const tools = (...names: string[]) => names.map((name) => defaultRegistry.get(name)!);

describe("the TinyAgent-micro prompt", () => {
  it("states today, the selected tools, the resolved dates, the people and the request, then asks for the plan", () => {
    const prompt = buildMicroPrompt({
      tools: tools("get_phone_number", "send_sms"),
      request: "text Sid that I'll call tomorrow at 3pm",
      now: NOW,
      timeZone: ZONE,
    });
    expect(prompt).toBe(
      [
        "today: Monday 2024-06-03 09:00",
        "tools: get_phone_number send_sms",
        "dates: tomorrow at 3pm = 2024-06-04 15:00:00",
        "people: Sid",
        "request: text Sid that I'll call tomorrow at 3pm",
        "plan:",
        "",
      ].join("\n"),
    );
  });

  it("leaves the dates and people lines out when the request names neither, and keeps the request on one line", () => {
    const prompt = buildMicroPrompt({
      tools: tools("create_note"),
      request: "note:\nbuy milk\r\nand eggs",
      now: NOW,
      timeZone: ZONE,
    });
    expect(prompt).toBe(
      "today: Monday 2024-06-03 09:00\ntools: create_note\nrequest: note: buy milk and eggs\nplan:\n",
    );
  });
});

describe("date candidates", () => {
  it("resolves ranges, days without a time and times in the person's zone", () => {
    expect(dateCandidates("lunch friday 12-1pm", NOW, ZONE)).toEqual([
      { phrase: "friday 12-1pm", start: "2024-06-07 12:00:00", end: "2024-06-07 13:00:00" },
    ]);
    expect(dateCandidates("dentist on June 12", NOW, ZONE)).toEqual([
      { phrase: "June 12", start: "2024-06-12" },
    ]);
    expect(dateCandidates("call at 8am", NOW, "America/Los_Angeles")).toEqual([
      { phrase: "at 8am", start: "2024-06-03 08:00:00" },
    ]);
    expect(dateCandidates("no dates here", NOW, ZONE)).toEqual([]);
  });
});
