import { describe, expect, it } from "vitest";
import { expectExit, fixture, fixtureText, runCli } from "./helpers";

/** `tinyagent parse [FILE|-] [--json]`, run as a real child process. */

interface ParseReport {
  valid: boolean;
  plan: {
    steps: { index: number; tool: string; args: unknown[]; line: number; thought?: string }[];
    join?: { index: number; line: number };
    ended: boolean;
  };
  problems: { code: string; message: string; severity: "error" | "warning"; line?: number; step?: number }[];
}

const LISTING = [
  '1. get_email_address("Lutfi")',
  '2. get_zoom_meeting_link("Project sync", "2024-06-03 15:00:00", 60, ["$1"])',
  '3. create_calendar_event("Project sync", "2024-06-03 15:00:00", "2024-06-03 16:00:00", "", ["$1"], "Join: ${2}", None)',
  '4. create_reminder("Bring $20 for \\"pizza\\"", None, "", "", 1, True)',
  '5. send_sms(["+1 (510) 555-0199"], "It\'s booked, see ${2}")',
  "6. join()",
].join("\n");

const ARGS = [
  ["Lutfi"],
  ["Project sync", "2024-06-03 15:00:00", 60, ["$1"]],
  ["Project sync", "2024-06-03 15:00:00", "2024-06-03 16:00:00", "", ["$1"], "Join: ${2}", null],
  ['Bring $20 for "pizza"', null, "", "", 1, true],
  [["+1 (510) 555-0199"], "It's booked, see ${2}"],
];

describe("tinyagent parse: valid plans", () => {
  it("reads a Python-literal plan from a file and prints it normalised, exit 0", async () => {
    const result = await runCli(["parse", fixture("python-plan.txt")]);
    expectExit(result, 0);
    expect(result.stdout).toBe(`${LISTING}\n`);
    expect(result.stderr).toBe("valid plan: 5 steps\n");
  });

  it("reads the same plan written with JSON literals to the same listing", async () => {
    const result = await runCli(["parse", fixture("json-plan.txt")]);
    expectExit(result, 0);
    expect(result.stdout).toBe(`${LISTING}\n`);
    expect(result.stderr).toBe("valid plan: 5 steps\n");
  });

  it("--json of a Python-literal plan: valid, steps with typed arguments, thoughts and line numbers", async () => {
    const result = await runCli(["parse", fixture("python-plan.txt"), "--json"]);
    expectExit(result, 0);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as ParseReport;
    expect(report.valid).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.plan.ended).toBe(true);
    expect(report.plan.join).toMatchObject({ index: 6, line: 8 });
    expect(report.plan.steps.map((s) => s.tool)).toEqual([
      "get_email_address",
      "get_zoom_meeting_link",
      "create_calendar_event",
      "create_reminder",
      "send_sms",
    ]);
    expect(report.plan.steps.map((s) => s.args)).toEqual(ARGS);
    // Thought lines count: step 1 is on line 2, step 3 on line 5.
    expect(report.plan.steps.map((s) => [s.index, s.line])).toEqual([
      [1, 2],
      [2, 3],
      [3, 5],
      [4, 6],
      [5, 7],
    ]);
    expect(report.plan.steps[0]?.thought).toBe("First find Lutfi's email address.");
    expect(report.plan.steps[2]?.thought).toBe("Put it in the calendar with the link.");
  });

  it("--json of the JSON-literal plan gives the same steps (true/false/null read as booleans and null)", async () => {
    const result = await runCli(["parse", "--json", fixture("json-plan.txt")]);
    expectExit(result, 0);
    const report = JSON.parse(result.stdout) as ParseReport;
    expect(report.valid).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.plan.steps.map((s) => s.args)).toEqual(ARGS);
    expect(report.plan.steps.map((s) => s.line)).toEqual([1, 2, 3, 4, 5]);
    expect(report.plan.join).toMatchObject({ index: 6, line: 6 });
  });

  it('reads the plan from standard input with "-"', async () => {
    const result = await runCli(["parse", "-"], { input: fixtureText("python-plan.txt") });
    expectExit(result, 0);
    expect(result.stdout).toBe(`${LISTING}\n`);
    expect(result.stderr).toBe("valid plan: 5 steps\n");
  });

  it("reads the plan from piped standard input when no file is given", async () => {
    const result = await runCli(["parse", "--json"], { input: fixtureText("json-plan.txt") });
    expectExit(result, 0);
    const report = JSON.parse(result.stdout) as ParseReport;
    expect(report.valid).toBe(true);
    expect(report.plan.steps.map((s) => s.args)).toEqual(ARGS);
  });

  it("accepts Windows line endings and reports text after <END_OF_PLAN> as a warning, still exit 0", async () => {
    const text = '1. get_email_address("Sid")\r\n2. join()<END_OF_PLAN>\r\nHope this helps!\r\n';
    const result = await runCli(["parse"], { input: text });
    expectExit(result, 0);
    expect(result.stdout).toBe('1. get_email_address("Sid")\n2. join()\n');
    expect(result.stderr).toContain(
      'warning: line 3: text after <END_OF_PLAN> was ignored: "Hope this helps!"',
    );
    expect(result.stderr).toContain("valid plan: 1 step\n");

    const json = await runCli(["parse", "--json", "-"], { input: text });
    expectExit(json, 0);
    const report = JSON.parse(json.stdout) as ParseReport;
    expect(report.valid).toBe(true);
    expect(report.problems).toEqual([
      expect.objectContaining({ code: "after-end", severity: "warning", line: 3 }),
    ]);
  });
});

describe("tinyagent parse: invalid plans", () => {
  it("exit 1; the plan still goes to stdout, each problem with its line number to stderr", async () => {
    const result = await runCli(["parse", fixture("invalid.txt")]);
    expectExit(result, 1);
    expect(result.stdout).toBe(
      [
        '1. get_email_address("Sid")',
        '2. compose_new_email(["$1"], "not a list", "Hi")',
        '3. frobnicate("x")',
        '4. send_sms(["$7"], "hi")',
        "5. join()",
        "",
      ].join("\n"),
    );
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^error: line 2: compose_new_email takes 5 arguments .*step 2 gives 3$/);
    expect(lines[1]).toMatch(/^error: line 3: step 3 calls frobnicate, which is not an available tool/);
    expect(lines[2]).toBe("error: line 4: step 4 uses $7, which is not an earlier step");
    expect(lines[3]).toBe("invalid plan: 3 problems");
  });

  it("--json: valid false, problems with codes, lines and steps; exit 1", async () => {
    const result = await runCli(["parse", "--json", fixture("invalid.txt")]);
    expectExit(result, 1);
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as ParseReport;
    expect(report.valid).toBe(false);
    expect(report.plan.steps).toHaveLength(4);
    expect(report.problems.map((p) => [p.code, p.severity, p.line, p.step])).toEqual([
      ["argument-count", "error", 2, 2],
      ["unknown-tool", "error", 3, 3],
      ["bad-reference", "error", 4, 4],
    ]);
  });

  it("a syntax error names its line; the readable steps around it are still listed", async () => {
    const text = [
      "Thought: look up Sid.",
      '1. get_email_address("Sid")',
      "2. send_sms(['$1'], 'unterminated)",
      "3. join()<END_OF_PLAN>",
    ].join("\n");
    const result = await runCli(["parse", "-"], { input: text });
    expectExit(result, 1);
    expect(result.stdout).toContain('1. get_email_address("Sid")');
    expect(result.stderr).toMatch(/^error: line 3: /m);
    expect(result.stderr).toMatch(/invalid plan: \d+ problems?\n$/);

    const json = await runCli(["parse", "--json"], { input: text });
    expectExit(json, 1);
    const report = JSON.parse(json.stdout) as ParseReport;
    expect(report.valid).toBe(false);
    expect(report.problems.some((p) => p.code === "syntax" && p.line === 3)).toBe(true);
  });

  it("an empty plan is invalid (no join), exit 1", async () => {
    const result = await runCli(["parse"], { input: "" });
    expectExit(result, 1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("join()");
    expect(result.stderr).toContain("invalid plan: 1 problem\n");
  });
});

// Issue 17, item 7: `parse` rejected dates in words that `run-plan` resolved and ran.
describe("tinyagent parse reads dates in words as run-plan does", () => {
  const text = [
    '1. create_reminder("Pay rent", "tomorrow at 3pm", "", "", 0, False)',
    '2. create_calendar_event("Lunch", "next friday at noon", "next friday at 1pm", "", [], "", None)',
    "3. join()<END_OF_PLAN>",
  ].join("\n");
  const ISO = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

  it("the plan is valid for both, with the same resolved dates", async () => {
    const parsed = await runCli(["parse", "--json", "-"], { input: text });
    expectExit(parsed, 0);
    const report = JSON.parse(parsed.stdout) as ParseReport & {
      normalized: { step: number; param: string; from: string; to: string }[];
    };
    expect(report.valid).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.normalized.map((n) => [n.step, n.param, n.from])).toEqual([
      [1, "due_date", "tomorrow at 3pm"],
      [2, "start_date", "next friday at noon"],
      [2, "end_date", "next friday at 1pm"],
    ]);
    for (const change of report.normalized) expect(change.to).toMatch(ISO);

    const ran = await runCli(["run-plan", "--json", "--dry-run", "--yes", "-"], { input: text });
    expectExit(ran, 0);
    const run = JSON.parse(ran.stdout) as { valid: boolean; normalized: typeof report.normalized };
    expect(run.valid).toBe(true);
    expect(run.normalized).toEqual(report.normalized);
  });

  it("prints the plan with the resolved dates and a note for each, exit 0", async () => {
    const result = await runCli(["parse", "-"], { input: text });
    expectExit(result, 0);
    expect(result.stdout).toMatch(/^1\. create_reminder\("Pay rent", "\d{4}-\d{2}-\d{2} 15:00:00", /);
    expect(result.stderr).toContain('note: step 1: due_date "tomorrow at 3pm" means ');
    expect(result.stderr).toContain('note: step 2: end_date "next friday at 1pm" means ');
    expect(result.stderr).toContain("valid plan: 2 steps\n");
  });
});
