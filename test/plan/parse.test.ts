import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/agent/plan/parse";
import { END_OF_PLAN, isValid, type Problem } from "../../src/agent/plan/plan";
import { referencesIn } from "../../src/agent/plan/references";
import { codes, fixture, withoutLines } from "./helpers";

/** Parses and expects no problems at all. */
function parseClean(text: string) {
  const result = parsePlan(text);
  expect(result.problems).toEqual([]);
  return result.plan;
}

function onlyProblem(text: string): Problem {
  const { problems } = parsePlan(text);
  expect(problems).toHaveLength(1);
  return problems[0]!;
}

describe("parsePlan: literal styles", () => {
  it("reads a Python-literal plan (single quotes, True/False/None)", () => {
    const plan = parseClean(fixture("python-literals.txt"));
    expect(plan.ended).toBe(true);
    expect(plan.join).toEqual({ index: 6, line: 8 });
    expect(plan.steps.map((s) => [s.index, s.tool, s.line])).toEqual([
      [1, "get_email_address", 2],
      [2, "get_zoom_meeting_link", 4],
      [3, "create_calendar_event", 5],
      [4, "create_reminder", 6],
      [5, "send_sms", 7],
    ]);
    expect(plan.steps[1]!.args).toEqual(["Project sync", "2024-06-03 15:00:00", 60, ["$1"]]);
    expect(plan.steps[2]!.args).toEqual([
      "Project sync",
      "2024-06-03 15:00:00",
      "2024-06-03 16:00:00",
      "",
      ["$1"],
      "Join: ${2}",
      null,
    ]);
    expect(plan.steps[3]!.args).toEqual(["Prepare the slides", "2024-06-03 14:00:00", "", "", 1, false]);
    expect(plan.steps[4]!.args).toEqual([["$1"], "It's booked, see ${2}"]);
  });

  it("reads a JSON-literal plan (double quotes, true/false/null) with <END_OF_PLAN> on its own line", () => {
    const plan = parseClean(fixture("json-literals.txt"));
    expect(plan.ended).toBe(true);
    expect(plan.join).toEqual({ index: 7, line: 7 });
    expect(plan.steps[3]!.args).toEqual([["${3}"], [], "Q2 report", "Summary: ${2}", ["$1"]]);
    expect(plan.steps[4]!.args).toEqual(["Q2 report", "${2}", null]);
    expect(plan.steps[5]!.args).toEqual(["Follow up with Sid", null, "", "Work", 5, true]);
  });

  it("reads a plan mixing both styles, blank lines and escapes", () => {
    const plan = parseClean(fixture("mixed-literals.txt"));
    expect(plan.steps.map((s) => s.line)).toEqual([1, 2, 4, 5, 6]);
    expect(plan.steps[2]!.args).toEqual([["$1", "$2"], "Dinner at 7? Bring $20 for pizza 🍕"]);
    expect(plan.steps[3]!.args).toEqual(["", "Luigi's Pizzeria, 12 Main St", "d"]);
    expect(plan.steps[4]!.args).toEqual(["Family", 'Dinner\tat 7\nPizza: "$1,200" budget? no, $20', null]);
    expect(plan.join).toEqual({ index: 6, thought: "Done.", line: 8 });
  });

  it("the same plan written in Python and JSON literals parses to the same plan", () => {
    const python = `1. create_reminder('Buy milk', None, '', '', 0, False)\n2. send_sms(['+1 555'], 'it\\'s "ok"')\n3. join()${END_OF_PLAN}`;
    const json = `1. create_reminder("Buy milk", null, "", "", 0, false)\n2. send_sms(["+1 555"], "it's \\"ok\\"")\n3. join()${END_OF_PLAN}`;
    expect(parseClean(python)).toEqual(parseClean(json));
  });

  it("reads nested lists and trailing commas in calls", () => {
    const plan = parseClean(`1. f([["a", ['b']], [], [1, [2, [3,],],],], "x",)`);
    expect(plan.steps[0]!.args).toEqual([[["a", ["b"]], [], [1, [2, [3]]]], "x"]);
  });

  it("tolerates spaces around the number, dot and parenthesis", () => {
    const plan = parseClean(`   12 .   get_email_address ( 'Sid' )   `);
    expect(plan.steps).toEqual([{ index: 12, tool: "get_email_address", args: ["Sid"], line: 1 }]);
  });

  it("keeps unicode, emoji and right-to-left text intact", () => {
    const text = `1. create_note("📝 ملاحظة", "שלום 👋🏽 \u200fעולם", None)`;
    expect(parseClean(text).steps[0]!.args).toEqual(["📝 ملاحظة", "שלום 👋🏽 \u200fעולם", null]);
  });

  it("decodes escapes: \\n \\t \\\\ \\\" \\' \\uXXXX (incl. surrogate pairs) \\xHH, keeps unknown ones", () => {
    const text = String.raw`1. create_note("a\nb\tc\\d\"e\'f", 'caf\u00e9 \ud83d\ude00 \x41', "\d\w \q")`;
    expect(parseClean(text).steps[0]!.args).toEqual(["a\nb\tc\\d\"e'f", "café 😀 A", "\\d\\w \\q"]);
  });
});

describe("parsePlan: references stay strings", () => {
  it.each([
    ["$1,200", []],
    ["bring $20 for pizza", []],
    ["costs $5", []],
    ["$", []],
    ["$1", [1]],
    ["${1}", [1]],
    ["see ${2} now", [2]],
    ["${1} and ${3}, ${1}", [1, 3]],
  ])("%j parses as plain text with references %j", (text, refs) => {
    const plan = parseClean(`1. create_note("n", ${JSON.stringify(text)}, None)`);
    const content = plan.steps[0]!.args[1]!;
    expect(content).toBe(text);
    expect(referencesIn(content)).toEqual(refs);
  });
});

describe("parsePlan: Thought lines", () => {
  it("attaches Thought lines to the next step, joined by newlines", () => {
    const plan = parseClean(
      `Thought: look up Sid\nthought:  twice\n1. get_email_address("Sid")\n2. get_email_address("Ann")\nTHOUGHT : done\n3. join()${END_OF_PLAN}`,
    );
    expect(plan.steps[0]!.thought).toBe("look up Sid\n twice");
    expect(plan.steps[1]).not.toHaveProperty("thought");
    expect(plan.join!.thought).toBe("done");
  });

  it("a Thought with nothing after it is a stray-thought warning", () => {
    const { plan, problems } = parsePlan(`1. get_email_address("Sid")\nThought: and then?`);
    expect(plan.steps).toHaveLength(1);
    expect(problems).toEqual([
      expect.objectContaining({ code: "stray-thought", severity: "warning", line: 2 }),
    ]);
  });

  it("an empty Thought is kept as an empty thought", () => {
    expect(parseClean(`Thought:\n1. get_email_address("Sid")`).steps[0]!.thought).toBe("");
  });

  it("a Thought may contain any text, including emoji, quotes and a call", () => {
    const thought = `use "get_email_address('Sid')" 😀 first; then $1`;
    expect(parseClean(`Thought: ${thought}\n1. get_email_address("Sid")`).steps[0]!.thought).toBe(thought);
  });

  // Regression test (fixed parser bug).
  it.each(["\u2028", "\u2029", "\r"])("a Thought containing %j is still a thought", (separator) => {
    const { plan, problems } = parsePlan(`Thought: a${separator}b\n1. join()${END_OF_PLAN}`);
    expect(problems).toEqual([]);
    expect(plan.join?.thought).toBe(`a${separator}b`);
  });
});

describe("parsePlan: the end of the plan", () => {
  it("accepts `N. join()<END_OF_PLAN>` on one line", () => {
    const plan = parseClean(`1. get_email_address("Sid")\n2. join()${END_OF_PLAN}`);
    expect(plan).toMatchObject({ ended: true, join: { index: 2, line: 2 } });
  });

  it("accepts a space between join() and the marker", () => {
    expect(parseClean(`1. join() ${END_OF_PLAN}`)).toMatchObject({ ended: true, join: { index: 1 } });
  });

  it("accepts <END_OF_PLAN> on the line after join()", () => {
    const plan = parseClean(`1. get_email_address("Sid")\n2. join()\n${END_OF_PLAN}\n`);
    expect(plan).toMatchObject({ ended: true, join: { index: 2, line: 2 } });
  });

  it("a plan stopped before the marker has ended=false", () => {
    expect(parseClean(`1. get_email_address("Sid")\n2. join()`)).toMatchObject({
      ended: false,
      join: { index: 2 },
    });
    expect(parseClean(`1. get_email_address("Sid")`)).toEqual({
      steps: [{ index: 1, tool: "get_email_address", args: ["Sid"], line: 1 }],
      ended: false,
    });
  });

  it("text after <END_OF_PLAN> is a warning that names the ignored text", () => {
    const { plan, problems } = parsePlan(
      `1. join()${END_OF_PLAN}\n\nI hope this helps!\n2. send_sms(["1"], "x")`,
    );
    expect(plan.steps).toEqual([]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatchObject({ code: "after-end", severity: "warning", line: 3 });
    expect(problems[0]!.message).toContain("I hope this helps!");
    expect(problems[1]).toMatchObject({ code: "after-end", severity: "warning", line: 4 });
    expect(isValid(problems)).toBe(true);
  });

  // Regression test (fixed parser bug).
  it("text after <END_OF_PLAN> on the join line is a warning, also when a newline follows", () => {
    const { plan, problems } = parsePlan(`1. get_email_address("Sid")\n2. join()${END_OF_PLAN} Done!\n`);
    expect(plan).toMatchObject({ ended: true, join: { index: 2, line: 2 } });
    expect(codes(problems)).toEqual(["after-end"]);
    expect(problems[0]!.line).toBe(2);
  });

  // Regression test (fixed parser bug).
  it("text after <END_OF_PLAN> on the last line is reported on that line", () => {
    const { problems } = parsePlan(`1. join()${END_OF_PLAN} Done!`);
    expect(problems).toEqual([expect.objectContaining({ code: "after-end", line: 1 })]);
  });

  // Regression test (fixed parser bug).
  it("<END_OF_PLAN> inside a string on the last line is just text", () => {
    const { plan, problems } = parsePlan(`1. create_note("x", "the marker is <END_OF_PLAN> ok", None)`);
    expect(problems).toEqual([]);
    expect(plan.steps[0]?.args).toEqual(["x", "the marker is <END_OF_PLAN> ok", null]);
  });

  it("<END_OF_PLAN> inside a string on an earlier line is just text", () => {
    const plan = parseClean(
      `1. create_note("x", "the marker is <END_OF_PLAN> ok", None)\n2. join()${END_OF_PLAN}`,
    );
    expect(plan.steps[0]!.args[1]).toBe("the marker is <END_OF_PLAN> ok");
    expect(plan.join!.index).toBe(2);
  });

  it("a step after join() is an error, and the step is still read", () => {
    const { plan, problems } = parsePlan(`1. get_email_address("Sid")\n2. join()\n3. send_sms(["1"], "x")`);
    expect(plan.steps.map((s) => s.index)).toEqual([1, 3]);
    expect(problems).toEqual([
      expect.objectContaining({ code: "step-after-join", severity: "error", line: 3, step: 3 }),
    ]);
  });

  it("a second join() is a duplicate-step error and the first join is kept", () => {
    const { plan, problems } = parsePlan(`1. join()\n2. join()${END_OF_PLAN}`);
    expect(plan.join).toEqual({ index: 1, line: 1 });
    expect(plan.ended).toBe(true);
    expect(problems).toEqual([expect.objectContaining({ code: "duplicate-step", line: 2, step: 2 })]);
  });

  it("join() with arguments is an error", () => {
    const problem = onlyProblem(`1. join("now")${END_OF_PLAN}`);
    expect(problem).toMatchObject({ code: "join-arguments", severity: "error", line: 1, step: 1 });
  });

  it("an <END_OF_PLAN> with no join ends the plan without a join", () => {
    const plan = parseClean(`1. get_email_address("Sid")\n${END_OF_PLAN}`);
    expect(plan.ended).toBe(true);
    expect(plan).not.toHaveProperty("join");
  });
});

describe("parsePlan: line endings and blank lines", () => {
  const text = fixture("mixed-literals.txt");

  it("CRLF line endings give the same plan and line numbers as LF", () => {
    expect(parsePlan(text.replace(/\n/g, "\r\n"))).toEqual(parsePlan(text));
  });

  it("blank and whitespace-only lines are skipped but still counted", () => {
    const plan = parseClean(`\n   \n\t\n1. get_email_address("Sid")\n\n2. join()${END_OF_PLAN}`);
    expect(plan.steps[0]!.line).toBe(4);
    expect(plan.join!.line).toBe(6);
  });

  it("an empty text is an empty, unended plan without problems", () => {
    expect(parsePlan("")).toEqual({ plan: { steps: [], ended: false }, problems: [] });
  });

  it("a lone carriage return inside a string is kept", () => {
    expect(parseClean(`1. create_note("a\rb", "", None)`).steps[0]!.args[0]).toBe("a\rb");
  });
});

describe("parsePlan: problems", () => {
  it("named arguments are a problem, but the step is still read", () => {
    const { plan, problems } = parsePlan(`1. create_note(name="x", content="y", folder=None)`);
    expect(plan.steps[0]!.args).toEqual(["x", "y", null]);
    expect(problems).toEqual([
      expect.objectContaining({ code: "named-argument", severity: "error", line: 1, step: 1 }),
    ]);
    expect(problems[0]!.message).toContain("name, content, folder");
  });

  it.each([
    ["Sure! Here is the plan:", "expected a numbered call"],
    ["- get_email_address('Sid')", "expected a numbered call"],
    ["```", "expected a numbered call"],
    ["2. Send the email to Sid", "a numbered line must be a call"],
    ["3.", "a numbered line must be a call"],
    ["get_email_address('Sid')", "expected a numbered call"],
  ])("unknown line %j is a syntax problem with its line number", (line, message) => {
    const { plan, problems } = parsePlan(`1. get_email_address("Sid")\n\n${line}\n4. join()`);
    expect(plan.steps).toHaveLength(1);
    expect(plan.join?.index).toBe(4);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "syntax", severity: "error", line: 3 });
    expect(problems[0]!.message).toContain(message);
    expect(problems[0]!.message).toContain(JSON.stringify(line.trim()));
  });

  it.each([
    [`1. get_email_address("Sid)`, "string is not closed on this line"],
    [`1. get_email_address('Sid"`, "string is not closed on this line"],
    [`1. get_email_address("Sid"`, "missing closing parenthesis"],
    [`1. send_sms(["1", "2", "hi")`, 'expected "," or "]" in a list'],
    [`1. get_email_address("Sid") and then more`, "unexpected text after the call"],
    [`1. get_email_address("Sid"))`, "unexpected text after the call"],
    [`1. get_email_address("Sid") # comment`, "unexpected text after the call"],
    [`1. get_email_address(Sid)`, '"Sid" is not a literal'],
    [`1. get_email_address(("Sid"))`, 'unexpected character "("'],
    [`1. get_email_address(f"Sid")`, '"f" is not a literal'],
  ])("%j is a syntax problem (%s) and no step", (text, reason) => {
    const { plan, problems } = parsePlan(text);
    expect(plan.steps).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ code: "syntax", severity: "error", line: 1, step: 1 });
    expect(problems[0]!.message).toContain(reason);
  });

  it("a syntax problem reports the column", () => {
    const problem = onlyProblem(`1. get_email_address("Sid" "Ann")`);
    expect(problem.message).toContain("(column 28)");
  });

  it("never evaluates code: __import__(...) is a problem, not executed", () => {
    const g = globalThis as { __import__?: unknown; __planPwned?: boolean };
    g.__import__ = () => {
      g.__planPwned = true;
      return { system: () => "ran" };
    };
    try {
      const { plan, problems } = parsePlan(`1. create_note(__import__('os').system('x'), "", None)`);
      expect(plan.steps).toEqual([]);
      expect(problems).toEqual([expect.objectContaining({ code: "syntax", line: 1 })]);
      expect(problems[0]!.message).toContain('"__import__" is not a literal');
      expect(g.__planPwned).toBeUndefined();
    } finally {
      delete g.__import__;
      delete g.__planPwned;
    }
  });

  it("a Thought before an unreadable step is not attached to the next good step", () => {
    const { plan } = parsePlan(`Thought: for step 1\n1. get_email_address(Sid)\n2. get_email_address("Ann")`);
    expect(plan.steps.map((s) => s.index)).toEqual([2]);
    expect(plan.steps[0]).not.toHaveProperty("thought");
  });

  it("keeps reading after a bad line: later steps are still parsed", () => {
    const { plan, problems } = parsePlan(
      `1. get_email_address("Sid\n2. get_email_address("Ann")\nnonsense\n3. join()`,
    );
    expect(plan.steps.map((s) => [s.index, s.line])).toEqual([[2, 2]]);
    expect(problems.map((p) => p.line)).toEqual([1, 3]);
    expect(plan.join).toEqual({ index: 3, line: 4 });
  });

  it("huge step numbers do not throw", () => {
    const { plan } = parsePlan(`${"9".repeat(400)}. get_email_address("Sid")`);
    expect(plan.steps).toHaveLength(1);
  });

  it("problems come back in line order", () => {
    const { problems } = parsePlan(`junk\n1. f(x)\nmore junk\nThought: dangling`);
    expect(problems.map((p) => p.line)).toEqual([1, 2, 3, 4]);
  });

  it("plans from the three fixtures parse without problems", () => {
    for (const name of ["python-literals.txt", "json-literals.txt", "mixed-literals.txt"]) {
      const { plan, problems } = parsePlan(fixture(name));
      expect(problems, name).toEqual([]);
      expect(withoutLines(plan), name).toMatchObject({ ended: true });
    }
  });
});
