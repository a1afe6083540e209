import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { planGrammar } from "../../src/agent/plan/grammar";
import { copiedFrom } from "../../src/agent/request/allowed";
import { parsePlan } from "../../src/agent/plan/parse";
import { wholeReference } from "../../src/agent/plan/references";
import { isRequestWording, requestAddresses, requestSpans } from "../../src/agent/request/spans";
import { requestCopyOf, requestWordingOf } from "../../src/tools/formats";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import { toolParams, type AnyTool } from "../../src/tools/tool";
import { parseGbnf, sample, seededRng, toRegExp } from "../grammar/gbnf";

const SEED = 20_241_121;

/** A span as a plan writes it: double-quoted, with `\` and `"` escaped. */
const quoted = (span: string) => `"${span.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** A plan of these steps, numbered, ending with its join. */
const plan = (...steps: string[]) =>
  `${steps.map((step, i) => `${i + 1}. ${step}`).join("\n")}\n${steps.length + 1}. join()<END_OF_PLAN>`;

/** The plan text of a quoted argument back to its value (the inverse of `quoted`). */
const unquoted = (literal: string) => (JSON.parse(literal) as string).toString();

function spanRegExp(request: string): RegExp {
  const grammar = parseGbnf(planGrammar([defaultRegistry.get("get_phone_number")!], { request }));
  return toRegExp(grammar, "span");
}

function copiedParams(tool: AnyTool): string[] {
  return toolParams(tool)
    .filter((param) => requestCopyOf(tool.args.shape[param.name] as never))
    .map((param) => param.name);
}

describe("arguments copied from the request", () => {
  it("are marked in the tool schemas: contact names, recipients, places, existing notes and files", () => {
    const marked = Object.fromEntries(
      TOOLS.map((tool) => [tool.name, copiedParams(tool)] as const).filter(([, names]) => names.length > 0),
    );
    expect(marked).toEqual({
      create_calendar_event: ["invitees"],
      get_phone_number: ["name"],
      get_email_address: ["name"],
      open_and_get_file_path: ["file_name"],
      compose_new_email: ["recipients", "cc"],
      reply_to_email: ["cc"],
      forward_email: ["recipients", "cc"],
      maps_open_location: ["location"],
      maps_show_directions: ["start_location", "end_location"],
      open_note: ["name"],
      append_note_content: ["name"],
      send_sms: ["recipients"],
      get_zoom_meeting_link: ["meeting_invitees"],
    });
    // A new note's title may be made up from its text; only notes that exist are named by the request.
    expect(copiedParams(defaultRegistry.get("create_note")!)).toEqual([]);
  });
});

describe("recipients", () => {
  const tools = TOOLS.filter((tool) => ["get_phone_number", "send_sms"].includes(tool.name));

  it("are only numbers or addresses the request gives, or look-ups: never made up", () => {
    const regex = toRegExp(
      parseGbnf(planGrammar(tools, { request: "text Sid and (415) 555-0100 that I'm late", maxSteps: 3 })),
    );
    expect(regex.test(plan('get_phone_number("Sid")', 'send_sms(["$1", "(415) 555-0100"], "late")'))).toBe(
      true,
    );
    expect(regex.test(plan('send_sms(["(415) 555-0100"], "I am late")'))).toBe(true);
    expect(regex.test(plan('send_sms(["07-555-555-67"], "I am late")'))).toBe(false);
    expect(regex.test(plan('send_sms(["+1 415 555 0199"], "I am late")'))).toBe(false);
    expect(regex.test(plan('send_sms([""], "I am late")'))).toBe(false);
    expect(regex.test(plan('send_sms([], "I am late")'))).toBe(true);
    // Other spans of the request are no address: a name goes through a look-up.
    expect(regex.test(plan('send_sms(["Sid"], "I am late")'))).toBe(false);
    expect(regex.test(plan('send_sms(["that I\'m late"], "I am late")'))).toBe(false);
  });

  it("find the addresses and numbers a request writes out", () => {
    expect(
      requestAddresses(
        "email ana.lópez@mail.example.com, text +1 415 555 0199 and (972) 555-5250, call 5550533 on 2024-06-03",
      ),
    ).toEqual(["ana.lópez@mail.example.com", "+1 415 555 0199", "(972) 555-5250", "5550533"]);
    expect(requestAddresses("pay $2,334 at 10:30 for membership 757589, 1528 Market Drive")).toEqual([]);
    expect(requestAddresses("meet on 2024-06-03 09:00 or 2024-06-04")).toEqual([]);
  });

  it("are empty lists when the request writes no address and no step came before", () => {
    const regex = toRegExp(parseGbnf(planGrammar(tools, { request: "text Sid that I'm late", maxSteps: 3 })));
    expect(regex.test(plan('send_sms([], "I am late")'))).toBe(true);
    expect(regex.test(plan('send_sms(["Sid"], "I am late")'))).toBe(false);
    expect(regex.test(plan('get_phone_number("Sid")', 'send_sms(["$1"], "I am late")'))).toBe(true);
  });

  it("stay free text for planners that do not copy by construction", () => {
    const regex = toRegExp(parseGbnf(planGrammar(tools, { maxSteps: 3 })));
    expect(regex.test(plan('send_sms(["07-555-555-67"], "I am late")'))).toBe(true);
  });
});

describe("requestSpans", () => {
  it("are runs of whole words, each word's first letter in either case, without outer punctuation or a possessive", () => {
    const spans = requestSpans('text Sid\'s mom "hi", then open the Q3 deck at 123 Main St.');
    for (const span of ["Sid", "Sid's", "sid", "Sid's mom", "mom", "Mom", "Q3 deck", "the Q3 deck", "hi"])
      expect(spans, span).toContain(span);
    expect(spans).toContain("123 Main St.");
    expect(spans).toContain("123 Main St");
    expect(spans).toContain("Main St");
    expect(spans).toContain("q3 Deck");
    // Not word-aligned, or case changed past a word's first letter.
    for (const span of ["Si", "id", "ext Sid", "SID", "Q3 DECK", '"hi', "hi,"])
      expect(spans).not.toContain(span);
  });

  it("never copies a word with a $ (it would read as a reference) and bounds the words per span", () => {
    const spans = requestSpans("send $1 and $20 to a b c d e f g h i j");
    expect(spans.some((span) => span.includes("$"))).toBe(false);
    expect(spans).toContain("a b c d e f g h");
    expect(spans).not.toContain("a b c d e f g h i");
    expect(requestSpans("a b c", { maxWords: 2 })).not.toContain("a b c");
  });
});

describe("the span rule of the plan grammar", () => {
  const requests = [
    "text Sid's mom that I'm at \"Joe's Diner\", 123 Main St. — ok?",
    "open C:\\Users\\ana\\budget.xlsx and map Straße 5, Köln",
    "email 李雷 and שרה כהן about the 🎉 party at Café Olé",
  ];

  it.each(requests)("accepts exactly the quoted spans of %s", (request) => {
    const regex = spanRegExp(request);
    const spans = requestSpans(request);
    for (const span of spans) expect(regex.test(quoted(span)), span).toBe(true);
    const words = request.split(" ");
    const notSpans = [
      ...words.map((word) => word.slice(1)).filter((part) => part.length > 1),
      ...words.map((word) => word.toUpperCase()),
      `${words[0]}  ${words[1]}`,
      request,
      "",
    ].filter((text) => !spans.includes(text));
    for (const text of notSpans) expect(regex.test(quoted(text)), text).toBe(false);
    // Drawn from the grammar itself: nothing outside the span set.
    const grammar = parseGbnf(planGrammar([defaultRegistry.get("get_phone_number")!], { request }));
    const rng = seededRng(SEED);
    for (let i = 0; i < 200; i++) expect(spans).toContain(unquoted(sample(grammar, rng, {}, "span")));
  });

  it("falls back to free text when no word can be copied", () => {
    const grammar = planGrammar([defaultRegistry.get("get_phone_number")!], { request: "$5 $6" });
    expect(grammar).not.toContain("span");
    expect(toRegExp(parseGbnf(grammar)).test('1. get_phone_number("Ana")\n2. join()<END_OF_PLAN>')).toBe(
      true,
    );
  });

  it("keeps references, an empty start and the schema's other values where they fit", () => {
    const names = ["get_email_address", "maps_show_directions", "compose_new_email"];
    const tools = TOOLS.filter((tool) => names.includes(tool.name));
    const regex = toRegExp(
      parseGbnf(planGrammar(tools, { request: "email Ana and route me to Gare du Nord", maxSteps: 3 })),
    );
    expect(regex.test(plan('get_email_address("Ana")'))).toBe(true);
    expect(regex.test(plan('get_email_address("Me")'))).toBe(true);
    expect(regex.test(plan('get_email_address("Bob")'))).toBe(false);
    expect(regex.test(plan('maps_show_directions("", "Gare du Nord", "d")'))).toBe(true);
    expect(regex.test(plan('maps_show_directions("Home", "gare du Nord", "w")'))).toBe(true);
    expect(regex.test(plan('maps_show_directions("", "", "d")'))).toBe(false);
    expect(regex.test(plan('maps_show_directions("", "Paris", "d")'))).toBe(false);
    expect(regex.test(plan('get_email_address("Ana")', 'maps_show_directions("", "$1", "d")'))).toBe(true);
    expect(regex.test(plan('get_email_address("$1")'))).toBe(false);
    // Free text stays free where nothing is copied.
    expect(regex.test(plan('compose_new_email(["$1"], [], "Hi", "Paris is lovely", [])'))).toBe(false);
    expect(
      regex.test(
        plan('get_email_address("Ana")', 'compose_new_email(["$1"], [], "Hi", "Paris is lovely", [])'),
      ),
    ).toBe(true);
  });
});

describe("contact look-ups held to the request's people", () => {
  const tools = TOOLS.filter((tool) => ["get_phone_number", "maps_open_location"].includes(tool.name));
  const request = 'text Sid and "O\'Brien" that we meet at Café Olé';
  const people = ["Sid", "O'Brien"];
  const regex = toRegExp(parseGbnf(planGrammar(tools, { request, people, maxSteps: 2 })));

  it("name only those people (either first-letter case), or an earlier result", () => {
    expect(regex.test(plan('get_phone_number("Sid")'))).toBe(true);
    expect(regex.test(plan('get_phone_number("sid")'))).toBe(true);
    expect(regex.test(plan('get_phone_number("O\'Brien")'))).toBe(true);
    expect(regex.test(plan('get_phone_number("Me")'))).toBe(false);
    expect(regex.test(plan('maps_open_location("Café Olé")', 'get_phone_number("$1")'))).toBe(true);
    // Spans of the request that are not people, and made-up names, are out.
    expect(regex.test(plan('get_phone_number("Café Olé")'))).toBe(false);
    expect(regex.test(plan('get_phone_number("text Sid")'))).toBe(false);
    expect(regex.test(plan('get_phone_number("Bob")'))).toBe(false);
    // Other copied arguments still take any span.
    expect(regex.test(plan('maps_open_location("Café Olé")'))).toBe(true);
  });

  it("take Me, the person's own card, only when the request speaks of them", () => {
    const me = (text: string) =>
      toRegExp(parseGbnf(planGrammar(tools, { ...copiedFrom(text), maxSteps: 1 }))).test(
        plan('get_phone_number("Me")'),
      );
    expect(copiedFrom("text Sid my new number").people).toEqual(["Sid", "Me"]);
    expect(me("text Sid and me the plan")).toBe(true);
    expect(me("send myself and Sid the deck")).toBe(true);
    expect(me("what's Sid's number")).toBe(false);
    expect(me("text Sid, meet at noon")).toBe(false);
    // Being reminded or shown something asks for nothing of one's own card.
    expect(me("remind me at 4 to submit my report and email Rosa that it's late")).toBe(false);
    expect(me("show me the way to Tartine and text Kai")).toBe(false);
    expect(copiedFrom("remind me friday and email me the deck").people).toContain("Me");
    // With nobody to send to, "remind me" still names no card to look up.
    expect(copiedFrom("reply to this saying thanks and remind me monday to send the plan").people).toEqual(
      [],
    );
  });

  it("fall back to every span when the request names nobody", () => {
    const open = toRegExp(parseGbnf(planGrammar(tools, { request, people: [], maxSteps: 1 })));
    expect(open.test(plan('get_phone_number("Café Olé")'))).toBe(true);
  });

  it("give grammars llama.cpp's own parser accepts, whatever the names hold", (context) => {
    const names = ['Zoë "Z" Ünal', "back\\slash", "سارة", "👩‍👩‍👧 crew", "$1", ""];
    const accepted = llamaAccepts([planGrammar(tools, { request: names.join(" and "), people: names })]);
    if (accepted === undefined) return context.skip();
    expect(accepted).toEqual([true]);
  });
});

describe("a plan continued at a step, and a step held to a look-up", () => {
  const tools = TOOLS.filter((tool) => ["get_phone_number", "send_sms"].includes(tool.name));
  const request = "text Hemi and Wiremu that practice is off";
  const people = ["Hemi", "Wiremu"];
  const from = (startStep: number, lookUp?: string[]) =>
    toRegExp(
      parseGbnf(
        planGrammar(tools, { request, people, startStep, maxSteps: 4, ...(lookUp ? { lookUp } : {}) }),
      ),
    );

  it("starts at the given step, with references to the steps before it", () => {
    const regex = from(2);
    expect(regex.test('2. send_sms(["$1"], "practice is off")\n3. join()<END_OF_PLAN>')).toBe(true);
    expect(regex.test('2. send_sms(["$2"], "practice is off")\n3. join()<END_OF_PLAN>')).toBe(false);
    expect(regex.test('1. get_phone_number("Hemi")\n2. join()<END_OF_PLAN>')).toBe(false);
    expect(from(5).test("5. join()<END_OF_PLAN>")).toBe(true);
    expect(from(5).test('5. get_phone_number("Hemi")\n6. join()<END_OF_PLAN>')).toBe(false);
  });

  it("makes that step a look-up of one of the missing people, then goes on as usual", () => {
    const regex = from(2, ["Wiremu"]);
    const rest = '\n3. send_sms(["$1", "$2"], "practice is off")\n4. join()<END_OF_PLAN>';
    expect(regex.test(`2. get_phone_number("Wiremu")${rest}`)).toBe(true);
    expect(regex.test(`2. get_phone_number("wiremu")\n3. join()<END_OF_PLAN>`)).toBe(true);
    expect(regex.test(`2. get_phone_number("Hemi")${rest}`)).toBe(false);
    expect(regex.test('2. send_sms(["$1"], "practice is off")\n3. join()<END_OF_PLAN>')).toBe(false);
    expect(regex.test("2. join()<END_OF_PLAN>")).toBe(false);
  });

  it("ignores the look-up when no look-up tool is selected", () => {
    const sms = TOOLS.filter((tool) => tool.name === "send_sms");
    const options = { request, people, startStep: 2, maxSteps: 4 };
    expect(planGrammar(sms, { ...options, lookUp: ["Wiremu"] })).toBe(planGrammar(sms, options));
  });

  it("holds look-ups to the people a request sends to when it names any", () => {
    expect(copiedFrom("email my boss Chidi that I'm sick").people).toEqual(["Chidi"]);
    expect(copiedFrom("put dinner at Zuni Café on my calendar and text Kai").people).toEqual(["Kai"]);
    expect(copiedFrom("text me the address of the Ferry Building").people).toEqual(["Me"]);
    expect(copiedFrom("email Sid and me the deck").people).toEqual(["Sid", "Me"]);
    // Nobody sent to: everyone the request mentions, as before.
    expect(copiedFrom("is Tane free at Zuni tonight").people).toEqual(["Tane", "Zuni"]);
  });

  it("gives look-up grammars llama.cpp's own parser accepts, whatever the names hold", (context) => {
    const names = ['Zoë "Z" Ünal', "back\\slash", "سارة", "👩‍👩‍👧 crew", "$1"];
    const grammar = planGrammar(tools, {
      request: names.join(" and "),
      people: names,
      startStep: 3,
      lookUp: names,
    });
    const accepted = llamaAccepts([grammar]);
    if (accepted === undefined) return context.skip();
    expect(accepted).toEqual([true]);
  });
});

/** Requests built to break escaping and size: every one must give a grammar both parsers accept. */
const ADVERSARIAL = [
  'call "Sid" \\ "Ana" now',
  'text \\"$1\\" to Bob\\',
  "line one\nline two\r\n\ttabbed\u0007bell",
  "meet 👩‍👩‍👧 at 🏔️ Café 😀 tomorrow",
  "directions to שוק הכרמל then email محمد",
  "quote ''' and \"\"\" and `` and [brackets] {braces} ::= | # comment",
  "lone \uD800 surrogate and \uDC00 here, then Sid",
  `email ${Array.from({ length: 400 }, (_, i) => `Name${i}`).join(" ")}`,
  "x".repeat(5000),
  "$1 ${2} $$ $",
];

function llamaAccepts(grammars: string[]): boolean[] | undefined {
  const script = fileURLToPath(new URL("../grammar/llama-parse.mjs", import.meta.url));
  const child = spawnSync(process.execPath, [script], {
    input: JSON.stringify(grammars),
    encoding: "utf8",
    timeout: 120_000,
  });
  if (child.status === 3) return undefined;
  if (child.status !== 0) throw new Error(`llama-parse.mjs failed (${child.status}): ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").pop()!) as boolean[];
}

describe("adversarial requests", () => {
  const names = [
    "get_phone_number",
    "send_sms",
    "maps_show_directions",
    "open_note",
    "open_and_get_file_path",
  ];
  const tools = TOOLS.filter((tool) => names.includes(tool.name));
  const grammars = ADVERSARIAL.map((request) => planGrammar(tools, { request, maxSteps: 4 }));

  it("give grammars our GBNF parser reads, whose sampled plans pass checkPlan and copy only spans", () => {
    const registry = defaultRegistry.subset(names);
    const rng = seededRng(SEED);
    ADVERSARIAL.forEach((request, r) => {
      const grammar = parseGbnf(grammars[r]!);
      const spans = new Set(requestSpans(request));
      for (let i = 0; i < 40; i++) {
        const text = sample(grammar, rng);
        const checked = checkPlan(text, registry);
        expect(
          checked.problems.filter((p) => p.severity === "error"),
          text,
        ).toEqual([]);
        for (const step of parsePlan(text).plan?.steps ?? []) {
          const tool = defaultRegistry.get(step.tool)!;
          toolParams(tool).forEach((param, position) => {
            const value = step.args[position];
            if (!requestCopyOf(tool.args.shape[param.name] as never) || typeof value !== "string") return;
            const allowed =
              spans.has(value) ||
              wholeReference(value) !== undefined ||
              ["", "Me", "Home", "Work"].includes(value) ||
              spans.size === 0;
            expect(allowed, `${param.name}=${JSON.stringify(value)} in ${JSON.stringify(request)}`).toBe(
              true,
            );
          });
        }
      }
    });
  });

  it("stay small: the grammar grows with the words of the request, up to a bound", () => {
    const sizes = grammars.map((text) => text.length);
    const plain = planGrammar(tools, { maxSteps: 4 }).length;
    for (const size of sizes) expect(size).toBeLessThan(plain + 250_000);
  });

  it("give grammars llama.cpp's own parser accepts", (context) => {
    const verdicts = llamaAccepts(grammars);
    if (!verdicts) return context.skip("no llama.cpp binary for this platform");
    expect(verdicts).toEqual(grammars.map(() => true));
  }, 120_000);
});

describe("free text worded from the request (requestWording)", () => {
  const NOW = { now: new Date("2024-06-03T09:00:00Z"), timeZone: "UTC" };
  const worded = (tool: AnyTool) =>
    toolParams(tool)
      .filter((param) => requestWordingOf(tool.args.shape[param.name] as never) !== undefined)
      .map((param) => param.name);

  it("is every free-text parameter of the tools, with template words only where a meeting is named", () => {
    const marked = Object.fromEntries(
      TOOLS.map((tool) => [tool.name, worded(tool)] as const).filter(([, names]) => names.length > 0),
    );
    expect(marked).toEqual({
      create_calendar_event: ["title", "location", "notes", "calendar"],
      compose_new_email: ["subject", "context"],
      reply_to_email: ["context"],
      forward_email: ["context"],
      create_note: ["name", "content", "folder"],
      open_note: ["folder"],
      append_note_content: ["content", "folder"],
      create_reminder: ["name", "notes", "list_name"],
      send_sms: ["message"],
      get_zoom_meeting_link: ["topic"],
    });
    const templates = (tool: string, param: string) =>
      requestWordingOf(defaultRegistry.get(tool)!.args.shape[param] as never);
    expect(templates("create_calendar_event", "title")).toEqual(["Meeting with", "Call with"]);
    expect(templates("send_sms", "message")).toEqual([]);
  });

  const request = "text Sid that I'm running late, see you at the Blue Door";
  const sms = [defaultRegistry.get("get_phone_number")!, defaultRegistry.get("send_sms")!];
  const accepts = (text: string) =>
    toRegExp(parseGbnf(planGrammar(sms, { ...copiedFrom(request, NOW), maxSteps: 2 }))).test(text);

  it("holds a message to a run of the request's words, of any length", () => {
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "I\'m running late")'))).toBe(true);
    expect(
      accepts(
        plan('get_phone_number("Sid")', 'send_sms(["$1"], "I\'m running late, see you at the Blue Door")'),
      ),
    ).toBe(true);
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "See you at the blue Door")'))).toBe(
      true,
    );
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "I miss you")'))).toBe(false);
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "running late today")'))).toBe(false);
    // Words out of order are not a span of the request.
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "late running")'))).toBe(false);
  });

  it("never ends a span on a word that leaves it hanging, nor starts one on a joining word", () => {
    expect(isRequestWording("Sid that I'm running late", request)).toBe(true);
    expect(isRequestWording("Sid that", request)).toBe(false);
    expect(isRequestWording("see you at the", request)).toBe(false);
    expect(isRequestWording("that I'm running late", request)).toBe(false);
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "Running late, see you at")'))).toBe(
      false,
    );
  });

  it("allows a meeting's template words, and none elsewhere", () => {
    const meeting = "zoom with Priya friday 3pm";
    const zoom = [defaultRegistry.get("get_zoom_meeting_link")!];
    const grammar = parseGbnf(planGrammar(zoom, { ...copiedFrom(meeting, NOW), maxSteps: 1 }));
    expect(
      toRegExp(grammar).test(
        plan('get_zoom_meeting_link("Meeting with Priya", "2024-06-07 15:00:00", 60, [])'),
      ),
    ).toBe(true);
    expect(
      toRegExp(grammar).test(plan('get_zoom_meeting_link("Sync with Priya", "2024-06-07 15:00:00", 60, [])')),
    ).toBe(false);
    expect(accepts(plan('get_phone_number("Sid")', 'send_sms(["$1"], "Meeting with Sid")'))).toBe(false);
    expect(isRequestWording("Meeting with Priya", meeting, ["Meeting with"])).toBe(true);
    expect(isRequestWording("Meeting with Priya", meeting)).toBe(false);
  });

  it("stays free text for planners that do not copy by construction", () => {
    const free = toRegExp(parseGbnf(planGrammar(sms, { maxSteps: 2 })));
    expect(free.test(plan('get_phone_number("Sid")', 'send_sms(["$1"], "I miss you")'))).toBe(true);
  });

  it("gives sampled plans whose worded arguments are spans, references or empty, for adversarial requests", () => {
    const names = [
      "send_sms",
      "create_calendar_event",
      "create_reminder",
      "create_note",
      "get_zoom_meeting_link",
    ];
    const tools = TOOLS.filter((tool) => names.includes(tool.name));
    const registry = defaultRegistry.subset(names);
    const rng = seededRng(SEED);
    for (const text of ADVERSARIAL) {
      const grammar = parseGbnf(planGrammar(tools, { ...copiedFrom(text, NOW), maxSteps: 3 }));
      for (let i = 0; i < 20; i++) {
        const sampled = sample(grammar, rng);
        expect(
          checkPlan(sampled, registry).problems.filter((p) => p.severity === "error"),
          sampled,
        ).toEqual([]);
        for (const step of parsePlan(sampled).plan.steps) {
          const tool = defaultRegistry.get(step.tool)!;
          toolParams(tool).forEach((param, position) => {
            const templates = requestWordingOf(tool.args.shape[param.name] as never);
            const value = step.args[position];
            if (templates === undefined || typeof value !== "string" || value === "") return;
            // A request with no word to copy ("x" × 5000) leaves free text: there is nothing to hold it to.
            const nothingToCopy = requestSpans(text).length === 0;
            const ok =
              wholeReference(value) !== undefined ||
              isRequestWording(value, text, templates) ||
              nothingToCopy;
            expect(ok, `${param.name}=${JSON.stringify(value)} in ${JSON.stringify(text)}`).toBe(true);
          });
        }
      }
    }
  });

  it("gives grammars llama.cpp's own parser accepts, whatever the request holds", (context) => {
    const tools = TOOLS.filter((tool) =>
      ["send_sms", "create_calendar_event", "create_reminder"].includes(tool.name),
    );
    const grammars = ADVERSARIAL.map((text) => planGrammar(tools, { ...copiedFrom(text, NOW), maxSteps: 3 }));
    const verdicts = llamaAccepts(grammars);
    if (!verdicts) return context.skip("no llama.cpp binary for this platform");
    expect(verdicts).toEqual(grammars.map(() => true));
  }, 120_000);
});

describe("dates held to their roles (dateArguments)", () => {
  const NOW = { now: new Date("2024-06-03T09:00:00Z"), timeZone: "UTC" };
  const tools = ["create_calendar_event", "create_reminder"].map((name) => defaultRegistry.get(name)!);
  const grammarFor = (request: string) =>
    toRegExp(parseGbnf(planGrammar(tools, { ...copiedFrom(request, NOW), maxSteps: 1 })));
  const event = (start: string, end: string) =>
    plan(`create_calendar_event("Dentist", "${start}", "${end}", "", [], "", None)`);
  const reminder = (due: string) => plan(`create_reminder("Call mom", ${due}, "", "", 0, False)`);

  it("pairs a start with its own end: the time the request gives, 60 minutes or the length it says later", () => {
    const accepts = grammarFor("dentist next Tuesday at 10am");
    expect(accepts.test(event("2024-06-11 10:00:00", "2024-06-11 11:00:00"))).toBe(true);
    expect(accepts.test(event("2024-06-11 11:00:00", "2024-06-11 10:00:00"))).toBe(false);
    expect(accepts.test(event("2024-06-11 10:00:00", "2024-06-11 10:00:00"))).toBe(false);
    // "now" is no choice when the request names a day.
    expect(accepts.test(event("2024-06-03 09:00:00", "2024-06-03 10:00:00"))).toBe(false);
    expect(
      grammarFor("dentist friday 3pm for 30 min").test(event("2024-06-07 15:00:00", "2024-06-07 15:30:00")),
    ).toBe(true);
  });

  it("gives a reminder the request's date, a bare day when it gives no time, and no date only when it names none", () => {
    expect(grammarFor("remind me to call mom tomorrow at 6pm").test(reminder('"2024-06-04 18:00:00"'))).toBe(
      true,
    );
    expect(grammarFor("remind me to call mom tomorrow at 6pm").test(reminder('""'))).toBe(false);
    expect(grammarFor("remind me to call mom tomorrow at 6pm").test(reminder("None"))).toBe(false);
    expect(grammarFor("remind me to call mom friday").test(reminder('"2024-06-07"'))).toBe(true);
    expect(grammarFor("remind me to call mom").test(reminder('""'))).toBe(true);
    expect(grammarFor("remind me to call mom").test(reminder('"2024-06-03 09:00:00"'))).toBe(false);
  });
});
