import { describe, expect, it, vi } from "vitest";
import { buildPrompt } from "../../src/agent/prompt/build-prompt";
import { buildMicroPrompt } from "../../src/agent/prompt/micro-prompt";
import { plannerPrompt } from "../../src/agent/prompt/planner-prompt";
import { renderPrompt } from "../../src/agent/prompt/template";
import { TOOLS } from "../../src/tools/registry";

const tools = TOOLS.filter((tool) => tool.name === "get_phone_number" || tool.name === "send_sms");
const input = {
  tools,
  request: "text Sid that I'll call tomorrow at 3pm",
  now: new Date("2024-06-03T09:00:00Z"),
  timeZone: "UTC",
  customInstructions: "Keep texts short.",
};

describe("plannerPrompt", () => {
  it("gives the micro model its compact prompt, exactly, with no instructions and no examples", () => {
    const examples = vi.fn(() => []);
    const prompt = plannerPrompt("micro", { ...input, examples });
    const text = renderPrompt(prompt, "plain");
    expect(text).toBe(buildMicroPrompt(input));
    expect(text.startsWith("today: Monday 2024-06-03 09:00\ntools: get_phone_number send_sms\n")).toBe(true);
    expect(text.endsWith("plan:\n")).toBe(true);
    expect(text).not.toContain("Keep texts short.");
    expect(examples).not.toHaveBeenCalled(); // no retrieval for a prompt that shows none
  });

  it("gives the TinyAgent models the DESIGN §5 layout with the instructions and the examples asked for", () => {
    const examples = vi.fn(() => [
      { question: "text Ana hi", plan: '1. get_phone_number("Ana")\n2. join()<END_OF_PLAN>' },
    ]);
    const prompt = plannerPrompt("tinyagent", { ...input, examples });
    expect(examples).toHaveBeenCalledOnce();
    expect(prompt).toEqual(buildPrompt({ ...input, examples: examples.mock.results[0]!.value }));
    expect(prompt.system).toContain("Keep texts short.");
  });
});
