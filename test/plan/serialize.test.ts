import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/agent/plan/parse";
import { END_OF_PLAN, type JoinMarker, type Plan, type Step, type Value } from "../../src/agent/plan/plan";
import { serializePlan, serializeValue } from "../../src/agent/plan/serialize";
import { FIXTURES, fixture, planOf, SEED, step, withoutLines } from "./helpers";

describe("serializeValue", () => {
  it.each([
    [null, "None"],
    [true, "True"],
    [false, "False"],
    [0, "0"],
    [-0, "-0"],
    [-12, "-12"],
    [2.5, "2.5"],
    [1e21, "1e+21"],
    ["", '""'],
    ["it's", `"it's"`],
    ['say "hi"', String.raw`"say \"hi\""`],
    ["back\\slash", String.raw`"back\\slash"`],
    ["a\nb\r\tc", String.raw`"a\nb\r\tc"`],
    ["\0\x07\x1b\x7f", String.raw`"\u0000\u0007\u001b\u007f"`],
    ["\u2028\u2029", String.raw`"\u2028\u2029"`],
    ["😀 שלום é", `"😀 שלום é"`],
    ["\ud800x\udfff", String.raw`"\ud800x\udfff"`],
    ["$1", `"$1"`],
    [[], "[]"],
    [["a", 1, [null, [true]]], '["a", 1, [None, [True]]]'],
    [{ a: 1, "b c": ["x"] }, '{"a": 1, "b c": ["x"]}'],
  ])("%j -> %s", (value, text) => {
    expect(serializeValue(value as Value)).toBe(text);
  });
});

describe("serializePlan", () => {
  it("writes the canonical text: one call per line, Python literals, double quotes", () => {
    const plan: Plan = {
      steps: [
        step(1, "get_email_address", ["Sid"], "Find Sid.\nThen mail him."),
        step(2, "compose_new_email", [["$1"], [], 'It\'s "done"', "see ${1}", []]),
        step(3, "create_reminder", ["Follow up", null, "", "", 5, true]),
      ],
      join: { index: 4, thought: "Done.", line: 9 },
      ended: true,
    };
    expect(serializePlan(plan)).toBe(
      [
        "Thought: Find Sid.",
        "Thought: Then mail him.",
        `1. get_email_address("Sid")`,
        '2. compose_new_email(["$1"], [], "It\'s \\"done\\"", "see ${1}", [])',
        `3. create_reminder("Follow up", None, "", "", 5, True)`,
        "Thought: Done.",
        "4. join()<END_OF_PLAN>",
      ].join("\n"),
    );
  });

  it("writes join() without the marker when the plan did not end", () => {
    expect(serializePlan({ ...planOf(step(1, "f")), ended: false })).toBe("1. f()\n2. join()");
  });

  it("writes a lone marker for an ended plan without join, and nothing for an empty plan", () => {
    expect(serializePlan({ steps: [step(1, "f")], ended: true })).toBe(`1. f()\n${END_OF_PLAN}`);
    expect(serializePlan({ steps: [], ended: false })).toBe("");
  });

  it.each(FIXTURES)("canonicalizes fixture %s: parse(serialize(parse(text))) is the same plan", (name) => {
    const { plan } = parsePlan(fixture(name));
    const text = serializePlan(plan);
    expect(text).not.toMatch(/\b(true|false|null)\b/); // keywords are Python's
    const again = parsePlan(text);
    expect(again.problems).toEqual([]);
    expect(withoutLines(again.plan)).toEqual(withoutLines(plan));
  });

  it("writes the golden canonical text for the Python fixture", () => {
    const golden = fixture("python-literals.canonical.txt").replace(/\n$/, "");
    expect(serializePlan(parsePlan(fixture("python-literals.txt")).plan)).toBe(golden);
    // The same plan spelt with JSON literals and odd spacing has the same canonical text.
    const json = [
      "Thought: First, find Lutfi's email address.",
      '1.get_email_address( "Lutfi" )',
      "thought:Then schedule the Zoom call and put it in the calendar.",
      '2. get_zoom_meeting_link("Project sync","2024-06-03 15:00:00",60,["$1"],)',
      '3. create_calendar_event("Project sync", "2024-06-03 15:00:00", "2024-06-03 16:00:00", "", ["$1"], "Join: ${2}", null)',
      '4. create_reminder("Prepare the slides", "2024-06-03 14:00:00", "", "", 1, false)',
      "5. send_sms(['$1'], 'It\\'s booked, see ${2}')",
      "6. join()",
      "<END_OF_PLAN>",
    ].join("\r\n");
    expect(serializePlan(parsePlan(json).plan)).toBe(golden);
  });

  it("the canonical text is a fixed point: serialize(parse(serialize(p))) === serialize(p)", () => {
    for (const name of FIXTURES) {
      const once = serializePlan(parsePlan(fixture(name)).plan);
      expect(serializePlan(parsePlan(once).plan)).toBe(once);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Round trip property: parsePlan(serializePlan(plan)).plan equals plan (ignoring `line`) for random plans.

/** Pieces that stress quoting; mixed with arbitrary text (all code points) into strings. */
const TRICKY = [
  '"',
  "'",
  "\\",
  "\\n",
  "\n",
  "\r",
  "\r\n",
  "\t",
  "\0",
  "\x07",
  "\x1b",
  "\x7f",
  "\u0085",
  "\u2028",
  "\u2029",
  "\ufeff",
  "\u200f",
  "\u202e",
  "\ud800",
  "\udbff",
  "\udc00",
  "\udfff",
  "😀",
  "👩‍👩‍👧",
  "é",
  "e\u0301",
  "שלום",
  "مرحبا",
  "中文",
  "$1",
  "${2}",
  "$1,200",
  "$20",
  "Thought:",
  "1. join()",
  "#",
  ")",
  "(",
  "]",
  "[",
  ",",
  "=",
  " ",
];

const trickyString = (pieces: string[]) =>
  fc
    .array(fc.oneof(fc.constantFrom(...pieces), fc.string({ unit: "binary", maxLength: 8 })), {
      maxLength: 8,
    })
    .map((parts) => parts.join(""));

function valueArbitrary(strings: fc.Arbitrary<string>): fc.Arbitrary<Value> {
  const { value } = fc.letrec<{ value: Value }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      strings,
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.constantFrom(0, -0, 1e21, 5e-324, -1.5, Number.MAX_SAFE_INTEGER),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 4 }),
      fc.dictionary(strings, tie("value"), { maxKeys: 3, noNullPrototype: true }),
    ),
  }));
  return value;
}

/** Thought text as the parser can produce it: lines without line breaks and without trailing spaces. */
const thoughtArbitrary = fc.option(
  fc
    .array(
      trickyString(TRICKY.filter((piece) => !/[\n\r\u2028\u2029]/.test(piece))).map((line) =>
        line.replace(/[\n\r\u2028\u2029]/g, " ").trimEnd(),
      ),
      { minLength: 1, maxLength: 3 },
    )
    .map((lines) => lines.join("\n")),
  { nil: undefined },
);

const toolName = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,24}$/).filter((name) => name !== "join");

function planArbitrary(
  strings: fc.Arbitrary<string>,
  options: { join: "optional" | "always" },
): fc.Arbitrary<Plan> {
  const stepArbitrary = fc.record({
    index: fc.nat({ max: 1_000_000 }),
    tool: toolName,
    args: fc.array(valueArbitrary(strings), { maxLength: 6 }),
    thought: thoughtArbitrary,
  });
  const joinArbitrary = fc.record({ index: fc.nat({ max: 1000 }), thought: thoughtArbitrary });
  return fc
    .record({
      steps: fc.array(stepArbitrary, { maxLength: 6 }),
      join: options.join === "always" ? joinArbitrary : fc.option(joinArbitrary, { nil: undefined }),
      ended: fc.boolean(),
    })
    .map(({ steps, join, ended }) => {
      const plan: Plan = {
        steps: steps.map(({ thought, ...rest }, i): Step => ({
          ...rest,
          ...(thought === undefined ? {} : { thought }),
          line: i,
        })),
        ended,
      };
      if (join) {
        const marker: JoinMarker = { index: join.index, line: 0 };
        if (join.thought !== undefined) marker.thought = join.thought;
        plan.join = marker;
      }
      return plan;
    });
}

describe("serializePlan round trip (property)", () => {
  it("parsePlan(serializePlan(plan)) gives back the plan, without problems", () => {
    const strings = trickyString(TRICKY);
    fc.assert(
      fc.property(planArbitrary(strings, { join: "optional" }), (plan) => {
        const text = serializePlan(plan);
        const parsed = parsePlan(text);
        expect(parsed.problems).toEqual([]);
        expect(withoutLines(parsed.plan)).toEqual(withoutLines(plan));
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it("also when strings contain <END_OF_PLAN>, for plans closed by join()", () => {
    const strings = trickyString([...TRICKY, END_OF_PLAN, "<END_OF", "PLAN>"]);
    fc.assert(
      fc.property(planArbitrary(strings, { join: "always" }), (plan) => {
        const parsed = parsePlan(serializePlan(plan));
        expect(parsed.problems).toEqual([]);
        expect(withoutLines(parsed.plan)).toEqual(withoutLines(plan));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("keeps the exact number values, including -0", () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const parsed = parsePlan(serializePlan(planOf(step(1, "f", [n])))).plan.steps[0]!.args[0];
        expect(Object.is(parsed, n)).toBe(true);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("keeps every UTF-16 string exactly, lone surrogates included", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)) }),
        (s) => {
          const parsed = parsePlan(serializePlan(planOf(step(1, "f", [s])))).plan.steps[0]!.args[0];
          expect(parsed).toBe(s);
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  // Regression test (fixed parser bug).
  it("round-trips a string containing <END_OF_PLAN> on the last line", () => {
    const plan: Plan = { steps: [step(1, "create_note", ["x", `a ${END_OF_PLAN} b`, null])], ended: false };
    const parsed = parsePlan(serializePlan(plan));
    expect(parsed.problems).toEqual([]);
    expect(withoutLines(parsed.plan)).toEqual(withoutLines(plan));
  });
});
