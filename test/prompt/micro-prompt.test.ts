import { describe, expect, it } from "vitest";
import { buildMicroPrompt } from "../../src/agent/prompt/micro-prompt";
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
        "dates: 2024-06-04 15:00:00; 2024-06-04 16:00:00; 2024-06-04; 2024-06-03 09:00:00; 2024-06-03 10:00:00",
        "people: Sid",
        "request: text Sid that I'll call tomorrow at 3pm",
        "plan:",
        "",
      ].join("\n"),
    );
  });

  it("offers now when the request names no date, leaves the people line out when it names nobody, and keeps the request on one line", () => {
    const prompt = buildMicroPrompt({
      tools: tools("create_note"),
      request: "note:\nbuy milk\r\nand eggs",
      now: NOW,
      timeZone: ZONE,
    });
    expect(prompt).toBe(
      "today: Monday 2024-06-03 09:00\ntools: create_note\ndates: 2024-06-03 09:00:00; 2024-06-03 10:00:00\nrequest: note: buy milk and eggs\nplan:\n",
    );
  });
});
