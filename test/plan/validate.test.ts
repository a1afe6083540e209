import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { parsePlan } from "../../src/agent/plan/parse";
import { END_OF_PLAN, isValid, type Plan, type Problem, type Value } from "../../src/agent/plan/plan";
import { serializeValue } from "../../src/agent/plan/serialize";
import { validatePlan } from "../../src/agent/plan/validate";
import { defaultRegistry, TOOLS, ToolRegistry } from "../../src/tools/registry";
import { toolParams, toolSignature } from "../../src/tools/tool";
import { codes, FIXTURES, fixture, omit, planOf, step } from "./helpers";

/** One valid literal argument list per tool, in DESIGN §4 order. */
const VALID_ARGS: Record<string, Value[]> = {
  create_calendar_event: ["Sync", "2024-06-03 15:00:00", "2024-06-03 16:00:00", "", ["a@b.c"], "", null],
  get_phone_number: ["Sid"],
  get_email_address: ["Sid"],
  open_and_get_file_path: ["report.pdf"],
  summarize_pdf: ["/Users/me/report.pdf"],
  compose_new_email: [["a@b.c"], [], "Hi", "say hi", []],
  reply_to_email: [[], "thanks", []],
  forward_email: [["a@b.c"], [], "fyi", []],
  maps_open_location: ["Eiffel Tower"],
  maps_show_directions: ["", "Eiffel Tower", "w"],
  create_note: ["Groceries", "milk", null],
  open_note: ["Groceries", null],
  append_note_content: ["Groceries", "eggs", "Home"],
  create_reminder: ["Call mom", "2024-06-03 18:00:00", "", "", 0, false],
  send_sms: [["+1 555 0100"], "hi"],
  get_zoom_meeting_link: ["Sync", "2024-06-03 15:00:00", 60, ["a@b.c"]],
};

/**
 * The parameters that take None: calendar, folder and due_date (DESIGN §4), plus the event's location and
 * notes (the reference tools' convention, adopted in commit 533726f).
 */
const NULLABLE = new Set([
  "create_calendar_event.location",
  "create_calendar_event.notes",
  "create_calendar_event.calendar",
  "create_note.folder",
  "open_note.folder",
  "append_note_content.folder",
  "create_reminder.due_date",
]);

/** A one-step plan text for `tool(args)` closed by join. */
function oneStep(tool: string, args: Value[]): string {
  return `1. ${tool}(${args.map(serializeValue).join(", ")})\n2. join()${END_OF_PLAN}`;
}

function problemsOf(text: string, registry = defaultRegistry): Problem[] {
  return checkPlan(text, registry).problems;
}

/** Problems for `tool` called with its valid arguments except `position`, which becomes `value`. */
function withArgument(tool: string, position: number, value: Value): Problem[] {
  const args = [...VALID_ARGS[tool]!];
  args[position] = value;
  return problemsOf(oneStep(tool, args));
}

describe("the tool registry matches DESIGN §4", () => {
  const DESIGN_SIGNATURES = [
    "create_calendar_event(title: str, start_date: str, end_date: str, location: str, invitees: list[str], notes: str, calendar: str)",
    "get_phone_number(name: str)",
    "get_email_address(name: str)",
    "open_and_get_file_path(file_name: str)",
    "summarize_pdf(pdf_path: str)",
    "compose_new_email(recipients: list[str], cc: list[str], subject: str, context: str, attachments: list[str])",
    "reply_to_email(cc: list[str], context: str, attachments: list[str])",
    "forward_email(recipients: list[str], cc: list[str], context: str, attachments: list[str])",
    "maps_open_location(location: str)",
    "maps_show_directions(start_location: str, end_location: str, transport: str)",
    "create_note(name: str, content: str, folder: str)",
    "open_note(name: str, folder: str)",
    "append_note_content(name: str, content: str, folder: str)",
    "create_reminder(name: str, due_date: str, notes: str, list_name: str, priority: int, all_day: bool)",
    "send_sms(recipients: list[str], message: str)",
    "get_zoom_meeting_link(topic: str, start_time: str, duration: int, meeting_invitees: list[str])",
  ];

  it("has the 16 tools in table order with the exact signatures", () => {
    expect(TOOLS.map(toolSignature)).toEqual(DESIGN_SIGNATURES);
    expect(defaultRegistry.names).toEqual(Object.keys(VALID_ARGS));
  });

  it("marks exactly the expected parameters as nullable", () => {
    const nullable = TOOLS.flatMap((tool) =>
      toolParams(tool)
        .filter((p) => p.nullable)
        .map((p) => `${tool.name}.${p.name}`),
    );
    expect(new Set(nullable)).toEqual(NULLABLE);
  });
});

describe("validatePlan: valid plans", () => {
  it.each(Object.entries(VALID_ARGS))("%s with valid arguments has no problems", (tool, args) => {
    expect(problemsOf(oneStep(tool, args))).toEqual([]);
  });

  it.each(FIXTURES)("fixture %s is valid", (name) => {
    const checked = checkPlan(fixture(name), defaultRegistry);
    expect(checked.problems).toEqual([]);
    expect(checked.valid).toBe(true);
  });

  it("accepts dates with a T separator or without seconds, as planners write them", () => {
    expect(withArgument("create_reminder", 1, "2024-06-03T18:00:00")).toEqual([]);
    expect(withArgument("create_reminder", 1, "2024-06-03 18:00")).toEqual([]);
    expect(withArgument("create_reminder", 1, "2024-02-29 18:00:00")).toEqual([]); // leap year
  });

  it("a reminder's due date may be a bare day (all day) or empty", () => {
    expect(withArgument("create_reminder", 1, "2024-06-03")).toEqual([]);
    expect(withArgument("create_reminder", 1, "")).toEqual([]);
  });

  it("a single string for a list parameter is a one-item list, an empty string an empty list", () => {
    expect(withArgument("send_sms", 0, "+1 555 0100")).toEqual([]);
    expect(withArgument("compose_new_email", 1, "")).toEqual([]);
    expect(withArgument("get_zoom_meeting_link", 3, "a@b.c")).toEqual([]);
  });

  it("warnings alone keep a plan valid", () => {
    const checked = checkPlan(
      `1. get_email_address("Sid")\n2. join()${END_OF_PLAN}\nThanks!`,
      defaultRegistry,
    );
    expect(codes(checked.problems)).toEqual(["after-end"]);
    expect(checked.valid).toBe(true);
  });
});

describe("validatePlan: unknown tools", () => {
  it("suggests the closest tool name and lists the available ones", () => {
    const problems = problemsOf(oneStep("create_calender_event", VALID_ARGS.create_calendar_event!));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "unknown-tool", severity: "error", line: 1, step: 1 });
    expect(problems[0]!.message).toContain("Did you mean create_calendar_event?");
    expect(problems[0]!.message).toContain(`Available: ${defaultRegistry.names.join(", ")}.`);
  });

  it("suggests despite different letter case", () => {
    expect(problemsOf(oneStep("Get_Email_Address", ["Sid"]))[0]!.message).toContain(
      "Did you mean get_email_address?",
    );
  });

  it("does not suggest anything for a name far from every tool", () => {
    const message = problemsOf(oneStep("launch_rocket", ["moon"]))[0]!.message;
    expect(message).toContain("launch_rocket, which is not an available tool");
    expect(message).not.toContain("Did you mean");
  });

  it("with a subset registry, the other tools are unknown and only the subset is listed", () => {
    const registry = defaultRegistry.subset(["get_email_address", "create_note"]);
    expect(registry.names).toEqual(["get_email_address", "create_note"]);
    const text = `1. get_email_address("Sid")\n2. send_sms(["$1"], "hi")\n3. create_note("n", "$1", None)\n4. join()${END_OF_PLAN}`;
    const problems = problemsOf(text, registry);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "unknown-tool", step: 2 });
    expect(problems[0]!.message).toContain("Available: get_email_address, create_note.");
    expect(problemsOf(text)).toEqual([]); // the same plan is fine with every tool
  });

  it("an empty registry says no tool is available", () => {
    const problems = problemsOf(oneStep("send_sms", VALID_ARGS.send_sms!), new ToolRegistry([]));
    expect(problems[0]!.message).toContain("Available: none.");
  });

  it("an unknown tool's arguments are not checked", () => {
    expect(codes(problemsOf(oneStep("not_a_tool", [1, 2, 3])))).toEqual(["unknown-tool"]);
  });
});

describe("validatePlan: argument count", () => {
  it.each([
    ["get_email_address", ["Sid", "Ann"], "get_email_address takes 1 argument (name); step 1 gives 2"],
    ["get_email_address", [], "get_email_address takes 1 argument (name); step 1 gives 0"],
    ["create_note", ["n", "c"], "create_note takes 3 arguments (name, content, folder); step 1 gives 2"],
  ])("%s(%j) has the wrong number of arguments", (tool, args, message) => {
    const problems = problemsOf(oneStep(tool, args as Value[]));
    expect(problems).toEqual([
      expect.objectContaining({ code: "argument-count", severity: "error", message }),
    ]);
  });
});

describe("validatePlan: argument types", () => {
  it.each([
    ["get_email_address", 0, ["Sid"], "expected string, received array"],
    ["get_email_address", 0, 3, "expected string, received number"],
    ["get_email_address", 0, true, "expected string, received boolean"],
    ["get_email_address", 0, "", '(got "")'],
    ["send_sms", 0, 5, "expected array, received number"],
    ["send_sms", 0, true, "expected array, received boolean"],
    ["send_sms", 0, [1], "expected string, received number"],
    ["send_sms", 0, [["nested"]], "expected string"],
    ["send_sms", 1, "", '(got "")'],
    ["create_reminder", 4, "5", "expected number, received string"],
    ["create_reminder", 4, 2.5, "expected int"],
    ["create_reminder", 4, true, "expected number"],
    ["create_reminder", 4, 10, "<=9"],
    ["create_reminder", 4, -1, ">=0"],
    ["create_reminder", 5, "True", "expected boolean, received string"],
    ["create_reminder", 5, 1, "expected boolean, received number"],
    ["create_reminder", 1, "tomorrow", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "2024-02-30 10:00:00", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "2023-02-29 10:00:00", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "2024-06-03 24:00:00", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "03/06/2024 10:00", "YYYY-MM-DD HH:MM:SS"],
    ["create_calendar_event", 1, "2024-13-01 10:00:00", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "2024-02-30", "YYYY-MM-DD HH:MM:SS"],
    ["create_reminder", 1, "next week", "YYYY-MM-DD HH:MM:SS"],
    ["create_calendar_event", 1, "", "YYYY-MM-DD HH:MM:SS"],
    ["create_calendar_event", 2, "2024-06-03", "YYYY-MM-DD HH:MM:SS"],
    ["get_zoom_meeting_link", 1, "2024-06-03", "YYYY-MM-DD HH:MM:SS"],
    ["get_zoom_meeting_link", 2, 0, ">=1"],
    ["get_zoom_meeting_link", 2, "60", "expected number"],
    ["maps_show_directions", 2, "bike", 'expected one of "d"|"w"|"r"'],
    ["maps_show_directions", 2, "driving", 'expected one of "d"|"w"|"r"'],
    ["maps_show_directions", 2, "D", 'expected one of "d"|"w"|"r"'],
    ["create_note", 2, ["folder"], "expected string"],
    ["create_note", 1, { text: "x" }, "expected string, received object"],
  ])("%s argument %i = %j is rejected (%s)", (tool, position, value, message) => {
    const problems = withArgument(tool, position, value as Value);
    expect(problems).toHaveLength(1);
    const name = toolParams(defaultRegistry.get(tool)!)[position]!.name;
    expect(problems[0]).toMatchObject({ code: "argument-type", severity: "error", line: 1, step: 1 });
    expect(problems[0]!.message).toContain(`argument ${position + 1} (${name}) of ${tool}`);
    expect(problems[0]!.message).toContain(message);
  });

  it.each(["d", "w", "r"])("transport %j is accepted", (transport) => {
    expect(withArgument("maps_show_directions", 2, transport)).toEqual([]);
  });

  it.each([0, 1, 5, 9])("priority %i is accepted", (priority) => {
    expect(withArgument("create_reminder", 4, priority)).toEqual([]);
  });

  it("reports every bad argument of a step", () => {
    const problems = problemsOf(oneStep("create_reminder", ["x", "tomorrow", "", "", 10, "yes"]));
    expect(problems.map((p) => p.message.slice(0, 14))).toEqual([
      "argument 2 (du",
      "argument 5 (pr",
      "argument 6 (al",
    ]);
  });

  describe("None is accepted only for nullable parameters", () => {
    const cases = TOOLS.flatMap((tool) =>
      toolParams(tool).map((param, position) => [tool.name, param.name, position] as const),
    );
    it.each(cases)("%s.%s = None", (tool, param, position) => {
      const problems = withArgument(tool, position, null);
      if (NULLABLE.has(`${tool}.${param}`)) expect(problems).toEqual([]);
      else expect(codes(problems)).toEqual(["argument-type"]);
    });
  });
});

describe("validatePlan: references", () => {
  const check = (...lines: string[]) =>
    problemsOf([...lines, `${lines.length + 1}. join()${END_OF_PLAN}`].join("\n"));

  it("accepts references to earlier steps: whole, braced, interpolated, in lists", () => {
    expect(
      check(
        `1. get_email_address("Sid")`,
        `2. open_and_get_file_path("report")`,
        `3. compose_new_email(["$1"], ["\${1}"], "Report", "see \${2}", ["$2"])`,
      ),
    ).toEqual([]);
  });

  it("a whole reference is accepted for a list parameter, alone or mixed with literals", () => {
    expect(check(`1. get_phone_number("Sid")`, `2. send_sms("$1", "hi")`)).toEqual([]);
    expect(check(`1. get_phone_number("Sid")`, `2. send_sms(["$1", "+1 555 0100"], "hi")`)).toEqual([]);
  });

  it("a list mixing a reference with a wrong literal is still checked", () => {
    expect(codes(check(`1. get_phone_number("Sid")`, `2. send_sms(["$1", 5], "hi")`))).toEqual([
      "argument-type",
    ]);
  });

  it("a reference is accepted for date and enum parameters (only known at run time)", () => {
    expect(check(`1. get_email_address("Sid")`, `2. maps_show_directions("", "home", "$1")`)).toEqual([]);
    expect(check(`1. get_email_address("Sid")`, `2. create_reminder("x", "$1", "", "", 0, False)`)).toEqual(
      [],
    );
  });

  it("a reference is rejected for int and bool parameters", () => {
    const problems = check(
      `1. get_email_address("Sid")`,
      `2. create_reminder("x", None, "", "", "$1", "\${1}")`,
    );
    expect(codes(problems)).toEqual(["argument-type", "argument-type"]);
    expect(problems[0]!.message).toContain(
      "argument 5 (priority) of create_reminder: expected int, got text",
    );
    expect(problems[1]!.message).toContain(
      "argument 6 (all_day) of create_reminder: expected bool, got text",
    );
  });

  it("interpolated text is rejected for an int parameter", () => {
    const problems = check(
      `1. get_phone_number("Sid")`,
      `2. get_zoom_meeting_link("t", "2024-06-03 15:00:00", "\${1}0", [])`,
    );
    expect(problems).toEqual([expect.objectContaining({ code: "argument-type" })]);
    expect(problems[0]!.message).toContain("expected int, got text");
  });

  it("interpolated text for a list parameter is a one-item list", () => {
    expect(check(`1. get_phone_number("Sid")`, `2. send_sms("+\${1}", "hi")`)).toEqual([]);
  });

  it.each([
    [`1. get_email_address("$1")`, "step 1 uses $1, which is not an earlier step"],
    [`1. get_email_address("\${2}")`, "step 1 uses $2, which is not an earlier step"],
    [`1. create_note("n", "see \${7} later", None)`, "step 1 uses $7, which is not an earlier step"],
    [`1. send_sms(["$3"], "hi")`, "step 1 uses $3, which is not an earlier step"],
    [`1. get_email_address("$0")`, "step 1 uses $0, but the plan has no step 0"],
  ])("%s is a bad reference", (line, message) => {
    expect(check(line)).toEqual([
      expect.objectContaining({ code: "bad-reference", line: 1, step: 1, message }),
    ]);
  });

  it("a reference to a step missing from a numbering gap is a bad reference", () => {
    const problems = problemsOf(
      `1. get_email_address("a")\n3. get_email_address("$2")\n4. join()${END_OF_PLAN}`,
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        code: "bad-reference",
        step: 3,
        message: "step 3 uses $2, but the plan has no step 2",
      }),
    );
  });

  it("money and plain dollar text are not references", () => {
    expect(check(`1. create_note("Budget", "$1,200 total; bring $20 for pizza; $ 5", None)`)).toEqual([]);
    expect(check(`1. create_note("$1,200", "$20 for pizza", None)`)).toEqual([]);
  });

  it("a whole `$20` string is a reference, even if the planner meant money", () => {
    expect(codes(check(`1. create_note("Pizza", "$20", None)`))).toEqual(["bad-reference"]);
  });

  it("reports a bad reference once per target, even if used twice", () => {
    expect(codes(check(`1. compose_new_email(["$4"], ["$4"], "s", "\${4}", [])`))).toEqual(["bad-reference"]);
  });
});

describe("validatePlan: numbering and join", () => {
  const numberingOf = (text: string) => problemsOf(text).filter((p) => p.code !== "unknown-tool");

  it("a gap in numbering is an error on the step after the gap", () => {
    const problems = numberingOf(
      `1. get_email_address("a")\n3. get_email_address("b")\n3. join()${END_OF_PLAN}`,
    );
    expect(problems[0]).toMatchObject({ code: "numbering", line: 2, step: 3 });
    expect(problems[0]!.message).toContain("expected step 2 here, found 3");
  });

  it("a plan not starting at 1 is an error", () => {
    const problems = numberingOf(`2. get_email_address("a")\n3. join()${END_OF_PLAN}`);
    expect(problems[0]).toMatchObject({ code: "numbering", step: 2 });
    expect(problems[0]!.message).toContain("expected step 1 here, found 2");
  });

  it("a duplicate number is an error", () => {
    const problems = numberingOf(
      `1. get_email_address("a")\n1. get_email_address("b")\n2. join()${END_OF_PLAN}`,
    );
    expect(problems[0]).toMatchObject({ code: "duplicate-step", line: 2, step: 1 });
    expect(problems[0]!.message).toBe("step number 1 is used twice");
    expect(isValid(problems)).toBe(false);
  });

  it("a missing join is an error that says which join to write", () => {
    const problems = numberingOf(`1. get_email_address("a")\n2. get_email_address("b")`);
    expect(problems).toEqual([
      { code: "missing-join", severity: "error", message: "the plan does not end with `3. join()`" },
    ]);
  });

  it("an empty plan lacks its join", () => {
    expect(codes(problemsOf(""))).toEqual(["missing-join"]);
  });

  it.each([
    [`1. get_email_address("a")\n3. join()${END_OF_PLAN}`, 3],
    [`1. get_email_address("a")\n1. join()${END_OF_PLAN}`, 1],
    [`1. get_email_address("a")\n2. get_email_address("b")\n2. join()${END_OF_PLAN}`, 2],
  ])("join numbered wrongly is an error (%#)", (text, found) => {
    const problems = numberingOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "numbering", step: found });
    expect(problems[0]!.message).toMatch(
      /join\(\) should be step \d+, the one after the last call; found \d+/,
    );
  });

  it("a join alone as step 1 is a valid (empty) plan", () => {
    expect(problemsOf(`1. join()${END_OF_PLAN}`)).toEqual([]);
  });

  it("checks a Plan object directly, whatever its origin", () => {
    const plan: Plan = planOf(step(1, "get_email_address", ["Sid"]), step(2, "send_sms", [["$1"], "hi"]));
    expect(validatePlan(plan, defaultRegistry)).toEqual([]);
    expect(codes(validatePlan(omit(plan, "join"), defaultRegistry))).toEqual(["missing-join"]);
  });
});

describe("checkPlan", () => {
  it("combines parse and validation problems in line order, those without a line last", () => {
    const text = [
      `1. get_email_adress("Sid")`, // unknown tool (line 1)
      `nonsense`, // syntax (line 2)
      `2. send_sms(["$1"], "hi", "extra")`, // argument count (line 3)
      `3. create_note(name="n", content="$5", folder=None)`, // named (line 4), bad reference (line 4)
    ].join("\n");
    const checked = checkPlan(text, defaultRegistry);
    expect(checked.valid).toBe(false);
    expect(checked.problems.map((p) => [p.line, p.code])).toEqual([
      [1, "unknown-tool"],
      [2, "syntax"],
      [3, "argument-count"],
      [4, "named-argument"],
      [4, "bad-reference"],
      [undefined, "missing-join"],
    ]);
    expect(checked.plan).toEqual(parsePlan(text).plan);
  });

  it("valid is true exactly when no problem is an error", () => {
    for (const text of [
      fixture("json-literals.txt"),
      `1. f()`,
      `x\n1. join()${END_OF_PLAN}`,
      `Thought: hmm\n1. join()`,
    ]) {
      const checked = checkPlan(text, defaultRegistry);
      expect(checked.valid).toBe(checked.problems.every((p) => p.severity === "warning"));
    }
  });
});
