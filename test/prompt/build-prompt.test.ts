import llamaTokenizer from "llama-tokenizer-js";
import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { buildPrompt, formatToday, toolBlock } from "../../src/agent/prompt/build-prompt";
import { BUILT_IN_EXAMPLES, exampleTools } from "../../src/agent/prompt/examples";
import { renderPrompt } from "../../src/agent/prompt/template";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";

const tools = (...names: string[]) => TOOLS.filter((tool) => names.includes(tool.name));
const NOW = new Date("2024-06-03T12:05:00Z"); // a Monday

describe("the planner prompt", () => {
  const prompt = buildPrompt({
    tools: tools("get_email_address", "compose_new_email", "open_and_get_file_path"),
    request: "  Email Sid the Q3 deck ",
    now: NOW,
    timeZone: "UTC",
  });

  it("keeps the trained layout: actions, join, guidelines, rules, tool rules, examples; question apart", () => {
    const order = [
      "of the following 4 types:",
      "1. get_email_address(name: str) -> str",
      "2. open_and_get_file_path(file_name: str) -> str",
      "3. compose_new_email(recipients: list[str], cc: list[str], subject: str, context: str, attachments: list[str]) -> str",
      "4. join()",
      "Guidelines:",
      "Rules:",
      ' - Start the plan with "1."',
      "Today's date is Monday 2024-06-03 12:05.",
      "Rules for these actions:",
      "Here are some examples:",
      "Question: Email Sid and Lutfi the Q3 deck",
      "###",
    ];
    let at = -1;
    for (const marker of order) {
      const next = prompt.system.indexOf(marker, at + 1);
      expect(next, `"${marker}" after position ${at}`).toBeGreaterThan(at);
      at = next;
    }
    expect(prompt.user).toBe("Question: Email Sid the Q3 deck");
    expect(prompt.system).not.toContain("Email Sid the Q3 deck");
  });

  it("derives each tool's lines from its schema, tools separated by a blank line", () => {
    const block = toolBlock(tools("create_note")[0]!, 2);
    expect(block.split("\n")).toEqual([
      "2. create_note(name: str, content: str, folder: str) -> str",
      " - Creates a note in Notes with the given title and content.",
      " - name: Title of the note",
      " - content: Text of the note",
      " - folder: Folder of the note; empty string or None for the default folder",
    ]);
    expect(prompt.system).toContain("returns its full path.\n - file_name:");
    expect(prompt.system).toMatch(/attachments: [^\n]+\n\n4\. join\(\)/);
  });

  it("computes today's date for each request, in the person's time zone", () => {
    expect(formatToday(NOW, "UTC")).toBe("Monday 2024-06-03 12:05");
    expect(formatToday(NOW, "Asia/Tokyo")).toBe("Monday 2024-06-03 21:05");
    expect(formatToday(NOW, "America/Los_Angeles")).toBe("Monday 2024-06-03 05:05");
    expect(formatToday(new Date("2024-06-03T23:30:00Z"), "Asia/Tokyo")).toBe("Tuesday 2024-06-04 08:30");
    const later = buildPrompt({
      tools: tools("create_note"),
      request: "x",
      now: new Date("2024-06-04T08:00:00Z"),
      timeZone: "UTC",
    });
    expect(later.system).toContain("Today's date is Tuesday 2024-06-04 08:00.");
  });

  it("states tool rules only for tools that are present", () => {
    const notes = buildPrompt({
      tools: tools("create_note", "append_note_content"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
    });
    expect(notes.system).toContain("append_note_content does not need open_note first.");
    expect(notes.system).not.toContain("get_email_address");
    expect(notes.system).not.toContain("maps_show_directions");
    const sms = buildPrompt({
      tools: tools("get_phone_number", "send_sms"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
    });
    expect(sms.system).toContain("Look up phone numbers with get_phone_number");
    const lookupOnly = buildPrompt({
      tools: tools("get_email_address"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
    });
    expect(lookupOnly.system).not.toContain("Rules for these actions:");
  });

  it("adds the person's instructions after the rules and before the examples", () => {
    const withCustom = buildPrompt({
      tools: tools("create_note"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
      customInstructions: "Put notes in my Work folder.\n",
    });
    const custom = withCustom.system.indexOf("Instructions from the person:\nPut notes in my Work folder.");
    expect(custom).toBeGreaterThan(withCustom.system.indexOf("Rules:"));
    expect(custom).toBeLessThan(withCustom.system.indexOf("Here are some examples:"));
  });

  it("uses only examples whose tools are all selected, and none when none fit", () => {
    const mapsOnly = buildPrompt({
      tools: tools("maps_open_location"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
    });
    expect(mapsOnly.system).toContain("Question: show me Blue Bottle Coffee on the map");
    expect(mapsOnly.system).not.toContain("Question: How do I walk");
    const zoomOnly = buildPrompt({
      tools: tools("get_zoom_meeting_link"),
      request: "x",
      now: NOW,
      timeZone: "UTC",
    });
    expect(zoomOnly.system).not.toContain("Here are some examples:");
  });

  it("refuses to build a prompt without tools (the agent answers without the planner then)", () => {
    expect(() =>
      buildPrompt({ tools: [], request: "what's the weather", now: NOW, timeZone: "UTC" }),
    ).toThrow(/at least one tool/);
  });

  it("renders the raw and Alpaca-like templates around the same two parts", () => {
    expect(renderPrompt(prompt, "raw")).toBe(`${prompt.system}\n\n${prompt.user}\n`);
    const alpaca = renderPrompt(prompt, "alpaca");
    expect(alpaca.startsWith("### Instruction:\n")).toBe(true);
    expect(alpaca).toContain(`\n\n### Input:\n${prompt.user}\n\n### Response:\n`);
  });

  it("stays within the token budget for a few tools (TinyLlama vocabulary)", () => {
    const tokens = llamaTokenizer.encode(renderPrompt(prompt, "raw")).length;
    expect(tokens).toBeLessThan(1000);
    const all = llamaTokenizer.encode(
      renderPrompt(buildPrompt({ tools: TOOLS, request: "x", now: NOW, timeZone: "UTC" }), "raw"),
    ).length;
    expect(all).toBeGreaterThan(tokens);
  });
});

describe("the built-in examples", () => {
  it.each(BUILT_IN_EXAMPLES.map((example) => [example.question, example]))(
    "%s is a valid plan",
    (_, example) => {
      const checked = checkPlan(example.plan, defaultRegistry);
      expect(checked.problems).toEqual([]);
      expect(exampleTools(example).length).toBeGreaterThan(0);
    },
  );

  it("cover every tool", () => {
    const used = new Set(BUILT_IN_EXAMPLES.flatMap(exampleTools));
    expect(TOOLS.map((tool) => tool.name).filter((name) => !used.has(name))).toEqual([]);
  });
});
