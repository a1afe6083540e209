import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveArguments } from "../../src/agent/executor/resolve";
import { checkPlan } from "../../src/agent/plan/check";
import { numberRangeAlternatives, planGrammar, type GrammarOptions } from "../../src/agent/plan/grammar";
import { END_OF_PLAN } from "../../src/agent/plan/plan";
import { referencesIn } from "../../src/agent/plan/references";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import { toolParams, type AnyTool } from "../../src/tools/tool";
import { parseGbnf, sample, seededRng, toRegExp, type Rng, type SampleOptions } from "./gbnf";

const SEED = 20_240_611;
const ALL_NAMES = TOOLS.map((tool) => tool.name);

function toolsNamed(names: readonly string[]): AnyTool[] {
  const unknown = names.filter((name) => !ALL_NAMES.includes(name as never));
  if (unknown.length > 0) throw new Error(`no such tools: ${unknown.join(", ")}`);
  return TOOLS.filter((tool) => names.includes(tool.name));
}

const regexCache = new Map<string, RegExp>();

/** The plan grammar for the named tools, as a regular expression (cached: building one takes a moment). */
function planRegExp(names: readonly string[], options: GrammarOptions = {}): RegExp {
  const key = JSON.stringify([names, options]);
  let regex = regexCache.get(key);
  if (!regex) {
    regex = toRegExp(parseGbnf(planGrammar(toolsNamed(names), options)));
    regexCache.set(key, regex);
  }
  return regex;
}

const accepts = (names: readonly string[], plan: string, options: GrammarOptions = { maxSteps: 4 }) =>
  planRegExp(names, options).test(plan);

/** Errors checkPlan finds with only the named tools available. */
const errorsOf = (names: readonly string[], plan: string) =>
  checkPlan(plan, defaultRegistry.subset(names)).problems.filter((p) => p.severity === "error");

/** A plan from numbered call lines: `plan("a()", "b()")` is `1. a()\n2. b()\n3. join()<END_OF_PLAN>`. */
const plan = (...calls: string[]) =>
  [...calls.map((call, i) => `${i + 1}. ${call}\n`), `${calls.length + 1}. join()${END_OF_PLAN}`].join("");

/** Steers sampling towards longer plans: after each call, go on to another with chance `goOn`. */
function longerPlans(goOn: number): SampleOptions["choose"] {
  return (rule: string, count: number, rng: Rng) =>
    /^step\d+$/.test(rule) && count === 2 ? (rng() < goOn ? 1 : 0) : Math.floor(rng() * count);
}

describe("planGrammar output is well-formed GBNF", () => {
  it.each(ALL_NAMES)("for %s alone", (name) => {
    const text = planGrammar(toolsNamed([name]), { maxSteps: 3 });
    const grammar = parseGbnf(text);
    // Small enough to inline into a regular expression, which also proves it has no recursion.
    expect(() => toRegExp(grammar)).not.toThrow();
    expect(text.endsWith("\n")).toBe(true);
  });

  it("for all 16 tools with the default options, at a reasonable size", () => {
    const text = planGrammar(TOOLS);
    const grammar = parseGbnf(text);
    // With the defaults (12 steps, 300 characters, 8 items): 279 rules, about 24 KB.
    expect(grammar.rules.size).toBeLessThanOrEqual(300);
    expect(text.length).toBeLessThanOrEqual(30_000);
    // Steps grow the grammar linearly, not more.
    const twice = planGrammar(TOOLS, { maxSteps: 24 });
    expect(twice.length).toBeLessThan(2.3 * text.length);
    // Text length and list size are counted repetitions, not unrolled rules.
    expect(planGrammar(TOOLS, { maxTextLength: 5000, maxListItems: 100 }).length).toBeLessThan(
      text.length + 100,
    );
  });

  it("for random tool subsets and options", () => {
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...TOOLS], { minLength: 1 }),
        fc.record({
          maxSteps: fc.integer({ min: 1, max: 20 }),
          maxTextLength: fc.integer({ min: 2, max: 2000 }),
          maxListItems: fc.integer({ min: 0, max: 50 }),
        }),
        (tools, options) => {
          const grammar = parseGbnf(planGrammar(tools, options));
          // One call rule per tool and step, and no rule for an unselected tool.
          const callRules = [...grammar.rules.keys()].filter((name) => /^[a-z-]+-\d+$/.test(name));
          expect(callRules.filter((name) => !name.startsWith("int-"))).toHaveLength(
            tools.length * options.maxSteps,
          );
        },
      ),
      { seed: SEED, numRuns: 100 },
    );
  });

  it("refuses an empty tool list and maxSteps < 1", () => {
    expect(() => planGrammar([])).toThrow();
    expect(() => planGrammar(TOOLS, { maxSteps: 0 })).toThrow();
  });

  // Regression: tiny text bounds once wrote `{0,-1}`, which llama.cpp refuses.
  it("for every maxTextLength from 1", () => {
    for (let maxTextLength = 1; maxTextLength <= 4; maxTextLength++) {
      expect(() =>
        parseGbnf(planGrammar(toolsNamed(["get_email_address"]), { maxTextLength })),
      ).not.toThrow();
    }
  });
});

describe("every sentence of the plan grammar is a valid plan", () => {
  it("sampled plans pass checkPlan with just the selected tools, and resolve in the executor", () => {
    const seen = { plans: 0, steps: 0, longest: 0, atMaxSteps: 0, references: 0, nonAscii: 0, money: 0 };
    let run = 0;
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...TOOLS], { minLength: 1 }),
        fc.record({
          maxSteps: fc.integer({ min: 1, max: 12 }),
          maxTextLength: fc.integer({ min: 2, max: 24 }),
          maxListItems: fc.integer({ min: 1, max: 4 }),
        }),
        fc.double({ min: 0.3, max: 0.95, noNaN: true }),
        fc.integer(),
        (tools, options, goOn, seed) => {
          const names = tools.map((tool) => tool.name);
          const registry = defaultRegistry.subset(names);
          const grammar = parseGbnf(planGrammar(tools, options));
          // The sampler is checked against toRegExp in gbnf.test.ts; recheck now and then on real grammars.
          const regex = run++ % 40 === 0 ? toRegExp(grammar) : undefined;
          const rng = seededRng(seed);
          for (let i = 0; i < 4; i++) {
            const text = sample(grammar, rng, { choose: longerPlans(goOn), longChance: 0.1 });
            if (regex) expect(regex.test(text), text).toBe(true);
            const checked = checkPlan(text, registry);
            // Not even warnings: nothing after the end, no stray thoughts.
            expect(checked.problems, text).toEqual([]);
            const { steps, join, ended } = checked.plan;
            expect(ended).toBe(true);
            expect(steps.length).toBeGreaterThanOrEqual(1);
            expect(steps.length).toBeLessThanOrEqual(options.maxSteps);
            expect(join?.index).toBe(steps.length + 1);
            expect(text.endsWith(`\n${steps.length + 1}. join()${END_OF_PLAN}`)).toBe(true);
            for (const step of steps) {
              const tool = registry.get(step.tool);
              expect(tool, text).toBeDefined();
              expect(names).toContain(step.tool);
              expect(step.args).toHaveLength(toolParams(tool!).length);
              for (const target of referencesIn(step.args)) {
                expect(target).toBeGreaterThanOrEqual(1);
                expect(target).toBeLessThan(step.index);
              }
              const resolved = resolveArguments(step, tool!, (n) => `result of step ${n}`);
              expect(resolved, text).toMatchObject({ ok: true });
              if (referencesIn(step.args).length > 0) seen.references++;
            }
            seen.plans++;
            seen.steps += steps.length;
            seen.longest = Math.max(seen.longest, steps.length);
            if (steps.length === options.maxSteps) seen.atMaxSteps++;
            if ([...text].some((c) => c.codePointAt(0)! > 0x7f)) seen.nonAscii++;
            if (/\$[^\d"]/.test(text)) seen.money++;
          }
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
    // The property only means something if the samples cover the interesting cases.
    expect(seen.plans).toBe(1200);
    expect(seen.longest).toBe(12);
    expect(seen.atMaxSteps).toBeGreaterThan(100);
    expect(seen.references).toBeGreaterThan(300);
    expect(seen.nonAscii).toBeGreaterThan(300);
    expect(seen.money).toBeGreaterThan(300);
  });

  /**
   * Text arguments built from the pieces that matter to references: whenever the grammar accepts one (in
   * step 1 and in step 2 of a plan), checkPlan must accept the plan too.
   */
  function textProperty(pieces: readonly string[]) {
    const names = ["get_email_address", "send_sms"];
    return fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 6 }), (parts) => {
      const text = parts.join("");
      for (const candidate of [
        plan(`get_email_address("${text}")`),
        plan(`get_email_address("Sid")`, `send_sms(["${text}"], "${text}")`),
      ]) {
        if (accepts(names, candidate)) expect(errorsOf(names, candidate), candidate).toEqual([]);
      }
    });
  }

  it("text made of $, braces, digits and escapes never hides a reference", () => {
    const pieces = [
      "$",
      "{",
      "}",
      "1",
      "2",
      "a",
      " ",
      '\\"',
      "\\\\",
      "\\/",
      "\\n",
      "\\u0041",
      "\\u007b",
      "\\u007B",
    ];
    fc.assert(textProperty(pieces), { seed: SEED, numRuns: 2000 });
  });

  // Regression: "\u0024" spells "$" once read, so the grammar allows no \u escapes in text at all.
  it("text written with \\u escapes never hides a reference", () => {
    expect(accepts(["get_email_address"], plan(`get_email_address("\\u00241")`))).toBe(false);
    expect(accepts(["get_email_address"], plan(`get_email_address("\\u0024{1}")`))).toBe(false);
    fc.assert(textProperty(["$", "{", "}", "1", "2", "a", "\\u0024", "\\u007b"]), {
      seed: SEED,
      numRuns: 2000,
    });
  });
});

describe("what the plan grammar rejects and accepts", () => {
  const contacts = ["get_email_address", "get_phone_number", "send_sms"];
  const calendar = ["create_calendar_event", "create_reminder", "get_zoom_meeting_link"];

  it("accepts realistic plans, which checkPlan accepts too", () => {
    const realistic: Array<[string[], string]> = [
      [
        ["get_email_address", "compose_new_email"],
        '1. get_email_address("Sid")\n2. compose_new_email(["$1"], [], "Q3 deck", "Here is the deck, lunch is $20 each", [])\n3. join()<END_OF_PLAN>',
      ],
      [
        ["get_email_address", "get_zoom_meeting_link", "create_calendar_event"],
        plan(
          'get_email_address("Lutfi")',
          'get_zoom_meeting_link("Q3 review", "2024-06-07 15:00:00", 60, ["$1"])',
          'create_calendar_event("Q3 review", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", ["$1"], "$2", None)',
        ),
      ],
      [
        ["open_and_get_file_path", "summarize_pdf", "create_note", "append_note_content"],
        plan(
          'open_and_get_file_path("Q3 report")',
          'summarize_pdf("$1")',
          'create_note("Café ☕ 日本 — notes", "$2", None)',
          'append_note_content("Café ☕ 日本 — notes", "שלום 😀 costs US$ 5, or 5$, or $ 5", "")',
        ),
      ],
      [["create_reminder"], plan('create_reminder("Pay rent", "2024-02-29", "", "", 1, True)')],
      [["create_reminder"], plan('create_reminder("Call mom", None, "", "Family", 0, False)')],
      [["create_reminder"], plan('create_reminder("Stand-up", "2024-12-31 09:30:00", "", "", 9, False)')],
      [["maps_show_directions"], plan('maps_show_directions("", "Golden Gate Park", "w")')],
      [
        ["get_phone_number", "send_sms"],
        plan('get_phone_number("Sid")', 'send_sms(["$1"], "Running late: \\"5 min\\" é\\n$")'),
      ],
      [
        ["reply_to_email", "forward_email"],
        plan('reply_to_email([], "Thanks!", [])', 'forward_email(["a@b.c"], ["$1"], "", [])'),
      ],
    ];
    for (const [names, text] of realistic) {
      expect(accepts(names, text), text).toBe(true);
      expect(checkPlan(text, defaultRegistry.subset(names)).problems, text).toEqual([]);
    }
  });

  it("rejects unknown and unselected tools", () => {
    expect(accepts(contacts, plan('get_weather("Paris")'))).toBe(false);
    expect(accepts(["get_email_address"], plan('send_sms(["1"], "hi")'))).toBe(false);
    expect(accepts(["get_email_address"], plan('get_email_address("Sid")'))).toBe(true);
    expect(accepts(["get_email_address"], plan('get_phone_number("Sid")'))).toBe(false);
  });

  it("rejects wrong argument counts", () => {
    expect(accepts(contacts, plan("get_email_address()"))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("Sid", "Lutfi")'))).toBe(false);
    expect(accepts(contacts, plan('send_sms(["1"])'))).toBe(false);
    expect(accepts(contacts, plan('send_sms(["1"], "hi", "x")'))).toBe(false);
    expect(accepts(["compose_new_email"], plan('compose_new_email(["a"], [], "s", "c")'))).toBe(false);
    expect(accepts(contacts, '1. get_email_address("Sid")\n2. join("x")<END_OF_PLAN>')).toBe(false);
  });

  it("rejects references to the step itself, later steps and step 0", () => {
    expect(accepts(contacts, plan('get_email_address("$1")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("$0")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("Sid")', 'send_sms(["$2"], "hi")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("Sid")', 'send_sms(["$1"], "$2")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("Sid")', 'send_sms(["$3"], "hi")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("Sid")', 'send_sms(["$1"], "$1")'))).toBe(true);
  });

  it('rejects a text that is exactly "$3" unless it is a reference to an earlier step', () => {
    const calls = ['get_email_address("Sid")', 'get_phone_number("Sid")', 'get_phone_number("Lutfi")'];
    expect(accepts(contacts, plan(calls[0]!, calls[1]!, 'send_sms(["1"], "$3")'))).toBe(false);
    expect(accepts(contacts, plan(calls[0]!, 'send_sms(["1"], "$3")'))).toBe(false);
    expect(accepts(contacts, plan(...calls, 'send_sms(["1"], "$3")'))).toBe(true);
    expect(accepts(contacts, plan('get_email_address("$12")'))).toBe(false);
    expect(accepts(contacts, plan('get_email_address("$3 each")'))).toBe(true);
    expect(accepts(contacts, plan('get_email_address("$")'))).toBe(true);
  });

  it('rejects text containing "${"', () => {
    for (const text of ["${1}", "total ${1}", "${", "a${b", "${x}"]) {
      expect(accepts(contacts, plan('get_email_address("Sid")', `send_sms(["1"], "${text}")`)), text).toBe(
        false,
      );
    }
    expect(accepts(contacts, plan('send_sms(["1"], "{1} and $ {1} and US$5")'))).toBe(true);
  });

  it("rejects impossible dates and times, accepts February 29 in leap years", () => {
    const event = (start: string) =>
      plan(`create_calendar_event("Review", "${start}", "2024-06-07 16:00:00", "", [], "", "")`);
    for (const bad of [
      "2025-02-29 10:00:00",
      "2024-04-31 10:00:00",
      "2024-13-01 10:00:00",
      "2024-00-10 10:00:00",
      "2024-06-00 10:00:00",
      "2024-06-07 25:00:00",
      "2024-06-07 24:00:00",
      "2024-06-07 10:60:00",
      "2024-06-07 10:00:60",
      "2024-06-07",
      "2024-06-07T10:00:00",
      "tomorrow",
      "",
    ]) {
      expect(accepts(calendar, event(bad)), bad).toBe(false);
    }
    for (const good of [
      "2024-02-29 10:00:00",
      "2000-02-29 00:00:00",
      "2025-02-28 23:59:59",
      "2024-12-31 12:00:00",
    ]) {
      expect(accepts(calendar, event(good)), good).toBe(true);
    }
    const reminder = (due: string) => plan(`create_reminder("Rent", ${due}, "", "", 0, True)`);
    expect(accepts(calendar, reminder('"2025-02-29"'))).toBe(false);
    expect(accepts(calendar, reminder('"2024-04-31 10:00:00"'))).toBe(false);
    for (const good of ['"2024-02-29"', '"2024-02-29 10:00:00"', '""', "None"]) {
      expect(accepts(calendar, reminder(good)), good).toBe(true);
    }
  });

  it("rejects out-of-range priorities and durations", () => {
    const reminder = (priority: string) => plan(`create_reminder("Rent", "", "", "", ${priority}, True)`);
    for (const bad of ["10", "-1", "01", "1.5", '"1"', "None"])
      expect(accepts(calendar, reminder(bad)), bad).toBe(false);
    for (const good of ["0", "1", "5", "9"]) expect(accepts(calendar, reminder(good)), good).toBe(true);
    const zoom = (duration: string) =>
      plan(`get_zoom_meeting_link("Sync", "2024-06-07 15:00:00", ${duration}, [])`);
    for (const bad of ["0", "1441", "2000", "060", "-5", "99999"])
      expect(accepts(calendar, zoom(bad)), bad).toBe(false);
    for (const good of ["1", "30", "60", "999", "1440"])
      expect(accepts(calendar, zoom(good)), good).toBe(true);
  });

  it("rejects a transport other than d, w and r", () => {
    const directions = (transport: string) => plan(`maps_show_directions("", "Home", ${transport})`);
    for (const bad of ['"x"', '"D"', '""', '"dw"', "None", '"$1"']) {
      expect(accepts(["maps_show_directions"], directions(bad)), bad).toBe(false);
    }
    for (const good of ['"d"', '"w"', '"r"'])
      expect(accepts(["maps_show_directions"], directions(good))).toBe(true);
  });

  it("rejects more than maxSteps calls", () => {
    const call = 'get_email_address("Sid")';
    expect(accepts(contacts, plan(call, call), { maxSteps: 2 })).toBe(true);
    expect(accepts(contacts, plan(call, call, call), { maxSteps: 2 })).toBe(false);
    expect(accepts(contacts, plan(call), { maxSteps: 1 })).toBe(true);
    expect(accepts(contacts, plan(call, call), { maxSteps: 1 })).toBe(false);
  });

  it("rejects texts and lists past maxTextLength and maxListItems", () => {
    const options = { maxSteps: 2, maxTextLength: 5, maxListItems: 2 };
    expect(accepts(contacts, plan('send_sms(["1", "2"], "12345")'), options)).toBe(true);
    expect(accepts(contacts, plan('send_sms(["1", "2", "3"], "hi")'), options)).toBe(false);
    expect(accepts(contacts, plan('send_sms(["1"], "1234567")'), options)).toBe(false);
  });

  it("rejects layouts the plan language allows but the grammar pins down", () => {
    const call = 'get_email_address("Sid")';
    for (const text of [
      `1. ${call}\n2. join()`, // no end marker
      `1. ${call}\n2. join()${END_OF_PLAN}\n`, // anything after it
      `1. ${call}\n2. join() ${END_OF_PLAN}`,
      `1. ${call}\n3. join()${END_OF_PLAN}`, // numbering
      `2. ${call}\n3. join()${END_OF_PLAN}`,
      `1. join()${END_OF_PLAN}`, // no call at all
      `1.${call}\n2. join()${END_OF_PLAN}`,
      `Thought: look it up\n1. ${call}\n2. join()${END_OF_PLAN}`,
      `1. get_email_address('Sid')\n2. join()${END_OF_PLAN}`,
      `1. get_email_address(name="Sid")\n2. join()${END_OF_PLAN}`,
      `1. get_email_address("Sid")\r\n2. join()${END_OF_PLAN}`,
      `1. get_email_address("line\nbreak")\n2. join()${END_OF_PLAN}`,
    ]) {
      expect(accepts(contacts, text), text).toBe(false);
    }
  });
});

describe("numberRangeAlternatives", () => {
  /** The alternatives as one rule, compiled to a regular expression. */
  const rangeRegExp = (min: number, max: number) =>
    toRegExp(parseGbnf(`root ::= ${numberRangeAlternatives(min, max).join(" | ")}\n`));

  /** Checks the regex on every number near both ends (all of them for narrow ranges), and odd spellings. */
  function expectExactly(min: number, max: number, rng: Rng): void {
    const regex = rangeRegExp(min, max);
    const checked = new Set<number>();
    const check = (n: number) => {
      if (n < 0 || checked.has(n)) return;
      checked.add(n);
      if (regex.test(String(n)) !== (min <= n && n <= max)) {
        throw new Error(`${min}..${max}: ${n} is ${regex.test(String(n)) ? "accepted" : "rejected"}`);
      }
    };
    if (max - min <= 2000) {
      for (let n = min - 120; n <= max + 120; n++) check(n);
    } else {
      for (let n = min - 120; n <= min + 120; n++) check(n);
      for (let n = max - 120; n <= max + 120; n++) check(n);
      for (let i = 0; i < 300; i++) check(min + Math.floor(rng() * (max - min + 1)));
    }
    for (let power = 1; power <= 100_000; power *= 10) [power - 1, power, power + 1].forEach(check);
    for (const n of [min, max, Math.floor((min + max) / 2)]) {
      expect(regex.test(`0${n}`), `0${n}`).toBe(false);
      expect(regex.test(`00${n}`), `00${n}`).toBe(false);
      expect(regex.test(`${n} `)).toBe(false);
      expect(regex.test(`-${n}`)).toBe(false);
      expect(regex.test(`+${n}`)).toBe(false);
    }
    expect(regex.test("")).toBe(false);
    expect(regex.test("00")).toBe(false);
  }

  it("matches exactly min..max for every pair up to 60", () => {
    const rng = seededRng(SEED);
    for (let min = 0; min <= 60; min++) for (let max = min; max <= 60; max++) expectExactly(min, max, rng);
  });

  it("matches exactly min..max for random pairs up to 20000", () => {
    fc.assert(
      fc.property(fc.nat(20_000), fc.nat(20_000), fc.integer(), (a, b, seed) => {
        expectExactly(Math.min(a, b), Math.max(a, b), seededRng(seed));
      }),
      { seed: SEED, numRuns: 400 },
    );
  });

  it("matches exactly around powers of ten and digit boundaries", () => {
    const rng = seededRng(SEED);
    const edges = [
      0, 1, 9, 10, 11, 19, 20, 99, 100, 101, 199, 999, 1000, 1001, 1440, 9999, 10000, 10001, 19999, 20000,
    ];
    for (const min of edges) for (const max of edges) if (min <= max) expectExactly(min, max, rng);
  });

  it("samples only numbers inside the range", () => {
    const rng = seededRng(SEED);
    for (const [min, max] of [
      [1, 1440],
      [0, 9],
      [37, 12_345],
      [999, 1001],
    ] as const) {
      const grammar = parseGbnf(`root ::= ${numberRangeAlternatives(min, max).join(" | ")}\n`);
      for (let i = 0; i < 200; i++) {
        const text = sample(grammar, rng);
        expect(text).toMatch(/^(0|[1-9][0-9]*)$/);
        expect(Number(text)).toBeGreaterThanOrEqual(min);
        expect(Number(text)).toBeLessThanOrEqual(max);
      }
    }
  });

  it("writes 1..1440 as the documented alternatives and refuses impossible ranges", () => {
    expect(numberRangeAlternatives(1, 1440)[0]).toBe("[1-9]");
    expect(numberRangeAlternatives(7, 7)).toEqual(['"7"']);
    expect(() => numberRangeAlternatives(5, 4)).toThrow();
    expect(() => numberRangeAlternatives(-1, 4)).toThrow();
    expect(() => numberRangeAlternatives(0.5, 4)).toThrow();
  });
});

describe("dates held to the request's", () => {
  const dates = [
    "2024-06-07 15:00:00",
    "2024-06-07 16:00:00",
    "2024-06-07",
    "not a date",
    "2024-06-07 15:00:00",
  ];
  const plan = (step: string) => `1. ${step}\n2. join()${END_OF_PLAN}`;

  it("take only those dates: an event's dates need a time, a due date may be a day or empty", () => {
    const regex = planRegExp(["create_calendar_event", "create_reminder"], { dates, maxSteps: 1 });
    const event = (start: string, end: string) =>
      plan(`create_calendar_event("Review", "${start}", "${end}", "", [], "", None)`);
    expect(regex.test(event("2024-06-07 15:00:00", "2024-06-07 16:00:00"))).toBe(true);
    expect(regex.test(event("2024-06-07 15:00:00", "2024-06-07 17:00:00"))).toBe(false);
    expect(regex.test(event("2024-06-07", "2024-06-07 16:00:00"))).toBe(false);
    const reminder = (due: string) => plan(`create_reminder("Pay rent", "${due}", "", "", 0, False)`);
    expect(regex.test(reminder("2024-06-07"))).toBe(true);
    expect(regex.test(reminder("2024-06-07 16:00:00"))).toBe(true);
    expect(regex.test(reminder(""))).toBe(true);
    expect(regex.test(reminder("2024-06-08"))).toBe(false);
  });

  it("stay open when no date fits the kind", () => {
    const regex = planRegExp(["create_calendar_event"], { dates: ["2024-06-07"], maxSteps: 1 });
    expect(
      regex.test(
        plan(
          'create_calendar_event("Review", "2024-06-09 10:00:00", "2024-06-09 11:00:00", "", [], "", None)',
        ),
      ),
    ).toBe(true);
  });
});
