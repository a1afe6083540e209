import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { readArgumentList } from "../../src/agent/plan/literal";
import { MAX_DATE_WORDS, normalizeStep } from "../../src/agent/plan/normalize";
import { OpenLine } from "../../src/agent/plan/open-line";
import { parsePlan } from "../../src/agent/plan/parse";
import { END_OF_PLAN, type Step } from "../../src/agent/plan/plan";
import { parseLocalDateTime } from "../../src/tools/formats";
import { defaultRegistry } from "../../src/tools/registry";
import {
  chunksOf,
  cpuMs,
  FIXTURES,
  fixture,
  omit,
  SEED,
  shapeIssues,
  splitAt,
  streamChunks,
  unaccountedLines,
} from "./helpers";

const CORPUS = [
  ...FIXTURES.map(fixture),
  `Thought: a\n1. get_email_address("Sid")\n2. send_sms("$1", 'hi ${1}')\n3. join()\n${END_OF_PLAN}`,
  `1. create_reminder("x", "2024-06-03", "", "", 0, True)\r\n2. join()${END_OF_PLAN}`,
];

/** Characters that matter to the grammar, plus line breaks, unicode and lone surrogates. */
const SYNTAX_CHARS = [
  ..."()[]{}\"',.:=$\\ \t\n\r#-+0123456789_aeTFN",
  "\r\n",
  "join",
  "Thought:",
  "None",
  "True",
  "null",
  "name=",
  END_OF_PLAN,
  "<END_OF",
  "😀",
  "\ud800",
  "\u2028",
  "\ufeff",
  "\0",
];

const syntaxText = fc
  .array(fc.constantFrom(...SYNTAX_CHARS), { maxLength: 120 })
  .map((parts) => parts.join(""));
const anyText = fc.string({ unit: "binary", maxLength: 200 });
const lineText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        "1. get_email_address('Sid')",
        "2. join()",
        "Thought: hmm",
        END_OF_PLAN,
        "",
        "  ",
        "x = 1",
      ),
      syntaxText,
    ),
    { maxLength: 8 },
  )
  .map((lines) => lines.join("\n"));

type Mutation =
  | { kind: "insert"; at: number; text: string }
  | { kind: "delete"; at: number; length: number }
  | { kind: "replace"; at: number; text: string }
  | { kind: "shuffle"; seed: number }
  | { kind: "duplicate"; at: number }
  | { kind: "truncate"; at: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.nat(),
    text: fc.oneof(fc.constantFrom(...SYNTAX_CHARS), anyText),
  }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 12 }) }),
  fc.record({ kind: fc.constant("replace" as const), at: fc.nat(), text: fc.constantFrom(...SYNTAX_CHARS) }),
  fc.record({ kind: fc.constant("shuffle" as const), seed: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(text: string, m: Mutation): string {
  const at = (n: number, length: number) => (length === 0 ? 0 : n % (length + 1));
  switch (m.kind) {
    case "insert": {
      const i = at(m.at, text.length);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case "delete": {
      const i = at(m.at, text.length);
      return text.slice(0, i) + text.slice(i + m.length);
    }
    case "replace": {
      const i = at(m.at, text.length);
      return text.slice(0, i) + m.text + text.slice(i + 1);
    }
    case "shuffle": {
      const lines = text.split("\n");
      let state = m.seed;
      for (let i = lines.length - 1; i > 0; i--) {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        const j = state % (i + 1);
        [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      }
      return lines.join("\n");
    }
    case "duplicate": {
      const lines = text.split("\n");
      const i = m.at % lines.length;
      lines.splice(i, 0, lines[i]!);
      return lines.join("\n");
    }
    case "truncate":
      return text.slice(0, at(m.at, text.length));
  }
}

const mutatedPlan = fc
  .tuple(fc.constantFrom(...CORPUS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([base, mutations]) => mutations.reduce(mutate, base));

const anyInput = fc.oneof(mutatedPlan, syntaxText, anyText, lineText);

/** The parse-level invariants: shape, messages, line numbers and "no line silently dropped". */
function expectSound(text: string, result: ReturnType<typeof parsePlan>): void {
  expect(shapeIssues(result, text)).toEqual([]);
  expect(unaccountedLines(text, result)).toEqual([]);
}

describe("fuzz: parsePlan and checkPlan on hostile input", () => {
  it("never throw, and account for every line (random text)", () => {
    fc.assert(
      fc.property(fc.oneof(syntaxText, anyText, lineText), (text) => {
        expectSound(text, parsePlan(text));
        const checked = checkPlan(text, defaultRegistry);
        expect(shapeIssues(checked, text)).toEqual([]);
        expect(checked.valid).toBe(checked.problems.every((p) => p.severity === "warning"));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("never throw, and account for every line (mutated valid plans)", () => {
    fc.assert(
      fc.property(mutatedPlan, (text) => {
        const parsed = parsePlan(text);
        expectSound(text, parsed);
        const checked = checkPlan(text, defaultRegistry);
        expect(checked.plan).toEqual(parsed.plan);
        expect(shapeIssues(checked, text)).toEqual([]);
        // checkPlan keeps every parse problem and sorts by line (problems without a line last).
        for (const problem of parsed.problems) expect(checked.problems).toContainEqual(problem);
        const lines = checked.problems.map((p) => p.line ?? Infinity);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it("an unmutated corpus plan is valid (the mutations start from valid plans)", () => {
    for (const text of CORPUS) expect(checkPlan(text, defaultRegistry).problems).toEqual([]);
  });

  it("a long line, deep nesting and many lines do not blow up", () => {
    const texts = [
      `1. create_note("${"x".repeat(200_000)}", "", None)`,
      `1. f(${"[".repeat(50_000)})`,
      `1. f(${"[".repeat(20)}${"]".repeat(20)})`,
      Array.from({ length: 5000 }, (_, i) => `${i + 1}. get_email_address("p${i}")`).join("\n"),
      "\n".repeat(100_000),
      "(".repeat(100_000),
      `1. f("${"\\".repeat(100_001)}")`,
    ];
    for (const text of texts) expectSound(text, parsePlan(text));
  });

  it("problems point at lines that exist, for any text (strict)", () => {
    fc.assert(
      fc.property(anyInput, (text) => {
        expect(shapeIssues(parsePlan(text), text)).toEqual([]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

describe("fuzz: the stream parser", () => {
  it("never throws on any input in any chunking, and gives well-formed results", () => {
    fc.assert(
      fc.property(anyInput, fc.array(fc.nat(300), { maxLength: 30 }), (text, cuts) => {
        const result = streamChunks(splitAt(text, cuts));
        expect(shapeIssues(result, text)).toEqual([]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  // The realistic streaming case: the planner stops right after <END_OF_PLAN>.
  it("matches parsePlan and drops no line when the text ends at <END_OF_PLAN>", () => {
    const upToEnd = (text: string) => {
      const end = text.indexOf(END_OF_PLAN);
      return end === -1 ? text : text.slice(0, end + END_OF_PLAN.length);
    };
    fc.assert(
      fc.property(anyInput.map(upToEnd), fc.array(fc.nat(300), { maxLength: 30 }), (text, cuts) => {
        const streamed = streamChunks(splitAt(text, cuts));
        expect({ plan: streamed.plan, problems: streamed.problems }).toEqual(parsePlan(text));
        expect(shapeIssues(streamed, text)).toEqual([]);
        expect(unaccountedLines(text, streamed)).toEqual([]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("matches parsePlan for any text, fed one character at a time", () => {
    fc.assert(
      fc.property(anyInput, (text) => {
        const streamed = streamChunks([...text]);
        expect({ plan: streamed.plan, problems: streamed.problems }).toEqual(parsePlan(text));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it("matches parsePlan and drops no line for any text in any chunking", () => {
    fc.assert(
      fc.property(anyInput, fc.array(fc.nat(300), { maxLength: 30 }), (text, cuts) => {
        const streamed = streamChunks(splitAt(text, cuts));
        expect({ plan: streamed.plan, problems: streamed.problems }).toEqual(parsePlan(text));
        expect(unaccountedLines(text, streamed)).toEqual([]);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});

// The checks above are only as good as their oracle: show it catches what it is meant to catch.
describe("the fuzz oracle itself", () => {
  const text = `Thought: t\n1. get_email_address("Sid")\nnonsense\n2. join()`;

  it("accepts the real parse of a text", () => {
    const result = parsePlan(text);
    expect(unaccountedLines(text, result)).toEqual([]);
    expect(shapeIssues(result, text)).toEqual([]);
  });

  it("reports a dropped step, a dropped problem, a dropped join and a lost thought", () => {
    const real = parsePlan(text);
    const withoutStep = { ...real, plan: { ...real.plan, steps: [] } };
    expect(unaccountedLines(text, withoutStep)).toEqual([
      'line 1: "Thought: t"',
      'line 2: "1. get_email_address(\\"Sid\\")"',
    ]);
    expect(unaccountedLines(text, { ...real, problems: [] })).toEqual(['line 3: "nonsense"']);
    expect(unaccountedLines(text, { ...real, plan: omit(real.plan, "join") })).toEqual([
      'line 4: "2. join()"',
    ]);
    const thoughtless = {
      ...real,
      plan: { ...real.plan, steps: real.plan.steps.map((s) => omit(s, "thought")) },
    };
    expect(unaccountedLines(text, thoughtless)).toEqual(['line 1: "Thought: t"']);
  });

  it("reports empty messages and impossible line numbers", () => {
    const real = parsePlan(text);
    const bad = {
      ...real,
      problems: [
        { ...real.problems[0]!, message: " " },
        { ...real.problems[0]!, line: 9 },
      ],
    };
    expect(shapeIssues(bad, text)).toHaveLength(2);
  });
});

/**
 * What the stream parser did before it watched lines incrementally: on every chunk, each end marker of the
 * unfinished line was tried in turn by reading the line up to it (issue 17, item 5: quadratic, and worse when
 * streamed). Kept here as the reference the incremental watch must agree with.
 */
const CALL = /^\s*(\d+)\s*\.\s*([A-Za-z_]\w*)\s*\(/;
function endedByMarkerBefore(buffer: string): string | undefined {
  for (let at = buffer.indexOf(END_OF_PLAN); at !== -1; at = buffer.indexOf(END_OF_PLAN, at + 1)) {
    const candidate = buffer.slice(0, at + END_OF_PLAN.length);
    if (candidate.trim() === END_OF_PLAN) return candidate;
    const head = CALL.exec(candidate);
    if (!head) return undefined;
    try {
      const args = readArgumentList(candidate, head[0].length);
      if (candidate.slice(args.end).trim() === END_OF_PLAN) return candidate;
    } catch {
      // inside an unfinished call: keep reading
    }
  }
  return undefined;
}

/** Pieces that make markers, strings, escapes and brackets meet in every way, repeated into long lines. */
const LINE_PIECES = [
  END_OF_PLAN,
  "<END_OF_",
  "PLAN>",
  '"',
  "'",
  "\\",
  "\\'",
  '\\"',
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ",",
  ":",
  " ",
  "\t",
  "\u00a0",
  "1",
  ".",
  "1. f(",
  "2. join()",
  "x",
  "None",
  "name=",
  "😀",
];
const linePiece = fc.constantFrom(...LINE_PIECES);
/** A string literal holding the pieces, quoted and escaped as a planner would write it. */
const stringLiteral = fc
  .tuple(fc.array(linePiece, { maxLength: 6 }), fc.constantFrom('"', "'"))
  .map(([pieces, quote]) => {
    const text = pieces.join("").replace(/\\/g, "\\\\").replaceAll(quote, `\\${quote}`);
    return `${quote}${text}${quote}`;
  });
const literal = fc.oneof(stringLiteral, fc.constantFrom("None", "True", "1", "[]", "-2.5"));
/** Calls whose strings hold quotes, brackets, parentheses and markers, then what may follow a call. */
const callLine = fc
  .tuple(
    fc.constantFrom("1. f(", "  2 . create_note (", "3.g("),
    fc.array(
      fc.oneof(
        literal,
        fc.array(literal, { maxLength: 3 }).map((items) => `[${items.join(", ")}]`),
      ),
      {
        maxLength: 4,
      },
    ),
    fc.constantFrom(")", ")", ",)", " )", ""),
    fc.array(fc.constantFrom(" ", "\t", END_OF_PLAN, "<END_OF_", "PLAN>", "x", ")", '"'), { maxLength: 4 }),
  )
  .map(([head, args, close, tail]) => `${head}${args.join(", ")}${close}${tail.join("")}`);
const unfinishedLine = fc.oneof(
  callLine,
  fc
    .tuple(
      fc.constantFrom("", "  ", "1. create_note(", "2. join()", " 3 . f (", "Thought: "),
      fc.array(fc.oneof(linePiece, fc.constantFrom(" ", END_OF_PLAN)), { maxLength: 40 }),
    )
    .map(([start, pieces]) => start + pieces.join("")),
);

/** A short random line repeated up to 40 KB: big enough that quadratic work shows, small enough to run often. */
const amplified = fc
  .tuple(
    fc.oneof(lineText, fc.constantFrom(...CORPUS)),
    fc.array(linePiece, { minLength: 1, maxLength: 12 }).map((pieces) => pieces.join("")),
    fc.integer({ min: 100, max: 4_000 }),
    fc.oneof(fc.constant(""), lineText),
  )
  .map(([prefix, piece, times, suffix]) => `${prefix}${piece.repeat(times)}${suffix}`.slice(0, 40_000));

describe("fuzz: the parser's work grows with the text, not its square", () => {
  it("the incremental end-marker watch agrees with reading every marker again, in any chunking", () => {
    fc.assert(
      fc.property(unfinishedLine, fc.array(fc.nat(200), { maxLength: 12 }), (line, cuts) => {
        const open = new OpenLine();
        let fed = "";
        for (const chunk of splitAt(line, cuts)) {
          const end = open.watch(chunk);
          fed += chunk;
          const before = endedByMarkerBefore(fed);
          expect(end === undefined ? undefined : fed.slice(0, end)).toBe(before);
          if (end !== undefined) return;
        }
      }),
      { seed: SEED, numRuns: 4000 },
    );
  });

  it("long crafted lines parse and stream within a bound per input, with the same result", () => {
    let slowest = 0;
    fc.assert(
      fc.property(amplified, fc.integer({ min: 1, max: 8 }), (text, size) => {
        let whole: ReturnType<typeof parsePlan> | undefined;
        let streamed: ReturnType<typeof streamChunks> | undefined;
        const ms = cpuMs(() => {
          whole = parsePlan(text);
          streamed = streamChunks(chunksOf(text, size));
        });
        slowest = Math.max(slowest, ms);
        // Linear work is a few ms here; the quadratic parser took seconds on such lines.
        expect(ms).toBeLessThan(750);
        expect({ plan: streamed!.plan, problems: streamed!.problems }).toEqual(whole);
        expect(shapeIssues(whole!, text)).toEqual([]);
      }),
      { seed: SEED, numRuns: 150 },
    );
    expect(slowest).toBeGreaterThan(0);
  });
});

/** Date-ish words and the characters around them, for arguments a planner might write. */
const DATE_WORDS = [
  "tomorrow",
  "today",
  "next",
  "friday",
  "june",
  "1st",
  "at",
  "3",
  "pm",
  "noon",
  "12:30",
  "in two days",
  "2024",
  "-",
  "/",
  ":",
  ",",
  " ",
  "T",
  "Z",
  "+0200",
  "until",
  "to",
  "$1",
  "${2}",
  "\n",
  "😀",
];
const dateText = fc.oneof(
  fc.array(fc.constantFrom(...DATE_WORDS), { maxLength: 60 }).map((words) => words.join("")),
  fc
    .tuple(
      fc.array(fc.constantFrom(...DATE_WORDS), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 20_000 }),
    )
    .map(([words, times]) => words.join("").repeat(times)),
  fc.string({ unit: "binary", maxLength: 300 }),
);

describe("fuzz: the date reader", () => {
  const context = { now: new Date("2024-06-03T10:05:00Z"), timeZone: "Europe/Paris" };
  const step = (due: string, start: string): Step[] => [
    { index: 1, tool: "create_reminder", args: ["Pay", due, "", "", 0, false], line: 1 },
    { index: 2, tool: "create_calendar_event", args: ["Lunch", start, start, "", [], "", null], line: 2 },
  ];

  it("reads any argument within a bound, into a real date or not at all; long text is left with a warning", () => {
    fc.assert(
      fc.property(dateText, dateText, (due, start) => {
        for (const original of step(due, start)) {
          let result: ReturnType<typeof normalizeStep> | undefined;
          const ms = cpuMs(() => (result = normalizeStep(original, defaultRegistry, context)));
          expect(ms).toBeLessThan(500);
          for (const change of result!.changes) {
            expect(change.from.length).toBeLessThanOrEqual(MAX_DATE_WORDS);
            expect(parseLocalDateTime(change.to)).toBeDefined();
          }
          for (const problem of result!.problems) {
            expect(problem).toMatchObject({ code: "unread-date", severity: "warning", step: original.index });
          }
          const long = original.args.filter((arg) => typeof arg === "string" && arg.length > MAX_DATE_WORDS);
          expect(result!.problems.length).toBeLessThanOrEqual(long.length);
        }
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });
});
