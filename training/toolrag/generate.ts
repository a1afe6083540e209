/**
 * Synthetic training data for Tool RAG (issue 4, item 1): (request, tools, plan) triples.
 *
 *   npx tsx training/toolrag/generate.ts [--out data/toolrag] [--seed 1] [--sizes 30000,3000,3000]
 *
 * writes train.jsonl, validation.jsonl and test.jsonl, one `{"query","tools","plan"}` object per line,
 * `tools` in registry order (the classifier's label order) and `plan` in the LLMCompiler format; an
 * out-of-domain request has `"tools": []` and `"plan": ""`.
 *
 * How a request is made: a scenario (one action, a chain such as file → summary → email, a combination
 * of two to four parts, each an action or a chain, or an out-of-domain request) picks slot values from open pools,
 * phrases each action with a template from that tool family's table, builds the plan from exactly what
 * the phrasing says, then a style (terse, casual, typos, dictation, polite, question, ...) is applied to
 * the words of the template but never to the values the plan copies (names, titles, messages).
 *
 * Labels follow the shared convention (data/toolrag/README.md): a named person to mail, invite or cc is
 * looked up with get_email_address, one to text with get_phone_number, a given address or number is used
 * as is, "me" is a contact too; "let X know" / "tell X" / "ask X" is a text; a meeting *with* someone
 * invites them; a reminder about an action does not perform it; reading the calendar or inbox, calls,
 * weather, music and the like are out of domain.
 *
 * Everything is driven by one seeded PRNG (mulberry32), so the same seed gives the same data. Every plan
 * is checked with `checkPlan(plan, defaultRegistry)`; an invalid plan stops the run with the example.
 * Requests never repeat (compared without case and punctuation), and each goes to a split by a hash of
 * its template ids and slot values, so restyled copies of one phrasing stay in one split.
 *
 * "Today" for every request is Monday 2024-06-03, 09:00 local time (the day the built-in prompt examples
 * assume). Plans resolve relative dates against it; the conventions are in the dates section below.
 */
import { mkdirSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { checkPlan } from "../../src/agent/plan/check";
import type { Plan, Value } from "../../src/agent/plan/plan";
import { serializePlan } from "../../src/agent/plan/serialize";
import { mulberry32 } from "../../src/agent/seeded-random";
import { defaultRegistry, TOOLS, type ToolName } from "../../src/tools/registry";

// ---------------------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------------------

export class Rng {
  private readonly next: () => number;

  /**
   * `openVocabulary`: the share of invented (syllable-built) values among names, cities, streets, business
   * and project names and note titles. 0 keeps the pools as Tool RAG's data uses them (8 % invented person
   * names, nothing else invented) and draws exactly the same numbers, so the default output never changes.
   */
  constructor(
    seed: number,
    readonly openVocabulary = 0,
  ) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  /** A whole number in [lo, hi], both included. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error("pick from an empty list");
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight from `[value, weight]` pairs. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let x = this.next() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    return entries[entries.length - 1]![0];
  }

  /** `k` distinct items in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    while (out.length < k && pool.length > 0)
      out.push(pool.splice(Math.floor(this.next() * pool.length), 1)[0]!);
    return out;
  }
}

/** FNV-1a, to assign an example to a split from its template ids and slot values. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Splits a comma-separated word list written inline (keeps the pools compact and readable). */
function words(list: string): string[] {
  return list
    .split(",")
    .map((w) => w.trim())
    .filter((w) => w.length > 0);
}

const capitalize = (text: string) => (text ? text[0]!.toUpperCase() + text.slice(1) : text);

// ---------------------------------------------------------------------------------------------------------
// The template language
//
//   {slot}        a value supplied by the scenario
//   (a|b|c)       one alternative, chosen at random (alternatives needing a missing slot are skipped)
//   [ ... ]       optional: with slots, kept when they are available (most of the time); without, half
//   ^ at start    a full sentence ("where is {place}?"), not an imperative that "can you ..." may wrap
//
// A scenario offers the slots it has; a template that needs a slot it lacks is not chosen. After
// expansion the scenario sees which slots the words mention and builds the plan from exactly those.
// ---------------------------------------------------------------------------------------------------------

type Node =
  | { k: "lit"; text: string }
  | { k: "slot"; name: string }
  | { k: "opt"; body: Node[] }
  | { k: "alt"; options: Node[][] };

interface Template {
  id: string;
  nodes: Node[];
  sentence: boolean;
  /** Values a template fixes by its wording, e.g. "walking directions" fixes transport "w". */
  fixed: Record<string, string>;
}

type TemplateSpec = string | { t: string; fixed: Record<string, string> };

function parseTemplate(source: string): Node[] {
  let pos = 0;
  const parseSeq = (closers: string): Node[][] => {
    const options: Node[][] = [[]];
    let lit = "";
    const flush = () => {
      if (lit) options[options.length - 1]!.push({ k: "lit", text: lit });
      lit = "";
    };
    while (pos < source.length) {
      const c = source[pos]!;
      if (closers.includes(c)) {
        if (c === "|") {
          flush();
          options.push([]);
          pos++;
          continue;
        }
        break;
      }
      pos++;
      if (c === "{") {
        flush();
        const end = source.indexOf("}", pos);
        options[options.length - 1]!.push({ k: "slot", name: source.slice(pos, end) });
        pos = end + 1;
      } else if (c === "(") {
        flush();
        const alternatives = parseSeq("|)");
        pos++; // ")"
        options[options.length - 1]!.push({ k: "alt", options: alternatives });
      } else if (c === "[") {
        flush();
        const body = parseSeq("]")[0]!;
        pos++; // "]"
        options[options.length - 1]!.push({ k: "opt", body });
      } else lit += c;
    }
    flush();
    return options;
  };
  const nodes = parseSeq("")[0]!;
  if (pos !== source.length) throw new Error(`template syntax: ${source}`);
  return nodes;
}

/** A named table of templates: one per tool family, so each family's phrasings sit together. */
class Table {
  readonly templates: Template[];

  constructor(
    readonly name: string,
    specs: readonly TemplateSpec[],
  ) {
    this.templates = specs.map((spec, i) => {
      const text = typeof spec === "string" ? spec : spec.t;
      const sentence = text.startsWith("^");
      return {
        id: `${name}#${i}`,
        nodes: parseTemplate(sentence ? text.slice(1) : text),
        sentence,
        fixed: typeof spec === "string" ? {} : spec.fixed,
      };
    });
  }
}

/** Text pieces: template words ("tpl") may be restyled; slot values are "lit" (copied into the plan, only
 * re-cased) or "soft" (dates, times, modes: the plan derives values from them, so typos may hit them). */
interface Seg {
  text: string;
  kind: "tpl" | "lit" | "soft";
}

interface Fill {
  text: string;
  kind: "lit" | "soft";
}

type Slots = Record<string, Fill | undefined>;

const lit = (text: string): Fill => ({ text, kind: "lit" });
const soft = (text: string): Fill => ({ text, kind: "soft" });

function canExpand(nodes: readonly Node[], slots: Slots): boolean {
  return nodes.every((node) => {
    if (node.k === "slot") return slots[node.name] !== undefined;
    if (node.k === "alt") return node.options.some((option) => canExpand(option, slots));
    return true;
  });
}

function hasSlot(nodes: readonly Node[]): boolean {
  return nodes.some(
    (node) =>
      node.k === "slot" ||
      (node.k === "opt" && hasSlot(node.body)) ||
      (node.k === "alt" && node.options.some(hasSlot)),
  );
}

function expand(nodes: readonly Node[], slots: Slots, rng: Rng, out: Seg[], present: Set<string>): void {
  for (const node of nodes) {
    if (node.k === "lit") out.push({ text: node.text, kind: "tpl" });
    else if (node.k === "slot") {
      const fill = slots[node.name]!;
      out.push({ text: fill.text, kind: fill.kind });
      present.add(node.name);
    } else if (node.k === "opt") {
      // Optional words with a value in them appear most of the time the value exists; plain words half.
      const p = hasSlot(node.body) ? 0.75 : 0.5;
      if (canExpand(node.body, slots) && rng.chance(p)) expand(node.body, slots, rng, out, present);
    } else {
      const usable = node.options.filter((option) => canExpand(option, slots));
      expand(rng.pick(usable), slots, rng, out, present);
    }
  }
}

/** One phrased action: its words, whether it is a full sentence, and what the plan may rely on. */
interface Clause {
  segs: Seg[];
  sentence: boolean;
  present: Set<string>;
  fixed: Record<string, string>;
}

// ---------------------------------------------------------------------------------------------------------
// Dates and times. Today is Monday 2024-06-03 and it is 09:00. Conventions (stated, so plans are
// consistent):
//   "Friday" / "on Friday" / "this Friday"  the next such day after today ("Monday" is 2024-06-10)
//   "next Friday"                           that day in next week (Mon 06-10 .. Sun 06-16): 2024-06-14
//   "next week" Monday 06-10; "this weekend" Saturday 06-08; "next weekend" Saturday 06-15
//   "the 14th" this month if still ahead, else next month
//   "at 3" without am/pm: 1-7 is afternoon (15:00), 8-11 morning, 12 noon; "tonight at 8" is 20:00
//   morning 09:00, lunch 12:00, afternoon 15:00, end of day 17:00, evening 19:00, tonight 20:00
//   an event or Zoom call without a time starts at 09:00 that day; one without a day starts now
//   a reminder with a day but no time is all-day: due "YYYY-MM-DD", all_day True
// ---------------------------------------------------------------------------------------------------------

const TODAY_UTC = Date.UTC(2024, 5, 3);
const NOW_MINUTE = 9 * 60;
const WEEKDAYS = words("Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday");
const MONTHS = words(
  "January, February, March, April, May, June, July, August, September, October, November, December",
);
const MONTHS_SHORT = words("Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, Nov, Dec");

/** A moment as days after today plus minutes after midnight. */
export interface Moment {
  day: number;
  minute: number;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

function dayParts(offset: number): { y: number; m: number; d: number; weekday: number } {
  const date = new Date(TODAY_UTC + offset * 86_400_000);
  return {
    y: date.getUTCFullYear(),
    m: date.getUTCMonth() + 1,
    d: date.getUTCDate(),
    weekday: date.getUTCDay(),
  };
}

function isoDay(offset: number): string {
  const { y, m, d } = dayParts(offset);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function isoMoment(moment: Moment): string {
  const day = moment.day + Math.floor(moment.minute / 1440);
  const minute = ((moment.minute % 1440) + 1440) % 1440;
  return `${isoDay(day)} ${pad2(Math.floor(minute / 60))}:${pad2(minute % 60)}:00`;
}

function addMinutes(moment: Moment, minutes: number): Moment {
  const total = moment.day * 1440 + moment.minute + minutes;
  return { day: Math.floor(total / 1440), minute: ((total % 1440) + 1440) % 1440 };
}

const ORDINAL_SUFFIX = (d: number) =>
  d % 100 >= 11 && d % 100 <= 13 ? "th" : (["th", "st", "nd", "rd"][d % 10] ?? "th");

const NUMBER_WORDS = words(
  "zero, one, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve, thirteen, fourteen, fifteen, sixteen, seventeen, eighteen, nineteen, twenty",
);
function numberWord(n: number): string {
  if (n <= 20) return NUMBER_WORDS[n]!;
  const tens = words("twenty, thirty, forty, fifty, sixty, seventy, eighty, ninety")[Math.floor(n / 10) - 2]!;
  return n % 10 === 0 ? tens : `${tens}-${NUMBER_WORDS[n % 10]}`;
}

/** A day phrase: `bare` stands alone or before a time ("Friday"), `on` reads after one ("on Friday"). */
interface DayPhrase {
  bare: string;
  on: string;
  offset: number;
  /** Whether "morning" / "afternoon" may follow ("tomorrow morning"). */
  periods: boolean;
}

function weekdayOffset(weekday: number): number {
  // Today is Monday (1); the next such day strictly after today.
  return (weekday - 1 + 7) % 7 || 7;
}

function absoluteDay(rng: Rng, offset: number): DayPhrase {
  const { m, d, weekday, y } = dayParts(offset);
  const month = MONTHS[m - 1]!;
  const short = MONTHS_SHORT[m - 1]!;
  const th = `${d}${ORDINAL_SUFFIX(d)}`;
  const form = rng.weighted<[string, string]>([
    [[`${month} ${d}`, `on ${month} ${d}`], 4],
    [[`${month} ${th}`, `on ${month} ${th}`], 3],
    [[`${d} ${month}`, `on ${d} ${month}`], 2],
    [[`${short} ${d}`, `on ${short} ${d}`], 2],
    [[`${m}/${d}`, `on ${m}/${d}`], 2],
    [[`${y}-${pad2(m)}-${pad2(d)}`, `on ${y}-${pad2(m)}-${pad2(d)}`], 1],
    [[`${WEEKDAYS[weekday]} ${month} ${th}`, `on ${WEEKDAYS[weekday]}, ${month} ${th}`], 1],
    [[`the ${th} of ${month}`, `on the ${th} of ${month}`], 1],
  ]);
  return { bare: form[0], on: form[1], offset, periods: false };
}

function pickDay(rng: Rng, allowToday: boolean): DayPhrase {
  const kind = rng.weighted([
    ["today", allowToday ? 2 : 0],
    ["tomorrow", 7],
    ["dayAfter", 1],
    ["weekday", 7],
    ["nextWeekday", 3],
    ["inDays", 2],
    ["weeks", 1],
    ["weekend", 1],
    ["nthOfMonth", 1],
    ["absolute", 7],
  ] as const);
  switch (kind) {
    case "today":
      return { bare: "today", on: "today", offset: 0, periods: false };
    case "tomorrow":
      return { bare: "tomorrow", on: "tomorrow", offset: 1, periods: true };
    case "dayAfter": {
      const text = rng.pick(["the day after tomorrow", "day after tomorrow"]);
      return { bare: text, on: text, offset: 2, periods: false };
    }
    case "weekday": {
      const weekday = rng.int(0, 6);
      const name = WEEKDAYS[weekday]!;
      const form =
        weekday === 1 ? rng.pick([name, `on ${name}`]) : rng.pick([name, `on ${name}`, `this ${name}`]);
      return {
        bare: form.replace(/^on /, ""),
        on: form.startsWith("this") ? form : `on ${name}`,
        offset: weekdayOffset(weekday),
        periods: true,
      };
    }
    case "nextWeekday": {
      const weekday = rng.int(0, 6);
      const name = WEEKDAYS[weekday]!;
      const text = rng.pick([`next ${name}`, `${name} next week`]);
      return { bare: text, on: text, offset: 7 + ((weekday + 6) % 7), periods: text.startsWith("next") };
    }
    case "inDays": {
      const n = rng.int(2, 12);
      const count = rng.chance(0.4) ? numberWord(n) : String(n);
      const text = rng.pick([`in ${count} days`, `${count} days from now`]);
      return { bare: text, on: text, offset: n, periods: false };
    }
    case "weeks": {
      const [text, offset] = rng.pick<[string, number]>([
        ["next week", 7],
        ["in a week", 7],
        ["a week from today", 7],
        ["in two weeks", 14],
        ["in 2 weeks", 14],
      ]);
      return { bare: text, on: text, offset, periods: false };
    }
    case "weekend": {
      const [text, offset] = rng.pick<[string, number]>([
        ["this weekend", 5],
        ["on the weekend", 5],
        ["next weekend", 12],
        ["Saturday", 5],
        ["Sunday", 6],
      ]);
      return {
        bare: text.replace(/^on /, ""),
        on: text.startsWith("on") || text.includes("weekend") ? text : `on ${text}`,
        offset,
        periods: false,
      };
    }
    case "nthOfMonth": {
      const d = rng.int(1, 28);
      // The 1st-3rd of June are today or past: they mean July.
      const offset = d > 3 ? d - 3 : 30 - 3 + d;
      const text = `the ${d}${ORDINAL_SUFFIX(d)}`;
      return { bare: text, on: `on ${text}`, offset, periods: false };
    }
    case "absolute":
      return absoluteDay(rng, rng.int(1, 210));
  }
}

/** A clock time: `text` reads after a day ("at 3pm"), `terse` is the bare time ("3pm"). */
interface TimePhrase {
  text: string;
  terse: string;
  minute: number;
}

function clockTime(rng: Rng, minMinute: number): TimePhrase {
  const minutes = rng.weighted([
    [0, 6],
    [30, 3],
    [15, 1],
    [45, 1],
  ] as const);
  const hour = rng.int(Math.max(7, Math.ceil((minMinute - minutes) / 60)), 20);
  const minute = hour * 60 + minutes;
  const h12 = hour % 12 || 12;
  const ampm = hour < 12 ? "am" : "pm";
  const mm = minutes === 0 ? "" : `:${pad2(minutes)}`;
  const options: [string, number][] = [
    [`${h12}${mm}${ampm}`, 5],
    [`${h12}${mm} ${ampm}`, 3],
    [`${h12}${mm} ${ampm === "am" ? "a.m." : "p.m."}`, 1],
    [`${h12}${mm}${ampm.toUpperCase()}`, 1],
    [`${pad2(hour)}:${pad2(minutes)}`, 2],
  ];
  // Without am/pm: 8-11 read as morning and 12-7 as afternoon, so only those hours may drop it.
  if (hour >= 8 && hour <= 19) {
    options.push([`${h12}${mm}`, 3]);
    options.push([
      minutes === 0 ? numberWord(h12) : `${numberWord(h12)} ${numberWord(minutes).replace("-", " ")}`,
      1,
    ]);
    if (minutes === 30) options.push([`half past ${h12}`, 1]);
    if (minutes === 15) options.push([`quarter past ${h12}`, 1]);
    if (minutes === 45 && hour + 1 <= 19) options.push([`quarter to ${(hour + 1) % 12 || 12}`, 1]);
  }
  if (minute === 12 * 60) options.push(["noon", 3]);
  const terse = rng.weighted(options);
  const prep = rng.weighted([
    ["at ", 10],
    ["around ", 1],
    ["by ", 1],
  ] as const);
  return { text: `${prep}${terse}`, terse, minute };
}

/** A day and time in words, with the moment it means; `end` when it names a range. */
export interface WhenPhrase {
  text: string;
  start: Moment;
  hasTime: boolean;
  end?: Moment;
}

interface WhenOptions {
  /** Probability of a day without a time (reminders like "on Friday"). */
  dayOnly: number;
  /** Probability of a range such as "from 2 to 4pm" (events). */
  range: number;
  /** Probability of "in 2 hours" / "in 30 minutes". */
  relative: number;
}

export function pickWhen(rng: Rng, options: WhenOptions): WhenPhrase {
  if (rng.chance(options.relative)) return relativeWhen(rng);
  if (rng.chance(0.06)) return tonightWhen(rng);
  const day = pickDay(rng, true);
  if (rng.chance(options.dayOnly)) {
    return {
      text: rng.chance(0.5) ? day.on : day.bare,
      start: { day: day.offset, minute: 9 * 60 },
      hasTime: false,
    };
  }
  const minMinute = day.offset === 0 ? NOW_MINUTE + 60 : 0;
  if (day.periods && rng.chance(0.15)) {
    const [period, minute] = rng.pick<[string, number]>([
      ["morning", 9 * 60],
      ["afternoon", 15 * 60],
      ["evening", 19 * 60],
    ]);
    return { text: `${day.bare} ${period}`, start: { day: day.offset, minute }, hasTime: true };
  }
  if (rng.chance(options.range)) return rangeWhen(rng, day);
  if (rng.chance(0.1)) {
    const [phrase, minute] = rng.pick<[string, number]>([
      ["first thing", 8 * 60],
      ["at lunch", 12 * 60],
      ["at lunchtime", 12 * 60],
      ["at end of day", 17 * 60],
      ["in the morning", 9 * 60],
      ["in the afternoon", 15 * 60],
      ["in the evening", 19 * 60],
    ]);
    if (minute > minMinute) {
      const text =
        phrase === "first thing"
          ? `first thing ${day.bare}`
          : rng.chance(0.5)
            ? `${day.bare} ${phrase}`
            : `${phrase} ${day.on}`;
      return { text, start: { day: day.offset, minute }, hasTime: true };
    }
  }
  const time = clockTime(rng, minMinute);
  const text = rng.weighted([
    [`${day.bare} ${time.text}`, 5],
    [`${time.text} ${day.on}`, 3],
    [`${day.bare} ${time.terse}`, 2],
  ] as const);
  return { text, start: { day: day.offset, minute: time.minute }, hasTime: true };
}

function relativeWhen(rng: Rng): WhenPhrase {
  const [text, minutes] = rng.pick<[string, number]>([
    ["in 2 hours", 120],
    ["in two hours", 120],
    ["in an hour", 60],
    ["in 1 hour", 60],
    ["in 30 minutes", 30],
    ["in half an hour", 30],
    ["in 45 minutes", 45],
    ["in 15 min", 15],
    ["in 3 hours", 180],
    ["in 90 minutes", 90],
    ["in 20 mins", 20],
    ["in four hours", 240],
  ]);
  return { text, start: addMinutes({ day: 0, minute: NOW_MINUTE }, minutes), hasTime: true };
}

function tonightWhen(rng: Rng): WhenPhrase {
  const hour = rng.int(18, 22);
  if (rng.chance(0.3)) return { text: "tonight", start: { day: 0, minute: 20 * 60 }, hasTime: true };
  const h = hour - 12;
  const text = rng.pick([
    `tonight at ${h}`,
    `at ${h} tonight`,
    `tonight at ${h}pm`,
    `at ${h}pm tonight`,
    `this evening at ${h}`,
  ]);
  return { text, start: { day: 0, minute: hour * 60 }, hasTime: true };
}

function rangeWhen(rng: Rng, day: DayPhrase): WhenPhrase {
  const startHour = rng.int(day.offset === 0 ? 10 : 8, 17);
  const length = rng.pick([60, 60, 90, 120, 180]);
  const start = startHour * 60;
  const end = start + length;
  const fmt = (minute: number, withAmPm: boolean) => {
    const h = Math.floor(minute / 60);
    const m = minute % 60;
    return `${h % 12 || 12}${m ? `:${pad2(m)}` : ""}${withAmPm ? (h < 12 ? "am" : "pm") : ""}`;
  };
  const sameHalf = start < 12 * 60 === end < 12 * 60;
  const span = rng.weighted([
    [`from ${fmt(start, !sameHalf)} to ${fmt(end, true)}`, 4],
    [`from ${fmt(start, true)} to ${fmt(end, true)}`, 2],
    [`${fmt(start, !sameHalf)}-${fmt(end, true)}`, 2],
    [`from ${pad2(startHour)}:00 to ${pad2(Math.floor(end / 60))}:${pad2(end % 60)}`, 1],
  ] as const);
  const text = rng.chance(0.6) ? `${day.bare} ${span}` : `${span} ${day.on}`;
  return {
    text,
    start: { day: day.offset, minute: start },
    end: { day: day.offset, minute: end },
    hasTime: true,
  };
}

interface Duration {
  text: string;
  minutes: number;
}

function pickDuration(rng: Rng): Duration {
  const [text, minutes] = rng.pick<[string, number]>([
    ["for 15 minutes", 15],
    ["for 20 min", 20],
    ["for 30 minutes", 30],
    ["for half an hour", 30],
    ["for 30 mins", 30],
    ["for 45 minutes", 45],
    ["for an hour", 60],
    ["for 1 hour", 60],
    ["for 90 minutes", 90],
    ["for an hour and a half", 90],
    ["for 1.5 hours", 90],
    ["for 2 hours", 120],
    ["for two hours", 120],
    ["for 3 hrs", 180],
    ["for 25 minutes", 25],
    ["for forty-five minutes", 45],
  ]);
  return { text, minutes };
}

// ---------------------------------------------------------------------------------------------------------
// Slot pools. Open vocabularies: people are composed from first and last names of many cultures plus
// invented names, places from street patterns and business names, files and topics from parts, so a
// classifier cannot learn a closed list of values.
// ---------------------------------------------------------------------------------------------------------

const FIRST_NAMES = words(`
  Sid, Lutfi, Maya, Priya, Jon, Ana, Sam, Alex, Emma, Liam, Olivia, Noah, Sofia, Mateo, Lucía, Diego, Camila,
  Valentina, Santiago, José, María, Ximena, Joaquín, Inés, Chloé, Léa, Hugo, Louis, Zoë, Amélie, Théo, Margaux,
  Jürgen, Lena, Lukas, Anna, Felix, Jörg, Sophie, Björn, Åsa, Sigrid, Linnea, Mikael, Søren, Freya, Ingrid,
  Giulia, Matteo, Alessandro, Chiara, Lorenzo, Francesca, João, Beatriz, Tiago, Mariana, Gonçalo, Łukasz,
  Małgorzata, Zofia, Krzysztof, Agnieszka, Jiří, Tereza, Ondřej, Dmitri, Anastasia, Olga, Sergei, Natalia,
  Yulia, Bogdan, Oksana, Wei, Li, Mei, Jun, Xiaoming, Yan, Hao, Jing, Zhang Wei, Yuki, Haruto, Sakura, Ren,
  Aiko, Kenji, Hiroshi, Emi, Minjun, Seo-yeon, Ji-woo, Hyun, Min-ji, Linh, Minh, Thảo, Quang, Huong, Aarav,
  Ananya, Rohan, Isha, Vikram, Divya, Arjun, Lakshmi, Kavya, Rahul, Sanjay, Meera, Nikhil, Deepa, Zainab,
  Ayesha, Imran, Bilal, Fatima, Omar, Layla, Yusuf, Amira, Karim, Nour, Hassan, Leila, Reza, Shirin, Dariush,
  Parisa, Emre, Elif, Mehmet, Zeynep, Can, Ayşe, Chidi, Ngozi, Emeka, Adaeze, Oluwaseun, Funmilayo, Tunde,
  Yetunde, Kwame, Ama, Kofi, Abena, Wanjiru, Otieno, Amani, Zawadi, Tariku, Selam, Abebe, Hana, Noam, Yael,
  Avi, Tamar, Eitan, Dimitris, Eleni, Nikos, Katerina, Andrés, Paola, Rafael, Lucas, Ximena, Marisol, Jomar,
  Maricel, Rizal, Putri, Budi, Siti, Ayu, Somchai, Niran, Ploy, Aroha, Tane, Moana, Keanu, Leilani, Kai,
  Siobhán, Aoife, Niamh, Ciarán, Seán, Eoin, Saoirse, Rhys, Carys, Dylan, Ffion, Gareth, Þóra, Guðrún,
  Einar, Ásdís, Katalin, Zoltán, Ágnes, Bence, Aleksandar, Milena, Jovana, Dragan, Ioana, Andrei, Mihai,
  Elena, Grace, Henry, Charlotte, James, Amelia, Benjamin, Harper, Ethan, Ava, Mason, Ella, Lucas, Chloe,
  Jack, Ruby, Oscar, Isla, Leo, Evie, Arthur, Freddie, Poppy, Tyrone, Jamal, Keisha, DeShawn, Aaliyah,
  Marcus, Tanisha, Darnell, Imani, Malik, Ebony, Brooke, Hunter, Madison, Tyler, Kayla, Jordan, Taylor,
  Morgan, Riley, Quinn, Avery, Rowan, Sage, Frankie, Bea, Gus, Walt, Dot, Marge, Abdul, Mustafa, Sana,
  Hamza, Rania, Tomás, Catalina, Emilio, Renata, Nicolás, Agustina, Florencia, Iñaki, Nerea, Aitor, Ainhoa
`);

const LAST_NAMES = words(`
  Patel, Kim, Nguyen, Garcia, Smith, Johnson, Müller, Schmidt, Rossi, Bianchi, Dubois, Lefèvre, Moreau,
  Fernández, González, Rodríguez, López, Martínez, Pérez, Sánchez, Ramírez, Torres, Flores, Rivera, Silva,
  Santos, Oliveira, Souza, Costa, Pereira, Kowalski, Nowak, Wiśniewski, Dvořák, Novák, Ivanov, Petrov,
  Smirnova, Kovalenko, Shevchenko, Wang, Li, Zhang, Liu, Chen, Yang, Huang, Zhao, Wu, Zhou, Tanaka, Suzuki,
  Takahashi, Watanabe, Yamamoto, Nakamura, Sato, Park, Lee, Choi, Jung, Kang, Tran, Le, Pham, Hoang, Vu,
  Sharma, Gupta, Singh, Kumar, Iyer, Reddy, Nair, Mehta, Chatterjee, Banerjee, Khan, Ahmed, Hussain, Ali,
  Rahman, Haddad, Mansour, Nasser, Farouk, Hosseini, Rahimi, Karimi, Yılmaz, Kaya, Demir, Şahin, Çelik,
  Okafor, Adeyemi, Okonkwo, Balogun, Eze, Mensah, Asante, Owusu, Boateng, Kamau, Odhiambo, Mwangi,
  Tesfaye, Bekele, Haile, Cohen, Levi, Mizrahi, Friedman, Papadopoulos, Georgiou, Nikolaidis, Andersson,
  Johansson, Lindqvist, Nielsen, Hansen, Jensen, Larsen, Virtanen, Korhonen, Ó Briain, O'Connor, Murphy,
  Kelly, Byrne, Jones, Williams, Davies, Evans, Thomas, Roberts, Brown, Taylor, Wilson, Anderson, Thompson,
  White, Harris, Clark, Lewis, Walker, Hall, Young, King, Wright, Scott, Green, Baker, Adams, Nelson,
  Mitchell, Campbell, Washington, Jefferson, Okoye, Santiago, dos Santos, da Silva, van der Berg, de Vries,
  Jansen, Bakker, Visser, Smit, Horváth, Nagy, Tóth, Szabó, Popescu, Ionescu, Stoica, Jovanović, Petrović,
  Nikolić, Kahananui, Makoa, Ngata, Parata, Reyes, Cruz, Bautista, Mendoza, Santoso, Wijaya, Suzuki,
  Fitzgerald, MacLeod, McAllister, St. James, Delacroix, Beaumont, Castellanos, Villanueva, Aguilar
`);

const SYLLABLES_START = words(
  "ka, lo, mi, ta, ri, so, ve, na, el, an, zo, be, da, fe, ja, yo, ke, lu, ma, ni, or, sa, ti, vi, ar, ha",
);
const SYLLABLES_MID = words("ra, li, no, mi, ta, ve, si, la, re, do, ni, ko, ma, ne, ri, lo");
const SYLLABLES_END = words("n, a, o, el, is, ra, ine, an, ek, ia, on, ur, ette, us, ay, im");

/** A plausible name nobody wrote down: keeps the name vocabulary open. */
function inventedName(rng: Rng): string {
  const parts = [
    rng.pick(SYLLABLES_START),
    rng.chance(0.6) ? rng.pick(SYLLABLES_MID) : "",
    rng.pick(SYLLABLES_END),
  ];
  return capitalize(parts.join(""));
}

const firstName = (rng: Rng) =>
  rng.chance(Math.max(0.08, rng.openVocabulary)) ? inventedName(rng) : rng.pick(FIRST_NAMES);
const lastName = (rng: Rng) =>
  rng.chance(Math.max(0.08, rng.openVocabulary)) ? inventedName(rng) : rng.pick(LAST_NAMES);

/** A value from `pool`, or with the open-vocabulary share an invented word; no extra draw when that is 0. */
function openPick(rng: Rng, pool: readonly string[]): string {
  if (rng.openVocabulary > 0 && rng.chance(rng.openVocabulary)) return inventedName(rng);
  return rng.pick(pool);
}

/** Relations and roles people keep in Contacts: [how the request says it, the name looked up]. */
const RELATIONS: [string, string][] = [
  ["Mom", "Mom"],
  ["mom", "Mom"],
  ["my mom", "Mom"],
  ["Mum", "Mum"],
  ["Dad", "Dad"],
  ["my dad", "Dad"],
  ["my sister", "Sister"],
  ["my brother", "Brother"],
  ["my wife", "Wife"],
  ["my husband", "Husband"],
  ["my boss", "Boss"],
  ["my landlord", "Landlord"],
  ["Grandma", "Grandma"],
  ["Grandpa", "Grandpa"],
  ["my manager", "Manager"],
  ["the babysitter", "Babysitter"],
  ["my dentist", "Dentist"],
  ["my accountant", "Accountant"],
  ["Nana", "Nana"],
  ["my roommate", "Roommate"],
  ["my plumber", "Plumber"],
  ["my trainer", "Trainer"],
];

const TITLES = words("Dr., Professor, Coach, Aunt, Uncle, Mr., Ms., Mrs., Auntie, Pastor");

/** A person as a request names them, and the name a Contacts lookup would use. */
interface Person {
  surface: string;
  lookup: string;
  /** "Sid's", "my sister's" */
  possessive: string;
}

function possessive(surface: string): string {
  return /s$/i.test(surface) ? `${surface}'` : `${surface}'s`;
}

function pickPerson(rng: Rng): Person {
  const form = rng.weighted([
    ["first", 60],
    ["full", 22],
    ["relation", 10],
    ["title", 8],
  ] as const);
  let surface: string;
  let lookup: string;
  if (form === "relation") [surface, lookup] = rng.pick(RELATIONS);
  else {
    const name =
      form === "first"
        ? firstName(rng)
        : form === "full"
          ? `${firstName(rng)} ${lastName(rng)}`
          : `${rng.pick(TITLES)} ${rng.chance(0.5) ? lastName(rng) : firstName(rng)}`;
    surface = name;
    lookup = name;
  }
  return { surface, lookup, possessive: possessive(surface) };
}

/** Distinct people for parallel lookups. */
function pickPeople(rng: Rng, count: number): Person[] {
  const people: Person[] = [];
  while (people.length < count) {
    const person = pickPerson(rng);
    if (!people.some((p) => p.lookup.toLowerCase() === person.lookup.toLowerCase())) people.push(person);
  }
  return people;
}

/** "Sid", "Sid and Ana", "Sid, Ana and Lutfi" (or with an Oxford comma, or "&"). */
function listText(items: readonly string[], rng: Rng): string {
  if (items.length === 1) return items[0]!;
  const last = items[items.length - 1]!;
  const head = items.slice(0, -1).join(", ");
  const joiner = rng.weighted([
    [" and ", 8],
    [items.length > 2 ? ", and " : " and ", 2],
    [" & ", 1],
  ] as const);
  return `${head}${joiner}${last}`;
}

const ASCII_FOLD: Record<string, string> = {
  ß: "ss",
  ø: "o",
  æ: "ae",
  ł: "l",
  đ: "d",
  ı: "i",
  þ: "th",
  ð: "d",
  œ: "oe",
};
function asciiFold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[ßøæłđıþðœ]/g, (c) => ASCII_FOLD[c] ?? c)
    .replace(/[^A-Za-z0-9]/g, "")
    .toLowerCase();
}

const MAIL_DOMAINS = words(
  "gmail.com, outlook.com, icloud.com, yahoo.com, proton.me, hotmail.com, me.com, fastmail.com, gmx.de, web.de, orange.fr, libero.it",
);
const DOMAIN_WORDS = words(
  "acme, northwind, bright, lumen, cobalt, harbor, summit, pixel, maple, orbit, nimbus, quartz, tandem, vega, atlas, fable, kite, birch, delta, ember",
);
const DOMAIN_SUFFIXES = words("labs, works, co, studio, group, health, capital, design, tech, media, legal");
const TLDS = words("com, io, co, org, net, co.uk, de, fr, in, com.au, ca, es, nl, jp");

/** A literal email address: when the request gives one, the plan uses it without a lookup. */
function pickEmailAddress(rng: Rng): string {
  const first = asciiFold(firstName(rng)) || "alex";
  const last = asciiFold(lastName(rng)) || "lee";
  const local = rng.weighted([
    [first, 3],
    [`${first}.${last}`, 4],
    [`${first[0]}${last}`, 3],
    [`${first}_${last}`, 1],
    [`${first}${rng.int(1, 99)}`, 2],
    [`${last}.${first}`, 1],
    [rng.pick(["hello", "info", "billing", "support", "team", "hr", "press", "office"]), 1],
  ] as const);
  const domain = rng.chance(0.5)
    ? rng.pick(MAIL_DOMAINS)
    : `${rng.pick(DOMAIN_WORDS)}${rng.chance(0.5) ? rng.pick(DOMAIN_SUFFIXES) : ""}.${rng.pick(TLDS)}`;
  return `${local}@${domain}`;
}

const digits = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join("");

/** A literal phone number in one of several national formats. */
function pickPhoneNumber(rng: Rng): string {
  const area = `${rng.int(2, 9)}${digits(rng, 2)}`;
  return rng.weighted([
    [`+1 ${area} 555 ${digits(rng, 4)}`, 3],
    [`(${area}) 555-${digits(rng, 4)}`, 3],
    [`${area}-555-${digits(rng, 4)}`, 2],
    [`+44 7700 900${digits(rng, 3)}`, 1],
    [`07700 900${digits(rng, 3)}`, 1],
    [`+33 6 ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)} ${digits(rng, 2)}`, 1],
    [`+49 151 ${digits(rng, 8)}`, 1],
    [`+91 98${digits(rng, 3)} ${digits(rng, 5)}`, 1],
    [`+81 90-${digits(rng, 4)}-${digits(rng, 4)}`, 1],
    [`+61 4${digits(rng, 2)} ${digits(rng, 3)} ${digits(rng, 3)}`, 1],
    [`555${digits(rng, 4)}`, 1],
  ] as const);
}

/** Who a message goes to: a named contact (looked up) or a literal address/number (used as is). */
interface Recipient {
  surface: string;
  /** Contacts name to look up, when the request names a person. */
  lookup?: string;
  /** The address or number itself, when the request gives it. */
  literal?: string;
}

function recipientsFor(rng: Rng, medium: "email" | "phone", count: number, literalShare = 0.15): Recipient[] {
  return pickPeople(rng, count).map((person) =>
    rng.chance(literalShare)
      ? (() => {
          const literal = medium === "email" ? pickEmailAddress(rng) : pickPhoneNumber(rng);
          return { surface: literal, literal };
        })()
      : { surface: person.surface, lookup: person.lookup },
  );
}

const peopleCount = (rng: Rng) =>
  rng.weighted([
    [1, 75],
    [2, 18],
    [3, 7],
  ] as const);

// Places -------------------------------------------------------------------------------------------------

const LANDMARKS = words(`
  Golden Gate Bridge, the Ferry Building, Union Square, Central Park, Times Square, the Empire State Building,
  the Louvre, the Eiffel Tower, Sagrada Família, Park Güell, the Colosseum, Trevi Fountain, Brandenburg Gate,
  Alexanderplatz, Big Ben, Tower Bridge, the British Museum, Shibuya Crossing, Tokyo Tower, Senso-ji, Gyeongbokgung,
  the Sydney Opera House, Bondi Beach, Christ the Redeemer, Copacabana Beach, the CN Tower, Stanley Park,
  Millennium Park, the Space Needle, Pike Place Market, the Getty Center, Griffith Observatory, Dolores Park,
  Alcatraz, the Rijksmuseum, Vondelpark, Prater, Schönbrunn Palace, Charles Bridge, Nyhavn, Tivoli Gardens,
  the Acropolis, Galata Tower, the Grand Bazaar, Marina Bay Sands, Gardens by the Bay, Table Mountain,
  the Burj Khalifa, the Taj Mahal, Gateway of India, Kew Gardens, Hyde Park, Penn Station, Grand Central,
  Union Station, Gare du Nord, King's Cross, Shinjuku Station, SFO, JFK, Heathrow Airport, O'Hare, LAX,
  Schiphol, Changi Airport, the Met, MoMA, the Smithsonian, Lincoln Center, Wembley Stadium, Camp Nou,
  Stanford University, UC Berkeley, MIT, the Golden Pavilion, Plaza Mayor, Puerta del Sol, Hagia Sophia
`);

const CITIES = words(`
  San Francisco, Oakland, Berkeley, San José, Palo Alto, Los Angeles, San Diego, Seattle, Portland, Denver,
  Austin, Houston, Chicago, Boston, New York, Brooklyn, Philadelphia, Atlanta, Miami, Toronto, Montréal,
  Vancouver, Mexico City, Guadalajara, Bogotá, Lima, São Paulo, Rio de Janeiro, Buenos Aires, Santiago,
  London, Manchester, Edinburgh, Dublin, Paris, Lyon, Marseille, Brussels, Amsterdam, Rotterdam, Berlin,
  Munich, Hamburg, Düsseldorf, Köln, Zürich, Geneva, Vienna, Prague, Kraków, Warsaw, Budapest, Copenhagen,
  Stockholm, Oslo, Helsinki, Reykjavík, Lisbon, Porto, Madrid, Barcelona, Sevilla, Málaga, Rome, Milan,
  Naples, Florence, Athens, Istanbul, Tel Aviv, Dubai, Cairo, Lagos, Accra, Nairobi, Addis Ababa,
  Johannesburg, Cape Town, Mumbai, Bengaluru, Delhi, Chennai, Karachi, Dhaka, Bangkok, Hanoi, Hồ Chí Minh City,
  Singapore, Kuala Lumpur, Jakarta, Manila, Hong Kong, Shanghai, Beijing, Taipei, Seoul, Busan, Tokyo, Osaka,
  Kyoto, Sydney, Melbourne, Auckland, Wellington, Honolulu
`);

const STREET_NAMES = words(`
  Maple, Oak, Market, Mission, Valencia, Elm, High, King, Queen, Church, Bridge, Mill, Park, Lake, Cedar,
  Sunset, Ocean, Harbor, Willow, Chestnut, Baker, Abbey, Broad, Castle, Pine, Hill, Spring, Washington,
  Lincoln, Jackson, Franklin, Madison, Grant, Main, Front, Water, Cherry, Walnut, Birch, Aspen, Magnolia,
  Juniper, Laurel, Hawthorne, Alder, Sycamore, Cypress, Orchard, Meadow, River, Lakeshore, Bayview, Hillcrest,
  Kingsley, Fairview, Beacon, Commonwealth, Telegraph, Shattuck, Divisadero, Castro, Haight, Fillmore
`);
const STREET_TYPES = words(
  "Street, St, Avenue, Ave, Road, Rd, Boulevard, Blvd, Lane, Drive, Way, Place, Court, Terrace",
);
const FOREIGN_STREETS = words(
  "rue Oberkampf, rue de Rivoli, Calle Mayor, Calle de Alcalá, Hauptstraße, Kastanienallee, Via del Corso, Rua Augusta, Karl Johans gate, Nørrebrogade, Váci utca, ulica Floriańska",
);
const BUSINESS_ADJ = words(
  "Golden, Blue, Little, Red, Green, Silver, Old, Happy, Wild, Lucky, Hidden, Rustic, Urban, Crooked, Sunny, Velvet, Copper, Salty, Midnight, Honey",
);
const BUSINESS_NOUN = words(
  "Fern, Door, Lotus, Fox, Spoon, Lantern, Anchor, Oak, Sparrow, Bean, Whisk, Pepper, Olive, Kettle, Moon, Pearl, Cactus, Tiger, Basil, Harbor",
);
const BUSINESS_TYPE = words(
  "Café, Bakery, Ramen, Bistro, Taqueria, Pizzeria, Deli, Diner, Books, Gym, Yoga, Dental, Pharmacy, Hardware, Coffee, Tea House, Barbershop, Noodle Bar, Brewery, Market",
);
const BRANDS = words(
  "Blue Bottle Coffee, Whole Foods, Trader Joe's, Costco, IKEA, the Apple Store, Home Depot, Walgreens, CVS, Starbucks, Target, Safeway, Tesco, Lidl, Aldi, Peet's Coffee, Chipotle, In-N-Out, REI, Best Buy",
);
const GENERIC_PLACES = words(
  "the nearest pharmacy, a gas station nearby, the closest ATM, the nearest hospital, a post office, the closest EV charger, a parking garage, the nearest urgent care, a hardware store nearby, the closest coffee shop",
);
const NEAR_ME = words(
  "coffee, tacos, sushi, a pharmacy, a gym, ramen, a laundromat, a vet, parking, an ATM, a bike shop, pho, dim sum, a florist, a notary",
);

/** A place: how the request says it, and what the plan passes to Maps (no leading "the"). */
interface Place {
  surface: string;
  value: string;
}

function place(surface: string): Place {
  return { surface, value: surface.replace(/^(the|a|an) /i, "") };
}

function pickPlace(rng: Rng): Place {
  const kind = rng.weighted([
    ["landmark", 5],
    ["city", 3],
    ["address", 5],
    ["foreign", 1],
    ["business", 4],
    ["brand", 2],
    ["generic", 1],
  ] as const);
  switch (kind) {
    case "landmark":
      return place(rng.pick(LANDMARKS));
    case "city":
      return place(openPick(rng, CITIES));
    case "address": {
      const street = `${rng.int(1, 2999)} ${openPick(rng, STREET_NAMES)} ${rng.pick(STREET_TYPES)}`;
      return place(rng.chance(0.4) ? `${street}, ${openPick(rng, CITIES)}` : street);
    }
    case "foreign": {
      const street = rng.pick(FOREIGN_STREETS);
      const n = rng.int(1, 180);
      return place(street.startsWith("rue") ? `${n} ${street}` : `${street} ${n}`);
    }
    case "business": {
      const name = rng.chance(0.35)
        ? `${lastName(rng)}'s ${rng.pick(BUSINESS_TYPE)}`
        : `${rng.pick(BUSINESS_ADJ)} ${openPick(rng, BUSINESS_NOUN)} ${rng.pick(BUSINESS_TYPE)}`;
      return place(
        rng.chance(0.3) ? `${name} on ${openPick(rng, STREET_NAMES)} ${rng.pick(STREET_TYPES)}` : name,
      );
    }
    case "brand": {
      const brand = rng.pick(BRANDS);
      return place(rng.chance(0.4) ? `${brand} on ${openPick(rng, STREET_NAMES)}` : brand);
    }
    case "generic":
      return place(rng.chance(0.5) ? rng.pick(GENERIC_PLACES) : `${rng.pick(NEAR_ME)} near me`);
  }
}

/** Where directions start: a place, or home/work as the person says it. */
function pickStart(rng: Rng): Place {
  if (rng.chance(0.4)) {
    const [surface, value] = rng.pick<[string, string]>([
      ["home", "Home"],
      ["my place", "Home"],
      ["work", "Work"],
      ["the office", "Office"],
      ["my hotel", "Hotel"],
      ["school", "School"],
    ]);
    return { surface, value };
  }
  return pickPlace(rng);
}

/** How to travel, with the Maps flag: d driving, w walking, r public transit. */
function pickTransport(rng: Rng): { text: string; flag: "d" | "w" | "r" } {
  return rng.pick<{ text: string; flag: "d" | "w" | "r" }>([
    { text: "by car", flag: "d" },
    { text: "driving", flag: "d" },
    { text: "if I drive", flag: "d" },
    { text: "on foot", flag: "w" },
    { text: "walking", flag: "w" },
    { text: "if I walk", flag: "w" },
    { text: "by train", flag: "r" },
    { text: "by bus", flag: "r" },
    { text: "on public transit", flag: "r" },
    { text: "by subway", flag: "r" },
    { text: "using transit", flag: "r" },
    { text: "on the metro", flag: "r" },
    { text: "by tram", flag: "r" },
  ]);
}

// Files --------------------------------------------------------------------------------------------------

const PROJECTS = words(`
  Q1, Q2, Q3, Q4, 2023, 2024, FY24, Apollo, Orion, Falcon, Atlas, Phoenix, Nimbus, Helix, Aurora, Kestrel,
  Henderson, Acme, Northwind, onboarding, sales, marketing, hiring, board, investor, tax, lease, insurance,
  mortgage, wedding, vendor, client, Q3 sales, March, September, holiday, research, grant, pricing, security
`);
const DOC_TYPES = words(`
  report, deck, proposal, contract, invoice, agreement, slides, minutes, budget, roadmap, whitepaper, memo,
  brief, plan, review, summary, policy, statement, itinerary, receipt, analysis, forecast, spec, case study,
  newsletter, handbook, checklist, paper, presentation, estimate, quote, timeline, audit
`);
const PERSONAL_DOCS = words(
  "resume, CV, cover letter, passport scan, boarding pass, lease, tax return, pay stub, vaccination record, thesis draft, syllabus, recipe book, car insurance policy, medical report, birth certificate, rental application",
);
const EXTENSIONS = words(".pdf, .docx, .pptx, .key, .xlsx, .pages, .numbers");

/** A file: how the request says it ("the Q3 deck", "Q3_deck_final.pdf") and the name searched for. */
interface FileRef {
  surface: string;
  value: string;
}

function pickFile(rng: Rng, pdf: boolean): FileRef {
  const kind = rng.weighted([
    ["project", 6],
    ["personal", 3],
    ["filename", 3],
  ] as const);
  if (kind === "filename") {
    const stem = `${openPick(rng, PROJECTS)}_${rng.pick(DOC_TYPES)}`.replace(/ /g, "_");
    const version = rng.pick(["", "_final", "_v2", "_v3", "_draft", "-signed", "_2024"]);
    const ext = pdf ? ".pdf" : rng.pick(EXTENSIONS);
    const name = `${rng.chance(0.5) ? stem : stem.toLowerCase()}${version}${ext}`;
    return { surface: name, value: name };
  }
  const base =
    kind === "project" ? `${openPick(rng, PROJECTS)} ${rng.pick(DOC_TYPES)}` : rng.pick(PERSONAL_DOCS);
  const suffix = rng.weighted([
    ["", 6],
    [pdf ? " pdf" : rng.pick([" pdf", " doc", " file", " spreadsheet"]), 2],
    [pdf ? " PDF" : " document", 1],
  ] as const);
  const determiner =
    kind === "personal" ? rng.pick(["my ", "my ", "the "]) : rng.pick(["the ", "the ", "our ", "that "]);
  return { surface: `${determiner}${base}${suffix}`, value: base };
}

// Notes ----------------------------------------------------------------------------------------------------

const NOTE_TITLES = words(`
  Groceries, Packing list, Book ideas, Gift ideas, Meeting notes, Recipes, Workout log, Reading list,
  Movies to watch, Travel plans, Wedding planning, Garden, Bucket list, Home repairs, Podcast ideas,
  Birthday party, Side project, Journal, Quotes, Restaurant list, Baby names, Moving checklist, Budget,
  Weekly goals, Standup notes, Interview questions, Blog drafts, Shopping list, Christmas list, Dream log,
  Song lyrics, Study notes, Vet info, Car maintenance, Plant care, Passwords hint, Team offsite, Reunion,
  To-do, Chores, Errands, Someday, Ideas, Work log, Daily log, Contacts to call, Things to fix, Questions
`);
const NOTE_FOLDERS = words(
  "Work, Personal, Travel, Recipes, Projects, Home, School, Family, Ideas, Archive, Health, Finance",
);

function pickNoteTitle(rng: Rng): string {
  const kind = rng.weighted([
    ["pool", 6],
    ["project", 2],
    ["trip", 1],
    ["person", 1],
  ] as const);
  if (kind === "pool") return openPick(rng, NOTE_TITLES);
  if (kind === "project")
    return `${capitalize(openPick(rng, PROJECTS))} ${rng.pick(["notes", "ideas", "todo", "research", "retro", "plan"])}`;
  if (kind === "trip") return `${openPick(rng, CITIES)} trip`;
  return `${firstName(rng)} ${rng.pick(["1:1", "gift ideas", "notes", "birthday"])}`;
}

const GROCERIES = words(`
  oat milk, eggs, bread, avocados, coffee beans, bananas, spinach, rice, tofu, olive oil, tomatoes, garlic,
  onions, chicken thighs, salmon, yogurt, butter, cheddar, feta, pasta, lentils, chickpeas, kimchi, miso,
  tortillas, cilantro, limes, lemons, apples, blueberries, strawberries, honey, oats, almonds, dish soap,
  paper towels, toothpaste, sparkling water, cat food, dog treats, batteries, light bulbs, sunscreen, basil
`);

/** Text for a note: a list of items, an idea, a fact to keep. */
function pickNoteContent(rng: Rng): string {
  const kind = rng.weighted([
    ["items", 4],
    ["idea", 3],
    ["fact", 3],
  ] as const);
  if (kind === "items") return listText(rng.sample(GROCERIES, rng.int(1, 4)), rng);
  if (kind === "idea") {
    return rng.pick([
      `a ${rng.pick(["podcast", "newsletter", "blog post", "short story", "talk"])} about ${rng.pick(TOPICS)}`,
      `try the ${rng.pick(BUSINESS_ADJ)} ${rng.pick(BUSINESS_NOUN)} ${rng.pick(["Café", "Bistro", "Ramen"])}`,
      `read ${rng.pick(BOOKS)}`,
      `ask ${firstName(rng)} about ${rng.pick(TOPICS)}`,
      `idea: ${rng.pick(TOPICS)} dashboard`,
      `watch ${rng.pick(MOVIES)}`,
      `gift for ${firstName(rng)}: ${rng.pick(GIFTS)}`,
    ]);
  }
  return rng.pick([
    `wifi password is ${rng.pick(BUSINESS_NOUN).toLowerCase()}${rng.int(10, 999)}`,
    `gate code ${rng.int(1000, 9999)}`,
    `${firstName(rng)} owes me ${pickMoney(rng)}`,
    `parked on level ${rng.int(1, 6)}, spot ${rng.pick(["A", "B", "C", "D"])}${rng.int(1, 60)}`,
    `dentist said floss more`,
    `the ${rng.pick(PROJECTS)} launch slipped to ${rng.pick(MONTHS)}`,
    `${rng.pick(TOPICS)} decision: go with option ${rng.pick(["A", "B", "2", "3"])}`,
    `flight ${rng.pick(["UA", "LH", "AF", "BA", "NH", "QF", "EK"])}${rng.int(10, 999)} lands at ${rng.int(1, 12)}:${pad2(rng.pick([0, 15, 30, 45]))}`,
    `shoe size ${rng.int(36, 46)} EU`,
    `order #${rng.int(10000, 99999)} arrives ${rng.pick(WEEKDAYS)}`,
    `the address ${rng.int(1, 2999)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_TYPES)}`,
    `${rng.pick(["locker", "garage", "alarm", "door", "bike lock"])} code is ${rng.int(1000, 9999)}`,
    `${firstName(rng)} prefers ${rng.pick(["mornings", "email over calls", "tea", "aisle seats", "Thursdays"])}`,
    `${firstName(rng)}'s kids are ${rng.int(3, 12)} and ${rng.int(3, 12)}`,
    `membership number ${rng.int(100000, 999999)}`,
    `${rng.pick(["card", "cake", "balloons", "karaoke", "flowers", "a photo book"])}, ${rng.pick(["snacks", "playlist", "speech", "decorations"])}`,
  ]);
}

// Topics, messages, money --------------------------------------------------------------------------------

const TOPICS = words(`
  the Q3 budget, the offsite, hiring, the launch, the roadmap, onboarding, pricing, the redesign, the migration,
  the quarterly review, the grant application, the conference talk, the board meeting, the client pitch,
  the security audit, vacation plans, the move, the wedding, the fundraiser, the school trip, the new website,
  the marketing plan, the sprint, the holiday party, the API changes, the data pipeline, the hackathon,
  the book club, the newsletter, the user study, the partnership, the rent increase, the car repair
`);
const MEETING_KINDS = words(
  "sync, kickoff, review, retro, planning, standup, 1:1, interview, demo, check-in, brainstorm, catch-up, debrief, workshop, office hours",
);
const BOOKS = words(
  "Dune, Beloved, Middlemarch, Things Fall Apart, One Hundred Years of Solitude, The Remains of the Day, Pachinko, Norwegian Wood, The Overstory, Circe, Piranesi, Klara and the Sun",
);
const MOVIES = words(
  "Spirited Away, Parasite, Amélie, Roma, Arrival, Past Lives, Drive My Car, The Godfather, Paddington 2, Coco",
);
const GIFTS = words(
  "a scarf, noise-cancelling headphones, a cookbook, a plant, concert tickets, a board game, a watch, a spa voucher, a tea set",
);
const EMOJI = words("🎉, 🍕, 👍, ❤️, 😂, 🙏, 🎂, ☕, 🚗, ✈️, 🔥, 😅, 🥳, 👀, 💐, 🌮");
const ITEMS = [
  ...GROCERIES,
  ...words(
    "the dry cleaning, my package, the kids, a birthday cake, wine, ice, the prescription, the keys, flowers",
  ),
];

function pickMoney(rng: Rng): string {
  const amount = rng.weighted([
    [String(rng.int(5, 99)), 5],
    [`${rng.int(1, 9)},${rng.int(100, 999)}`, 2],
    [`${rng.int(10, 300)}.${pad2(rng.int(0, 99))}`, 2],
  ] as const);
  return rng.weighted([
    [`$${amount}`, 6],
    [`€${amount}`, 2],
    [`£${amount}`, 2],
    [`¥${rng.int(1, 50) * 100}`, 1],
    [`₹${rng.int(1, 90) * 100}`, 1],
    [`CHF ${amount}`, 1],
    [`${rng.int(5, 90)} bucks`, 1],
  ] as const);
}

/**
 * A meeting or event title. A meeting *with* someone ("1:1 with Ana", "Lunch with Sam") invites them, so
 * the title carries that guest and the plan looks them up; a title that only mentions a person
 * ("Pick up Sam from SFO") invites nobody.
 */
interface Titled {
  text: string;
  guest?: string;
}

function withGuest(rng: Rng, what: string): Titled {
  const guest = firstName(rng);
  return { text: `${what} with ${guest}`, guest };
}

/** A meeting topic: "Apollo kickoff", "Q3 budget", "1:1 with Ana" (`guests: false` leaves people out). */
function pickTopic(rng: Rng, guests = true): Titled {
  const kind = rng.weighted([
    ["project", 5],
    ["topic", 3],
    ["person", guests ? 1 : 0],
  ] as const);
  if (kind === "project")
    return { text: `${capitalize(openPick(rng, PROJECTS))} ${rng.pick(MEETING_KINDS)}` };
  if (kind === "topic") return { text: capitalize(rng.pick(TOPICS).replace(/^the /, "")) };
  return withGuest(rng, rng.pick(["1:1", "Catch-up", "Sync", "Coffee chat"]));
}

/** An event for the calendar. */
function pickEventTitle(rng: Rng): Titled {
  const kind = rng.weighted([
    ["topic", 4],
    ["meal", 1],
    ["trip", 0.3],
    ["mention", 0.4],
    ["life", 4.3],
  ] as const);
  if (kind === "topic") return pickTopic(rng);
  if (kind === "meal")
    return withGuest(rng, rng.pick(["Lunch", "Coffee", "Drinks", "Dinner", "Brunch", "Tennis"]));
  if (kind === "trip") return { text: `Flight to ${openPick(rng, CITIES)}` };
  if (kind === "mention") {
    const name = firstName(rng);
    return {
      text: rng.pick([
        `Pick up ${name} from ${rng.pick(["SFO", "the station", "school", "JFK"])}`,
        `${possessive(name)} birthday dinner`,
        `Drop ${name} at practice`,
      ]),
    };
  }
  return { text: rng.pick(LIFE_EVENTS) };
}

const LIFE_EVENTS = [
  "Dentist appointment",
  "Haircut",
  "Yoga class",
  "Parent-teacher conference",
  "Flight to Lisbon",
  "Birthday dinner at Nonna's",
  "Car service",
  "Team offsite",
  "Doctor's appointment",
  "Vet appointment for Biscuit",
  "Piano lesson",
  "Soccer practice",
  "Book club",
  "Date night",
  "Physio",
  "Therapy",
  "Volunteer shift",
  "Open house",
  "Pick up Grandma from the airport",
  "Tax prep",
  "Apartment viewing",
  "Guitar lesson",
  "Farmers market",
  "Gym",
  "Study group",
  "Job interview",
  "Pick up passport",
];

/** The guest a title names, as a recipient to look up and invite. */
const guestsOf = (titled: Titled): Recipient[] =>
  titled.guest ? [{ surface: titled.guest, lookup: titled.guest }] : [];

/** What a text message says, in the sender's words. */
function pickSmsMessage(rng: Rng): string {
  const n = rng.pick([5, 10, 15, 20, 30]);
  return rng.pick([
    `I'm running ${n} minutes late`,
    `running ${n} min late, sorry`,
    "I'm on my way",
    "on my way!",
    `can you grab ${rng.pick(ITEMS)} on the way home?`,
    `happy birthday! ${rng.pick(EMOJI)}`,
    `dinner is at ${rng.int(6, 9)}`,
    `you owe me ${pickMoney(rng)} for ${rng.pick(["the tickets", "pizza", "the cab", "groceries", "the gift", "dinner"])}`,
    `I'll be there in ${n}`,
    "call me when you land",
    "did you feed the cat?",
    `meet me at ${pickPlace(rng).value} at ${rng.int(1, 11)}`,
    `the ${rng.pick(["plumber", "electrician", "package", "delivery"])} is coming ${rng.pick(["tomorrow", "at noon", "on Friday", "this afternoon"])}`,
    `congrats on ${rng.pick(["the new job", "the promotion", "the baby", "graduating", "the marathon"])}! ${rng.pick(EMOJI)}`,
    `thanks for ${rng.pick(["dinner", "the ride", "your help today", "the flowers", "covering for me"])}`,
    "can we move our call to tomorrow?",
    `I left the keys ${rng.pick(["under the mat", "with the neighbor", "at the front desk"])}`,
    `bring ${pickMoney(rng)} for ${rng.pick(["pizza", "the parking", "the raffle", "snacks"])}`,
    `I miss you ${rng.pick(EMOJI)}`,
    `are we still on for ${rng.pick(["tonight", "lunch", "the movie", "Saturday"])}?`,
    "sorry, can't talk right now",
    `the game starts at ${rng.int(1, 9)}:${pad2(rng.pick([0, 30]))}`,
    `please pick up ${rng.pick(["the kids", "Emma", "the dog", "my prescription"])} at ${rng.int(2, 6)}`,
    "ok 👍",
    `the wifi password is ${rng.pick(BUSINESS_NOUN).toLowerCase()}${rng.int(10, 99)}`,
  ]);
}

/** A new email: a subject line and what it should say. */
function pickEmailContent(rng: Rng): { subject: string; message: string } {
  const topic = rng.pick(TOPICS);
  const Topic = capitalize(topic.replace(/^the /, ""));
  const day = rng.pick(["Friday", "Monday", "tomorrow", "next week", "Thursday", "end of day"]);
  return rng.pick([
    {
      subject: `${Topic} meeting moved`,
      message: `the ${topic.replace(/^the /, "")} meeting is moved to ${day}`,
    },
    { subject: Topic, message: `I'll send the notes on ${topic} by ${day}` },
    { subject: `Pushing ${topic.replace(/^the /, "")}`, message: `can we push ${topic} to next week?` },
    { subject: "Thank you", message: `thanks for your help with ${topic}` },
    {
      subject: `${Topic} review`,
      message: `please review the ${rng.pick(DOC_TYPES)} for ${topic} before ${day}`,
    },
    { subject: "Out of office", message: `I'm out of office until ${day}` },
    { subject: `Invoice ${rng.int(1000, 9999)}`, message: `the invoice for ${pickMoney(rng)} has been paid` },
    {
      subject: `Quick chat about ${topic.replace(/^the /, "")}`,
      message: `are you free ${day} to talk about ${topic}?`,
    },
    {
      subject: "Congrats!",
      message: `congrats on ${rng.pick(["the launch", "the promotion", "the new role", "the award"])}!`,
    },
    { subject: "Welcome", message: "welcome to the team, so glad to have you" },
    { subject: `Running late`, message: `I'll be ${rng.pick([10, 15, 20])} minutes late to ${topic}` },
    { subject: `${Topic} budget`, message: `we're about ${pickMoney(rng)} over budget on ${topic}` },
    { subject: `${Topic} update`, message: `quick update: ${topic} is on track for ${day}` },
    { subject: "Dinner plans", message: `want to get dinner ${day}? my treat ${rng.pick(EMOJI)}` },
    { subject: `Question about ${topic.replace(/^the /, "")}`, message: `who owns ${topic} now?` },
  ]);
}

/** What to say in a reply to the email that is open. */
function pickReplyMessage(rng: Rng): string {
  return rng.pick([
    "I'll be there",
    "sounds good, see you then",
    "thanks, got it",
    `I can't make it ${rng.pick(["on Friday", "tomorrow", "this week", "at that time"])}`,
    `let's do ${rng.int(1, 5)}pm instead`,
    "yes, that works for me",
    "no thanks, not this time",
    `I'll look into it and get back to you by ${rng.pick(WEEKDAYS)}`,
    "approved, go ahead",
    `the budget is ${pickMoney(rng)}, does that work?`,
    "can you send more details?",
    "count me in! 🎉",
    "sorry for the delay, here it is",
    `I'm out until ${rng.pick(WEEKDAYS)}, will reply properly then`,
    "thanks for the update",
    "please loop me in on the next steps",
    `we're happy to move forward with ${rng.pick(TOPICS)}`,
    "looks great, just one small comment on the intro",
  ]);
}

/** Something to be reminded of, in the person's words (names and money stay part of the text). */
function pickTask(rng: Rng): string {
  return rng.pick([
    `pay the ${rng.pick(["electric", "water", "phone", "internet", "gas", "credit card"])} bill`,
    `pay rent (${pickMoney(rng)})`,
    `call ${firstName(rng)}`,
    `call the ${rng.pick(["dentist", "bank", "landlord", "vet", "insurance company", "plumber"])}`,
    `renew my ${rng.pick(["passport", "driver's license", "gym membership", "library card", "car registration"])}`,
    `buy ${rng.pick(ITEMS)}`,
    `pick up ${rng.pick(ITEMS)}`,
    `submit the ${pickFile(rng, false).value}`,
    `book ${rng.pick(["flights to", "a hotel in", "a table in"])} ${rng.pick(CITIES)}`,
    "water the plants",
    "take out the trash",
    `email ${firstName(rng)} back`,
    `text ${firstName(rng)} about ${rng.pick(["the weekend", "dinner", "the keys", "the trip"])}`,
    `send ${firstName(rng)} the ${rng.pick(DOC_TYPES)}`,
    `check the calendar for ${rng.pick(["next week", "the offsite", "June"])}`,
    `pay ${firstName(rng)} back ${pickMoney(rng)}`,
    "stretch",
    "take my meds",
    "back up my laptop",
    `return the ${rng.pick(["library books", "rental car", "shoes", "Amazon package"])}`,
    `cancel ${rng.pick(["Netflix", "the gym trial", "the newspaper", "the free trial"])}`,
    `prep for the ${pickTopic(rng, false).text}`,
    `reply to ${possessive(firstName(rng))} email`,
    `forward the ${rng.pick(DOC_TYPES)} to ${firstName(rng)}`,
    `join the ${rng.pick(["zoom call", "team zoom", "standup zoom", "webinar"])}`,
    `set up a zoom with ${firstName(rng)}`,
    `put the ${rng.pick(["offsite", "recital", "game", "dentist"])} on the calendar`,
    `look up directions to ${pickPlace(rng).value}`,
    `update my ${rng.pick(NOTE_TITLES).toLowerCase()} note`,
    `follow up with ${firstName(rng)} ${lastName(rng)}`,
    `feed ${rng.pick(["the cat", "the fish", "Biscuit", "the sourdough starter"])}`,
    `order ${rng.pick(["contacts", "printer ink", "dog food", "coffee"])}`,
    `get a birthday card for ${firstName(rng)}`,
    "charge the car",
    "move the car for street cleaning",
    `review the ${pickFile(rng, false).value}`,
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Plans
// ---------------------------------------------------------------------------------------------------------

const TOOL_NAMES: readonly ToolName[] = TOOLS.map((tool) => tool.name);

/** Collects the calls of a plan; contact lookups are shared, so one person is looked up once. */
class PlanBuilder {
  private readonly calls: { tool: ToolName; args: Value[] }[] = [];
  private readonly lookups = new Map<string, string>();

  /** Adds a call and returns the reference to its result ("$3"). */
  call(tool: ToolName, args: Value[]): string {
    this.calls.push({ tool, args });
    return `$${this.calls.length}`;
  }

  email(name: string): string {
    return this.lookup("get_email_address", name);
  }

  phone(name: string): string {
    return this.lookup("get_phone_number", name);
  }

  /** The plan value for each recipient: a lookup result, or the address/number the request gave. */
  emails(recipients: readonly Recipient[]): string[] {
    return recipients.map((r) => r.literal ?? this.email(r.lookup!));
  }

  phones(recipients: readonly Recipient[]): string[] {
    return recipients.map((r) => r.literal ?? this.phone(r.lookup!));
  }

  file(name: string): string {
    return this.lookup("open_and_get_file_path", name);
  }

  get size(): number {
    return this.calls.length;
  }

  tools(): ToolName[] {
    const used = new Set(this.calls.map((c) => c.tool));
    return TOOL_NAMES.filter((name) => used.has(name));
  }

  text(): string {
    if (this.calls.length === 0) return "";
    const plan: Plan = {
      steps: this.calls.map((c, i) => ({ index: i + 1, tool: c.tool, args: c.args, line: i + 1 })),
      join: { index: this.calls.length + 1, line: this.calls.length + 1 },
      ended: true,
    };
    return serializePlan(plan);
  }

  private lookup(tool: ToolName, name: string): string {
    const key = `${tool}\u0000${name.toLowerCase()}`;
    let ref = this.lookups.get(key);
    if (!ref) {
      ref = this.call(tool, [name]);
      this.lookups.set(key, ref);
    }
    return ref;
  }
}

/** The state of one example while it is being made. */
class Ctx {
  readonly plan = new PlanBuilder();
  /** Template ids and slot values: the example's identity for the split (style is left out on purpose). */
  readonly identity: string[] = [];
  readonly templateIds: string[] = [];

  constructor(readonly rng: Rng) {}

  /** Phrases one action with a template from `table` that the offered slots can fill. */
  say(table: Table, slots: Slots): Clause {
    const usable = table.templates.filter((t) => canExpand(t.nodes, slots));
    if (usable.length === 0)
      throw new Error(`no template in ${table.name} fits slots ${Object.keys(slots).join(", ")}`);
    const template = this.rng.pick(usable);
    const segs: Seg[] = [];
    const present = new Set<string>();
    expand(template.nodes, slots, this.rng, segs, present);
    this.templateIds.push(template.id);
    this.identity.push(template.id, ...[...present].sort().map((name) => slots[name]!.text));
    return { segs, sentence: template.sentence, present, fixed: template.fixed };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Styles: how a person types. Applied to the whole request after phrasing; template words may change,
// slot values are only re-cased (and "soft" ones such as dates may get typos).
// ---------------------------------------------------------------------------------------------------------

interface Frame {
  before: string;
  after: string;
  /** Frames such as "I want to ..." only fit clauses that do not say "me" ("I want to remind me" is wrong). */
  firstPerson?: boolean;
  question?: boolean;
}

const frame = (before: string, after = "", extra: Partial<Frame> = {}): Frame => ({
  before,
  after,
  ...extra,
});

/** Wrappers for imperative requests: commands, requests, questions, needs. */
const COMMAND_FRAMES: [Frame, number][] = [
  [frame(""), 40],
  [frame("please "), 6],
  [frame("", " please"), 4],
  [frame("pls "), 2],
  [frame("can you ", "", { question: true }), 10],
  [frame("could you ", "", { question: true }), 5],
  [frame("would you ", "", { question: true }), 2],
  [frame("can u ", "", { question: true }), 2],
  [frame("could you please ", "", { question: true }), 3],
  [frame("I need you to "), 3],
  [frame("go ahead and "), 1],
  [frame("hey, "), 3],
  [frame("ok "), 1],
  [frame("quick one: "), 1],
  [frame("", " asap"), 1],
  [frame("", ", thanks"), 2],
  [frame("", " thx"), 1],
  [frame("I want to ", "", { firstPerson: true }), 3],
  [frame("I'd like to ", "", { firstPerson: true }), 2],
  [frame("help me ", "", { firstPerson: true }), 2],
  [frame("I need to ", "", { firstPerson: true }), 2],
  [frame("let's ", "", { firstPerson: true }), 1],
  [frame("time to ", "", { firstPerson: true }), 0.5],
  [frame("remember to ", "", { firstPerson: true }), 0.3],
];

/** Long, polite wrappers. */
const POLITE_FRAMES: Frame[] = [
  frame("Hi! When you get a chance, could you please ", "? Thanks so much.", { question: true }),
  frame("Good morning. I'd really appreciate it if you could ", ". Thank you!"),
  frame("Hello, would you be so kind as to ", "? Many thanks.", { question: true }),
  frame("Sorry to bother you, but could you ", "? Thanks in advance!", { question: true }),
  frame("If it's not too much trouble, please ", ". Appreciate it!"),
  frame("Hey there, hope your day is going well. Could you ", " for me? Thank you.", { question: true }),
  frame("I would be grateful if you could ", " at your earliest convenience."),
  frame("Hi, I have a small favour to ask: please ", ". Thanks a lot!"),
  frame("Dear assistant, kindly ", ". Best regards."),
  frame("Whenever you have a moment, I'd love for you to ", ". Thank you kindly!"),
];

/** Dictation openers: fillers and hedges as speech-to-text writes them. */
const VOICE_FRAMES: Frame[] = [
  frame("uh "),
  frame("um can you ", "", { question: true }),
  frame("hey so uh "),
  frame("okay so like "),
  frame("so um I need you to "),
  frame("uh yeah "),
  frame("hey can you like ", "", { question: true }),
  frame("um "),
  frame("okay um ", " and uh thanks"),
  frame("so basically "),
  frame("right so "),
];

/** Openers and closers for full sentences ("where is the Louvre?"). */
const SENTENCE_FRAMES: [Frame, number][] = [
  [frame(""), 12],
  [frame("hey, "), 2],
  [frame("", " thanks"), 1],
  [frame("quick question: "), 0.5],
  [frame("hi! "), 1],
  [frame("ok so "), 1],
];

const FILLERS = words("uh, um, like, you know, I mean, uh like, sort of");

const MISSPELLINGS: Record<string, string[]> = {
  email: ["emial", "emal", "e-mail", "emaill", "eamil"],
  emails: ["emials", "emals"],
  calendar: ["calender", "calandar", "calnedar", "cal", "clndr", "calandr"],
  remind: ["remnd", "remid", "rmind", "reminde"],
  reminder: ["remider", "reminer", "remindr", "remindar"],
  tomorrow: ["tomorow", "tommorow", "tommorrow", "tmrw", "tmr", "2morrow"],
  message: ["mesage", "messge", "msg", "massage"],
  meeting: ["meting", "meetign", "meetng", "mtg"],
  directions: ["directons", "diections", "drections", "dirs"],
  schedule: ["schedual", "shedule", "scheduel", "sched"],
  address: ["adress", "addres", "addr"],
  summarize: ["summerize", "sumarize", "summarise", "summrize"],
  summary: ["summery", "sumary", "summray"],
  forward: ["foward", "forwrd", "fwd", "forword"],
  appointment: ["appointmnet", "apointment", "appt", "appoinment"],
  tonight: ["tonite", "tonihgt", "2nite"],
  please: ["pls", "plz", "pleas", "pleae"],
  phone: ["phnoe", "fone", "phon"],
  number: ["numbr", "nubmer", "#"],
  attach: ["atach", "attatch", "attache"],
  attached: ["atached", "attatched"],
  note: ["ntoe", "not", "noet"],
  notes: ["ntoes", "notse"],
  text: ["txt", "tetx", "tex"],
  friday: ["firday", "fri", "fridya"],
  wednesday: ["wensday", "wednsday", "wed"],
  thursday: ["thurs", "thrusday", "thu"],
  tuesday: ["tuesdy", "teusday", "tues"],
  saturday: ["saturdy", "sat"],
  monday: ["monady", "mon"],
  minutes: ["minuts", "mins", "minites"],
  location: ["locaton", "loaction"],
  reply: ["repy", "replt", "rply"],
  invite: ["invte", "inivte", "invit"],
  send: ["snd", "sned"],
  link: ["lnik", "lik"],
  pdf: ["pfd", "pdg"],
  document: ["docment", "documnet", "doc"],
  the: ["teh", "th", "hte"],
  and: ["adn", "nad", "&"],
  you: ["yuo", "u", "yo"],
  your: ["ur", "yuor"],
  what: ["waht", "wat"],
  with: ["wiht", "w/", "wtih"],
  about: ["abotu", "abt", "aobut"],
  because: ["becuase", "bc", "cuz"],
  know: ["konw", "kno"],
  tell: ["tel", "tlel"],
  zoom: ["zom", "zooom"],
  meet: ["meat", "mete"],
  create: ["crete", "craete"],
  make: ["mkae", "amke"],
  open: ["opne", "oepn"],
  show: ["shwo", "sho"],
  where: ["wher", "whre"],
  call: ["cal", "clal"],
  weather: ["wether", "weathr"],
  okay: ["ok", "k"],
  thanks: ["thx", "thnks", "ty"],
  morning: ["mornin", "morng"],
  afternoon: ["aftrnoon", "arvo"],
  music: ["musci"],
  timer: ["timr", "tiemr"],
};

const KEY_NEIGHBORS: Record<string, string> = {
  a: "qsz",
  b: "vgn",
  c: "xdv",
  d: "sfe",
  e: "wrd",
  f: "dgr",
  g: "fht",
  h: "gjy",
  i: "uok",
  j: "hku",
  k: "jli",
  l: "kop",
  m: "nk",
  n: "bmh",
  o: "ipl",
  p: "ol",
  q: "wa",
  r: "eft",
  s: "adw",
  t: "rgy",
  u: "yij",
  v: "cfb",
  w: "qes",
  x: "zsc",
  y: "tuh",
  z: "xa",
};

/** One typo in a word: a known misspelling when there is one, else a swap, drop, double or near key. */
function typo(word: string, rng: Rng): string {
  const known = MISSPELLINGS[word.toLowerCase()];
  if (known && rng.chance(0.7)) {
    const replacement = rng.pick(known);
    return word[0] === word[0]!.toUpperCase() ? capitalize(replacement) : replacement;
  }
  if (word.length < 4) return word;
  const i = rng.int(1, word.length - 2);
  const op = rng.pick(["swap", "drop", "double", "near"] as const);
  if (op === "swap") return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  if (op === "drop") return word.slice(0, i) + word.slice(i + 1);
  if (op === "double") return word.slice(0, i) + word[i] + word.slice(i);
  const near = KEY_NEIGHBORS[word[i]!.toLowerCase()];
  return near ? word.slice(0, i) + rng.pick([...near]) + word.slice(i + 1) : word;
}

const WORD = /\p{L}+/gu;

/** Typos in template words and soft values only: the values a plan copies stay exact. */
function injectTypos(segs: Seg[], rng: Rng, count: number): Seg[] {
  const spots: [number, number, string][] = [];
  segs.forEach((seg, s) => {
    if (seg.kind === "lit") return;
    for (const match of seg.text.matchAll(WORD)) spots.push([s, match.index, match[0]]);
  });
  const chosen = rng.sample(spots, count).sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  const out = segs.map((seg) => ({ ...seg }));
  for (const [s, at, word] of chosen) {
    const seg = out[s]!;
    seg.text = seg.text.slice(0, at) + typo(word, rng) + seg.text.slice(at + word.length);
  }
  return out;
}

/** Fillers between words of the template, as dictation leaves them. */
function insertFillers(segs: Seg[], rng: Rng): Seg[] {
  let budget = rng.int(1, 3);
  return segs.map((seg) => {
    if (seg.kind !== "tpl" || budget === 0) return seg;
    const text = seg.text.replace(/ (?=\p{L})/gu, (space) => {
      if (budget > 0 && rng.chance(0.12)) {
        budget--;
        return ` ${rng.pick(FILLERS)} `;
      }
      return space;
    });
    return { ...seg, text };
  });
}

/** Terse typing: articles and politeness dropped from the template words. */
function terse(segs: Seg[], rng: Rng): Seg[] {
  return segs.map((seg) =>
    seg.kind === "tpl"
      ? {
          ...seg,
          text: seg.text.replace(/\b(the|a|an|my|please|for me) /gi, (m) => (rng.chance(0.6) ? "" : m)),
        }
      : seg,
  );
}

/** Speech-to-text output: no punctuation in the template words, numbers sometimes spelled out. */
function dictate(segs: Seg[], rng: Rng): Seg[] {
  return segs.map((seg) => {
    if (seg.kind === "lit") return seg;
    let text = seg.text.replace(/[?!;]/g, "").replace(/(\p{L}),/gu, "$1");
    if (seg.kind === "soft" && rng.chance(0.5)) {
      text = text
        .replace(/:30\b/g, " thirty")
        .replace(/:15\b/g, " fifteen")
        .replace(/:45\b/g, " forty five")
        .replace(/(?<![:/.\d-])\b(\d{1,2})\b(?![:/.\d-])/g, (_, n: string) => numberWord(Number(n)));
    }
    return { ...seg, text };
  });
}

/** Joins pieces into a request, tidying spaces around punctuation. */
function render(segs: readonly Seg[]): string {
  return segs
    .map((s) => s.text)
    .join("")
    .replace(/\s+/g, " ")
    .replace(/ ([,.!?:;])/g, "$1")
    .replace(/([,:;])(?=[,.!?])/g, "")
    .replace(/([!?])\./g, "$1")
    .replace(/\.{2,}$/g, ".")
    .trim();
}

/** Sentence case: the first letter, and the first after ". " (not inside "p.m."), in capitals. */
function sentenceCase(segs: Seg[]): Seg[] {
  let capitalizeNext = true;
  let stop = false;
  return segs.map((seg) => {
    let text = "";
    for (const c of seg.text) {
      if (stop && /\s/.test(c)) capitalizeNext = true;
      if (!/\s/.test(c)) stop = false;
      if (capitalizeNext && /\p{L}/u.test(c)) {
        // An address or a file name keeps its case ("sid@x.com", "q3_deck.pdf").
        text += seg.kind === "lit" && /^\S*[@_]/.test(seg.text) ? c : c.toUpperCase();
        capitalizeNext = false;
      } else {
        text += c;
        if (/\p{L}|\d/u.test(c)) capitalizeNext = false;
      }
      if (c === "." || c === "!" || c === "?") stop = true;
    }
    return { ...seg, text };
  });
}

/** The style of one request: which frame, case, typos, terse or dictated. */
function applyStyle(segs: Seg[], sentence: boolean, rng: Rng): Seg[] {
  const mode = rng.weighted([
    ["plain", 44],
    ["casual", 24],
    ["voice", 11],
    ["polite", 8],
    ["terse", 8],
    ["shouty", 0.5],
  ] as const);
  const saysMe = /\b(me|my|I|I'm)\b/.test(render(segs.filter((s) => s.kind === "tpl")));
  let chosen: Frame;
  if (mode === "voice")
    chosen = sentence
      ? rng.pick([VOICE_FRAMES[0]!, VOICE_FRAMES[3]!, VOICE_FRAMES[7]!])
      : rng.pick(VOICE_FRAMES);
  else if (mode === "polite" && !sentence) chosen = rng.pick(POLITE_FRAMES);
  else if (sentence) chosen = rng.weighted(SENTENCE_FRAMES);
  else chosen = rng.weighted(COMMAND_FRAMES.filter(([f]) => !(f.firstPerson && saysMe)));
  let out: Seg[] = [{ text: chosen.before, kind: "tpl" }, ...segs, { text: chosen.after, kind: "tpl" }];

  if (mode === "terse") out = terse(out, rng);
  if (mode === "voice") out = insertFillers(dictate(out, rng), rng);
  const typoRate = mode === "casual" ? 0.45 : mode === "voice" ? 0 : mode === "terse" ? 0.3 : 0.12;
  if (rng.chance(typoRate))
    out = injectTypos(
      out,
      rng,
      rng.weighted([
        [1, 6],
        [2, 3],
        [3, 1],
      ] as const),
    );

  const lower =
    mode === "casual" || mode === "voice" || (mode === "terse" && rng.chance(0.6)) || rng.chance(0.08);
  if (mode === "shouty") out = out.map((s) => ({ ...s, text: s.text.toUpperCase() }));
  else if (lower) out = out.map((s) => ({ ...s, text: s.text.toLowerCase() }));
  else out = sentenceCase(out);

  // Closing punctuation: questions get "?", commands sometimes "." or "!", dictation and casual mostly none.
  // A sentence's closing words ("where is it? thanks") come after the mark; a command's ("can you ...
  // please?") before it. The frame's closing words are always the last piece.
  const core = render(out.slice(0, -1));
  const ends = /[.!?)"'\p{Extended_Pictographic}]$/u.test(sentence ? core : render(out));
  if (!ends && mode !== "voice") {
    const question =
      chosen.question ||
      (sentence &&
        /^(where|what|how|which|when|who|is|are|do|does|can|could|whats|what's|how's|hows)\b/i.test(
          render(segs),
        ));
    const mark = question
      ? rng.chance(mode === "casual" ? 0.6 : 0.9)
        ? "?"
        : ""
      : rng.weighted([
          ["", mode === "casual" || mode === "terse" ? 10 : 5],
          [".", mode === "casual" || mode === "terse" ? 1 : 4],
          ["!", 0.5],
        ] as const);
    if (sentence) out.splice(out.length - 1, 0, { text: mark, kind: "tpl" });
    else out.push({ text: mark, kind: "tpl" });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers shared by the actions
// ---------------------------------------------------------------------------------------------------------

/** "Sid", "Sid and Ana", "Sid, ana@x.com and Mom": how a request lists recipients. */
const namesOf = (recipients: readonly Recipient[], rng: Rng): Fill =>
  lit(
    listText(
      recipients.map((r) => r.surface),
      rng,
    ),
  );

/** The surface of a list of recipients, plus "Sid's" when there is exactly one named person. */
function recipientSlots(recipients: readonly Recipient[], rng: Rng): Slots {
  const one = recipients.length === 1 ? recipients[0]! : undefined;
  return {
    who: namesOf(recipients, rng),
    whose: one?.lookup ? lit(possessive(one.surface)) : undefined,
  };
}

/** Titles and folders are often typed in lower case ("my groceries note"); the plan keeps the real name. */
const casual = (rng: Rng, name: string) => lit(rng.chance(0.45) ? name.toLowerCase() : name);

const unique = <T>(items: readonly T[]): T[] => [...new Set(items)];

/** `$3` → `${3}`, to put a result inside longer text. */
const interpolate = (ref: string) => `\${${ref.slice(1)}}`;

/** A reminder or note title made from free text: "Buy oat milk". */
const titleFrom = (text: string) =>
  capitalize(
    text
      .split(" ")
      .slice(0, 5)
      .join(" ")
      .replace(/[,:;.!?]+$/, ""),
  );

const endOf = (when: WhenPhrase, minutes: number): Moment => when.end ?? addMinutes(when.start, minutes);
const minutesBetween = (a: Moment, b: Moment) => (b.day - a.day) * 1440 + b.minute - a.minute;

// ---------------------------------------------------------------------------------------------------------
// Messages: send_sms (with get_phone_number for named people)
// ---------------------------------------------------------------------------------------------------------

const SMS = new Table("sms", [
  "(text|message) {who} (that|saying) {msg}",
  "send {who} a (text|message|text message) (saying|that says) {msg}",
  "send a text to {who}: {msg}",
  "text {who}: {msg}",
  "let {who} know (that |){msg}",
  "tell {who} (that |){msg}",
  "shoot {who} a (text|quick text) (saying|that) {msg}",
  '^"{msg}" — (text|send) that to {who}',
  "sms {who}[ saying]: {msg}",
  "^I need to text {who} that {msg}",
  '(text|message) "{msg}" to {who}',
  'send (an sms|an iMessage|a message) to {who} (saying|with) "{msg}"',
  "drop {who} a (text|line) (saying|that) {msg}",
  "ping {who} (on iMessage|by text|over sms) (saying|to say) {msg}",
  "(text|message) {who} back (saying|that) {msg}",
  "^quick text to {who}: {msg}",
  "message {who} (in|on|via) Messages: {msg}",
  "^can you tell {who} (via|by|over) text that {msg}",
  'send "{msg}" to {who} (as a text|by text|via iMessage)',
  "reply to {whose} text (saying|with) {msg}",
  "text {who} and say {msg}",
  "txt {who} {msg}",
  "^{who} needs a text from me: {msg}",
  "ask {who} (if|whether) {ask}",
  "(text|message) {who} and ask (if|whether) {ask}",
  "^can you ask {who} (if|whether) {ask}",
  "(give|send) {who} a heads-up (that|by text that) {msg}",
  "(inform|notify|update) {who} (by text |)that {msg}",
  "(imessage|iMessage|whatsapp|WhatsApp) {who}[ (saying|that)] {msg}",
  "^send this to {who}: {msg}",
  "(hit up|hmu|holler at) {who} (and say|saying|with) {msg}",
  "^{who}: {msg} (— text it|— send as text|via text)",
  "^could you text {who} for me and say {msg}",
  "(msg|mesage|txt) {who} (that |){msg}",
  "(check with|check in with) {who} (whether|if) {ask}",
  "^find out from {who} (whether|if) {ask}",
  "(remind|warn) {who} by text that {msg}",
]);

/** Questions asked indirectly ("ask Sam if they're coming"), with the text that is actually sent. */
const ASKS: [string, string][] = [
  ["they're still coming tonight", "Are you still coming tonight?"],
  ["they can pick up the kids", "Can you pick up the kids?"],
  ["the package arrived", "Did the package arrive?"],
  ["they want pizza or tacos", "Pizza or tacos?"],
  ["they're free for lunch tomorrow", "Are you free for lunch tomorrow?"],
  ["they fed the dog", "Did you feed the dog?"],
  ["they have the spare key", "Do you have the spare key?"],
  ["we're still on for Saturday", "Are we still on for Saturday?"],
  ["they need a ride", "Do you need a ride?"],
  ["they landed yet", "Have you landed yet?"],
  ["the meeting moved", "Did the meeting move?"],
  ["they can bring chairs", "Can you bring chairs?"],
];

/**
 * A second thought that adds someone after the clause ("…, oh and Ana too"): people who type a long
 * request remember a recipient at the end. Only after named recipients, so the list reads as a list.
 */
function addedRecipient(c: Ctx, clause: Clause, recipients: Recipient[]): void {
  if (!recipients.every((r) => r.lookup) || !c.rng.chance(0.06)) return;
  const [extra] = pickPeople(c.rng, 1);
  if (recipients.some((r) => r.lookup!.toLowerCase() === extra!.lookup.toLowerCase())) return;
  clause.segs.push(
    { text: c.rng.pick([", oh and ", ". oh and ", " — and ", ", and "]), kind: "tpl" },
    { text: extra!.surface, kind: "lit" },
    { text: c.rng.pick([" too", " as well", " also"]), kind: "tpl" },
  );
  recipients.push({ surface: extra!.surface, lookup: extra!.lookup });
}

function smsAction(c: Ctx): Clause {
  const recipients = recipientsFor(c.rng, "phone", peopleCount(c.rng));
  const message = pickSmsMessage(c.rng);
  const [ask, asked] = c.rng.pick(ASKS);
  const clause = c.say(SMS, { ...recipientSlots(recipients, c.rng), msg: lit(message), ask: lit(ask) });
  addedRecipient(c, clause, recipients);
  const text = clause.present.has("ask") ? asked : capitalize(message);
  c.plan.call("send_sms", [c.plan.phones(recipients), text]);
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Mail: compose_new_email, reply_to_email, forward_email (with get_email_address for named people and
// open_and_get_file_path for attachments)
// ---------------------------------------------------------------------------------------------------------

const EMAIL = new Table("email", [
  "(email|e-mail|mail) {who} (about|regarding|re:) {subject}[ and cc {cc}]",
  "send {who} an email (saying|that says) {msg}[, cc {cc}]",
  '(write|draft|compose) (an|a new) email to {who}[ with the subject "{subject}"] (saying|that says) {msg}',
  "shoot {who} an email: {msg}",
  "email {who}[ and cc {cc}] that {msg}",
  "let {who} know (by|via|over) email that {msg}",
  "^new email to {who}[, cc {cc}], subject {subject}[: {msg}]",
  "(start|open) a draft to {who} about {subject}",
  "^I need to email {who} about {subject}[, copy {cc}]",
  "drop {who} (a quick|an) email about {subject}",
  "mail {who} re: {subject} — {msg}",
  "send an email to {who} with (the |)subject {subject} and (body|text) {msg}",
  "email {who}, cc {cc}, subject: {subject}",
  "(fire off|send off) an email to {who} (about|on) {subject}",
  "^can you email {who} and say {msg}",
  "compose a (message|mail) to {who} about {subject} in Mail",
  "write to {who} (by|over) email: {msg}",
  "^email to {who}: {msg}",
  "email {who} to say {msg}",
  "reach out to {who} by email about {subject}[ and copy {cc}]",
  '(email|mail) {who} "{subject}"',
  "^{who} needs an email from me about {subject}",
  "(email|mail) {who} and (cc|copy|loop in) {cc}: {msg}",
  "(email|e-mail|mail) {who} and ask (them|him|her) (if|whether) {ask}",
  "(email|mail) {who} asking (if|whether) {ask}",
  "^can you (email|mail) {who} to ask (if|whether) {ask}",
  "ask {who} (by|over|via|in an) email (if|whether) {ask}",
  "send {who} an email asking (if|whether) {ask}[, cc {cc}]",
  "(write|send) a (quick |)(note|line|message) to {who} by email: {msg}",
  "(email|mail) {who} (a heads-up|a quick note|a line) (that|saying) {msg}",
  "^could you get an email out to {who} (saying|that says) {msg}",
  "(put together|prepare|whip up) an email (for|to) {who} about {subject}",
  "^{who} — email (them|him|her): {msg}",
  "(notify|inform|update) {who} by email that {msg}",
  "(send|write) {who} a (mail|message) in Mail (saying|about) {msg}",
]);

function emailAction(c: Ctx): Clause {
  const { rng } = c;
  const recipients = recipientsFor(rng, "email", peopleCount(rng));
  const cc = rng.chance(0.3) ? recipientsFor(rng, "email", rng.chance(0.8) ? 1 : 2) : undefined;
  const content = pickEmailContent(rng);
  const [ask, asked] = rng.pick(ASKS);
  const clause = c.say(EMAIL, {
    ...recipientSlots(recipients, rng),
    cc: cc && namesOf(cc, rng),
    subject: lit(content.subject),
    msg: lit(content.message),
    ask: lit(ask),
  });
  addedRecipient(c, clause, recipients);
  const to = c.plan.emails(recipients);
  const copy = clause.present.has("cc") ? c.plan.emails(cc!) : [];
  const context = clause.present.has("ask")
    ? asked
    : clause.present.has("msg")
      ? capitalize(content.message)
      : content.subject;
  c.plan.call("compose_new_email", [to, copy, content.subject, context, []]);
  return clause;
}

const EMAIL_FILE = new Table("email-file", [
  "email {who} {file}",
  "send {file} to {who}[ (by|via|over) email]",
  "attach {file} (to an email|and email it) to {who}",
  "email {file} to {who}[ and cc {cc}][ saying {msg}]",
  "share {file} with {who} (over|by|via) email",
  "(find|grab|dig up) {file} and (send|email) it to {who}",
  "^{who} needs {file}, can you email it over",
  "mail {who} a copy of {file}",
  "compose an email to {who} with {file} attached[ saying {msg}]",
  "^new email to {who} with {file} as an attachment",
  "^can you get {file} over to {who} by email",
  "email {who} and attach {file}[, cc {cc}]",
  "send {who} an email with {file}[ and say {msg}]",
  "draft an email to {who} with {file} attached[, subject {subject}]",
  "(email|send) {who} {file}[ (with a note|saying) {msg}]",
  "^{file} needs to go to {who} — email it",
  "put {file} in an email to {who}",
]);

function emailFileAction(c: Ctx): Clause {
  const { rng } = c;
  const recipients = recipientsFor(rng, "email", peopleCount(rng));
  const files = rng.chance(0.12) ? [pickFile(rng, false), pickFile(rng, false)] : [pickFile(rng, false)];
  const cc = rng.chance(0.2) ? recipientsFor(rng, "email", 1) : undefined;
  const content = pickEmailContent(rng);
  const clause = c.say(EMAIL_FILE, {
    ...recipientSlots(recipients, rng),
    file: lit(
      listText(
        files.map((f) => f.surface),
        rng,
      ),
    ),
    cc: cc && lit(cc[0]!.surface),
    subject: lit(content.subject),
    msg: lit(content.message),
  });
  const to = c.plan.emails(recipients);
  const copy = clause.present.has("cc") ? c.plan.emails(cc!) : [];
  const attachments = files.map((f) => c.plan.file(f.value));
  const names = files.map((f) => f.value).join(" and ");
  // A file name stays as written ("q3_deck.pdf"); words get a capital ("Q3 deck", "Lease agreement").
  const subject = clause.present.has("subject")
    ? content.subject
    : /[._]/.test(names)
      ? names
      : capitalize(names);
  const context = clause.present.has("msg") ? capitalize(content.message) : `Sharing ${names}`;
  c.plan.call("compose_new_email", [to, copy, subject, context, attachments]);
  return clause;
}

const REPLY = new Table("reply", [
  "reply (to this email|to this|to that email|to the email) (saying|with) {msg}",
  "reply to {sender} email (saying|and say|and tell them) {msg}",
  "respond to this (email|message|mail) (with|saying) {msg}[ and cc {cc}]",
  "write back (that|saying) {msg}",
  "answer (this|the selected) email: {msg}",
  "reply all (saying|with) {msg}",
  "hit reply and tell them {msg}",
  "send a reply (to this|to the email I have open) saying {msg}",
  "^reply: {msg}",
  "reply to {sender} email[ and cc {cc}]: {msg}",
  "reply to this and attach {file}[ saying {msg}]",
  "reply to the email from {sendername}: {msg}",
  "draft a reply (saying|to say) {msg}[, cc'ing {cc}]",
  "reply to this thread with {msg}[, copy {cc}]",
  "^can you reply to this one and let them know {msg}",
  "respond with {msg}",
  "reply back (saying|with) {msg}",
  "reply and say {msg}[ (with|and attach) {file}]",
  "reply to this (saying|and say) {msg} and (cc|loop in|copy) {cc}",
  "^{sendername} emailed me — reply that {msg}",
]);

function replyAction(c: Ctx): Clause {
  const { rng } = c;
  const sender = pickPerson(rng);
  const cc = rng.chance(0.35) ? recipientsFor(rng, "email", rng.chance(0.85) ? 1 : 2) : undefined;
  const file = rng.chance(0.2) ? pickFile(rng, false) : undefined;
  const message = pickReplyMessage(rng);
  const clause = c.say(REPLY, {
    msg: lit(message),
    cc: cc && namesOf(cc, rng),
    file: file && lit(file.surface),
    sender: lit(sender.possessive),
    sendername: lit(sender.surface),
  });
  // The sender of the open email needs no lookup: the reply goes to them.
  const copy = clause.present.has("cc") ? c.plan.emails(cc!) : [];
  const attachments = clause.present.has("file") ? [c.plan.file(file!.value)] : [];
  c.plan.call("reply_to_email", [copy, clause.present.has("msg") ? capitalize(message) : "", attachments]);
  return clause;
}

const FORWARD = new Table("forward", [
  "forward (this|this email|that email|the email) to {who}",
  "fwd (this|this one) to {who}[ and cc {cc}]",
  "send this email (on|along) to {who}",
  "pass this (email|message) along to {who}[ (with a note saying|and say) {msg}]",
  "forward this to {who}[ and (say|tell them) {msg}]",
  "forward {sender} email to {who}",
  "^{who} should see this email, forward it over",
  "share this email with {who}",
  "forward the selected message to {who}[, copying {cc}]",
  "^fw to {who}: {msg}",
  "forward this to {who} with {file} attached",
  "loop {who} in by forwarding this[ and say {msg}]",
  "send a copy of this email to {who}",
  "forward the email I'm reading to {who}",
  "^can you forward this over to {who}",
  "redirect this email to {who}",
  "forward it to {who} and add {msg}",
  "forward this (email |)to {who}, cc {cc}",
  "forward the email from {sendername} to {who}[ with {file}]",
]);

function forwardAction(c: Ctx): Clause {
  const { rng } = c;
  const recipients = recipientsFor(rng, "email", peopleCount(rng), 0.25);
  const cc = rng.chance(0.3) ? recipientsFor(rng, "email", 1) : undefined;
  const file = rng.chance(0.2) ? pickFile(rng, false) : undefined;
  const sender = pickPerson(rng);
  const message = rng.pick([
    "FYI",
    "see below",
    "thoughts?",
    "can you handle this?",
    "for your records",
    "please take a look",
    "this is the one I mentioned",
    `see the note about ${rng.pick(TOPICS)}`,
  ]);
  const clause = c.say(FORWARD, {
    ...recipientSlots(recipients, rng),
    cc: cc && lit(cc[0]!.surface),
    file: file && lit(file.surface),
    msg: lit(message),
    sender: lit(sender.possessive),
    sendername: lit(sender.surface),
  });
  const to = c.plan.emails(recipients);
  const copy = clause.present.has("cc") ? c.plan.emails(cc!) : [];
  const attachments = clause.present.has("file") ? [c.plan.file(file!.value)] : [];
  c.plan.call("forward_email", [to, copy, clause.present.has("msg") ? capitalize(message) : "", attachments]);
  return clause;
}

/** Mail or texts to oneself: "me" is a contact like any other, so the plan looks it up. */
const SELF = new Table("self", [
  { t: "email (myself|me) {file}", fixed: { medium: "email" } },
  { t: "send (myself|me) an email (saying|that says) {msg}", fixed: { medium: "email" } },
  { t: "email myself a (note|reminder): {msg}", fixed: { medium: "email" } },
  { t: "shoot me an email (about|re) {subject}", fixed: { medium: "email" } },
  { t: "draft an email to myself (about|on) {subject}", fixed: { medium: "email" } },
  { t: "mail {file} to myself", fixed: { medium: "email" } },
  { t: "(text|message) me {smsg}", fixed: { medium: "phone" } },
  { t: "send me a text (saying|that says) {smsg}", fixed: { medium: "phone" } },
  { t: "text myself: {smsg}", fixed: { medium: "phone" } },
  { t: "forward this (email |)to (myself|me|my personal email)", fixed: { medium: "forward" } },
  { t: "fwd this to my other address", fixed: { medium: "forward" } },
]);

function selfAction(c: Ctx): Clause {
  const { rng } = c;
  const file = pickFile(rng, false);
  const content = pickEmailContent(rng);
  const note = pickNoteContent(rng);
  const clause = c.say(SELF, {
    file: lit(file.surface),
    msg: lit(content.message),
    subject: lit(content.subject),
    smsg: lit(note),
  });
  const has = (slot: string) => clause.present.has(slot);
  if (clause.fixed.medium === "phone") {
    c.plan.call("send_sms", [[c.plan.phone("Me")], capitalize(note)]);
  } else if (clause.fixed.medium === "forward") {
    c.plan.call("forward_email", [[c.plan.email("Me")], [], "", []]);
  } else {
    const me = c.plan.email("Me");
    const attachments = has("file") ? [c.plan.file(file.value)] : [];
    const subject = has("file") ? file.value : content.subject;
    const context = has("msg")
      ? capitalize(content.message)
      : has("file")
        ? `Sharing ${file.value}`
        : content.subject;
    c.plan.call("compose_new_email", [[me], [], subject, context, attachments]);
  }
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Calendar: create_calendar_event (with get_email_address for invitees named)
// ---------------------------------------------------------------------------------------------------------

const CALENDAR = new Table("calendar", [
  "(put|add) {title} (on|to) my calendar {when}[ {dur}][ at {loc}]",
  "schedule {title} {when}[ {dur}][ at {loc}]",
  "create a (calendar event|event) (called|titled|named) {title} {when}[ at {loc}]",
  "block (off |out |){when} for {title}",
  "book {title} {when}[ and invite {who}]",
  "invite {who} to {title} {when}[ at {loc}]",
  "set up a meeting with {who} {when} (about|on|for) {title}",
  "^new event: {title}, {when}[, {loc}]",
  "^calendar: {title} {when}",
  "^I have {title} {when}[ at {loc}], put it on my calendar",
  "(add|create) an appointment for {title} {when}[ at {loc}]",
  "make a calendar invite for {title} {when} and invite {who}",
  "put {title} in my {cal} calendar {when}",
  "hold {when} for {title}[ {dur}]",
  "^{title} is {when}[ at {loc}] — add it to my calendar",
  "send {who} a calendar invite for {title} {when}",
  "pencil in {title} {when}[ with {who}]",
  "add {title} to my {cal} calendar {when}[ {dur}]",
  "create an event {when}: {title}[ at {loc}][, notes: {enote}]",
  "schedule {title} {when} at {loc} and add a note saying {enote}",
  "(make|create) a {cal} calendar event for {title} {when}[ {dur}]",
  "^can you get {title} on my calendar {when}",
  "(put|throw) {title} on the (calendar|cal) {when}",
  "add an event to my calendar: {title}, {when}[, at {loc}][, invite {who}]",
  "^I'm meeting {who} {when} for {title} — put it on the calendar and invite them",
]);

const EVENT_NOTES = words(
  "bring the slides, parking is in the back, door code 4821, agenda is in the shared doc, dress code is casual, bring ID, call in if late, bring a gift, room 3B, ask for Dana at reception",
);
const CALENDARS = words("Work, Personal, Family, Home, School, Fitness, Travel, Side projects");

function calendarAction(c: Ctx): Clause {
  const { rng } = c;
  let when = pickWhen(rng, { dayOnly: 0.06, range: 0.15, relative: 0.05 });
  const duration = when.end ? undefined : rng.chance(0.35) ? pickDuration(rng) : undefined;
  const invitees = rng.chance(0.35) ? recipientsFor(rng, "email", peopleCount(rng)) : undefined;
  const location = rng.chance(0.35) ? pickPlace(rng) : undefined;
  const calendar = rng.chance(0.2) ? rng.pick(CALENDARS) : undefined;
  const note = rng.chance(0.15) ? rng.pick(EVENT_NOTES) : undefined;
  const titled = pickEventTitle(rng);
  const title = titled.text;
  const clause = c.say(CALENDAR, {
    title: lit(title),
    when: soft(when.text),
    dur: duration && soft(duration.text),
    loc: location && lit(location.surface),
    who: invitees && namesOf(invitees, rng),
    cal: calendar ? casual(rng, calendar) : undefined,
    enote: note ? lit(note) : undefined,
  });
  const has = (slot: string) => clause.present.has(slot);
  if (has("when")) when = corrected(c, clause, when);
  const people = unique([
    ...c.plan.emails(guestsOf(titled)),
    ...(has("who") ? c.plan.emails(invitees!) : []),
  ]);
  const minutes = has("dur") ? duration!.minutes : 60;
  c.plan.call("create_calendar_event", [
    title,
    isoMoment(when.start),
    isoMoment(endOf(when, minutes)),
    has("loc") ? location!.value : "",
    people,
    has("enote") ? capitalize(note!) : "",
    has("cal") ? calendar! : null,
  ]);
  return clause;
}

/**
 * A second thought on the time ("friday at 3, actually make that 4pm"): the plan keeps the day and takes
 * the new time. Only for a clock time without a range, at the end of the clause.
 */
function corrected(c: Ctx, clause: Clause, when: WhenPhrase): WhenPhrase {
  if (!when.hasTime || when.end || !/\d|noon/.test(when.text) || !c.rng.chance(0.05)) return when;
  const minMinute = when.start.day === 0 ? NOW_MINUTE + 60 : 0;
  const time = clockTime(c.rng, minMinute);
  if (time.minute === when.start.minute) return when;
  clause.segs.push(
    {
      text: c.rng.pick([
        ", actually make that ",
        " — actually make it ",
        ". wait, make it ",
        ", no wait, change it to ",
      ]),
      kind: "lit",
    },
    { text: time.terse, kind: "lit" },
  );
  return { ...when, text: `${when.text} ${time.terse}`, start: { day: when.start.day, minute: time.minute } };
}

// ---------------------------------------------------------------------------------------------------------
// Zoom: get_zoom_meeting_link (with get_email_address for invitees)
// ---------------------------------------------------------------------------------------------------------

const ZOOM = new Table("zoom", [
  "(create|make|set up|schedule) a zoom (meeting|call)[ with {who}][ (about|for|on) {topic}][ {when}][ {dur}]",
  "get me a zoom link[ for {topic}][ {when}]",
  "zoom with {who} {when}[ {dur}]",
  "^I need a zoom link for {topic}[ {when}]",
  "(spin up|start) a zoom (room|meeting) for {topic}",
  "generate a zoom (link|invite)[ for {topic}][ with {who}]",
  "schedule a zoom {when}[ {dur}] with {who}",
  "^new zoom meeting: {topic}, {when}",
  "set up a video call on zoom with {who} {when}",
  "book a zoom for {topic} {when} and invite {who}",
  "make a zoom (link|meeting) and invite {who}[ {when}]",
  "^zoom link (for|re) {topic}[ {when}]",
  "^can I get a zoom link[ for {topic}]",
  "host a zoom {when} (about|on) {topic}[ {dur}]",
  "create a zoom for {who} and me {when}",
  "^{topic} needs a zoom link, (make|create) one",
  "(open|start) a zoom meeting (now|right now)[ with {who}]",
  "^we need a zoom {when} (to discuss|about) {topic}[ with {who}]",
  "^zoom call {when} w/ {who}",
  "(arrange|organize) a zoom (session|meeting) on {topic}[ with {who}][ {when}]",
]);

/** The pieces of a Zoom meeting the scenarios share: when, how long, who, what about. */
interface ZoomSpec {
  when: WhenPhrase;
  duration?: Duration;
  topic: Titled;
  invitees?: Recipient[];
}

function pickZoom(rng: Rng, invite: number, guests = true): ZoomSpec {
  const when = pickWhen(rng, { dayOnly: 0.04, range: 0.08, relative: 0.08 });
  return {
    when,
    duration: when.end ? undefined : rng.chance(0.3) ? pickDuration(rng) : undefined,
    topic: pickTopic(rng, guests),
    invitees: rng.chance(invite) ? recipientsFor(rng, "email", peopleCount(rng), 0.1) : undefined,
  };
}

/** Who the meeting invites: the guest its topic names, then the people the request lists. */
function zoomInvitees(c: Ctx, spec: ZoomSpec, clause: Clause): string[] {
  const guests = clause.present.has("topic") ? c.plan.emails(guestsOf(spec.topic)) : [];
  return unique([...guests, ...(clause.present.has("who") ? c.plan.emails(spec.invitees!) : [])]);
}

function zoomSlots(spec: ZoomSpec, rng: Rng): Slots {
  return {
    topic: lit(spec.topic.text),
    when: soft(spec.when.text),
    dur: spec.duration && soft(spec.duration.text),
    who: spec.invitees && namesOf(spec.invitees, rng),
  };
}

/** Adds the Zoom call as the clause describes it; returns its reference, start and length. */
function zoomCall(
  c: Ctx,
  spec: ZoomSpec,
  clause: Clause,
  invitees: string[],
): { ref: string; start: Moment; minutes: number; topic: string } {
  const has = (slot: string) => clause.present.has(slot);
  const start = has("when") ? spec.when.start : { day: 0, minute: NOW_MINUTE };
  const minutes = has("dur")
    ? spec.duration!.minutes
    : has("when") && spec.when.end
      ? minutesBetween(spec.when.start, spec.when.end)
      : 60;
  const firstInvitee = spec.invitees?.[0]?.lookup;
  const topic = has("topic")
    ? spec.topic.text
    : has("who") && firstInvitee
      ? `Meeting with ${firstInvitee}`
      : "Zoom meeting";
  const ref = c.plan.call("get_zoom_meeting_link", [topic, isoMoment(start), minutes, invitees]);
  return { ref, start, minutes, topic };
}

function zoomAction(c: Ctx): Clause {
  const spec = pickZoom(c.rng, 0.55);
  const clause = c.say(ZOOM, zoomSlots(spec, c.rng));
  zoomCall(c, spec, clause, zoomInvitees(c, spec, clause));
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Maps: maps_open_location, maps_show_directions
// ---------------------------------------------------------------------------------------------------------

const LOCATION = new Table("location", [
  "^where('s| is) {place}[ on the map]",
  "show (me |){place} on the map",
  "open {place} in (Maps|Apple Maps)",
  "find {place} on the map",
  "(pull up|bring up) {place} in maps",
  "locate {place}",
  "^where exactly is {place}",
  "map {place}",
  "^can you show me where {place} is",
  "drop a pin (at|on) {place}",
  "search (maps|the map) for {place}",
  "^I'm looking for {place} (on the map|in maps)",
  "show {place}[ in Apple Maps]",
  "zoom (in |)to {place} on the map",
  "look up {place} on the map",
  "^where can I find {place}",
  "point me to {place} on the map",
  "^maps: {place}",
  "open maps (at|to) {place}",
  "^what does the area around {place} look like",
  "^{place} — where is that",
  "show me {place}",
  "(pull up|bring up|find|locate) {place} for me",
  "^where is {place} (located|exactly)",
  "(take a look at|look at|check out) {place} (on the map|in maps)",
  "(pin|mark) {place} on the map",
  "^what's (around|near) {place}",
  "^{place} on the map(, please| pls|)",
  "(search|look up) {place} in (Maps|Apple Maps|maps)",
  "^show {place}",
  "(open|view) {place}",
  "^whereabouts is {place}",
  "(show|find) me where {place} is",
]);

function locationAction(c: Ctx): Clause {
  const target = pickPlace(c.rng);
  const clause = c.say(LOCATION, { place: lit(target.surface) });
  c.plan.call("maps_open_location", [target.value]);
  return clause;
}

const DIRECTIONS = new Table("directions", [
  "(get|give) me directions to {to}[ from {from}][ {mode}]",
  "^how do I get (to|over to) {to}[ from {from}][ {mode}]",
  "^directions (from {from} |)to {to}",
  "navigate to {to}[ {mode}]",
  "^route (from {from} |)to {to}[ {mode}]",
  "^what's the (fastest|best|quickest) way to get (from {from} |)to {to}[ {mode}]",
  { t: "^how do I walk (from {from} |)to {to}", fixed: { mode: "w" } },
  { t: "^walking directions to {to}[ from {from}]", fixed: { mode: "w" } },
  { t: "^(driving|drive) directions (from {from} |)to {to}", fixed: { mode: "d" } },
  { t: "^how do I get to {to} (by|on) (train|bus|subway|public transit|the metro)", fixed: { mode: "r" } },
  "take me to {to}[ {mode}]",
  "show me the way to {to}[ from {from}]",
  "^I need to get to {to}[ from {from}][ {mode}]",
  "plot a route (from {from} |)to {to}",
  { t: "^how long (does it take|will it take) to drive to {to}[ from {from}]", fixed: { mode: "d" } },
  { t: "^which (bus|train) gets me to {to}[ from {from}]", fixed: { mode: "r" } },
  "(open|pull up) directions to {to} in maps",
  "^heading to {to}, (directions please|need directions)",
  { t: "^transit directions (from {from} |)to {to}", fixed: { mode: "r" } },
  { t: "^can I walk to {to} from {from}", fixed: { mode: "w" } },
  "^directions {from} to {to}[ {mode}]",
  { t: "(take me|navigate|get me) home[ {mode}]", fixed: { to: "Home" } },
  { t: "^fastest way home from {from}", fixed: { to: "Home" } },
  { t: "^directions (home|back home)[ from {from}]", fixed: { to: "Home" } },
  { t: "^how long is my commute (to work|to the office)[ today]", fixed: { to: "Work" } },
  "^best route to {to}[ {mode}]",
]);

function directionsAction(c: Ctx, destination?: Place): Clause {
  const { rng } = c;
  const to = destination ?? pickPlace(rng);
  const from = rng.chance(0.45) ? pickStart(rng) : undefined;
  const transport = rng.chance(0.4) ? pickTransport(rng) : undefined;
  const clause = c.say(DIRECTIONS, {
    to: lit(to.surface),
    from: from && lit(from.surface),
    mode: transport && soft(transport.text),
  });
  const flag = clause.fixed.mode ?? (clause.present.has("mode") ? transport!.flag : "d");
  const start = clause.present.has("from") ? from!.value : "";
  c.plan.call("maps_show_directions", [start, clause.fixed.to ?? to.value, flag]);
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Notes: create_note, open_note, append_note_content
// ---------------------------------------------------------------------------------------------------------

const NOTE_NEW = new Table("note-new", [
  "(make|create|start) a (new |)note (called|titled|named) {note}[ (with|saying|that says|containing) {content}][ in (my|the) {folder} folder]",
  "^new note: {note}[ — {content}]",
  "jot down {content} in a new note called {note}",
  "write a note (about|on) {note}: {content}",
  "take a note called {note}[: {content}]",
  "(create|make) a note in {folder} called {note}[ with {content}]",
  "^I want a new note named {note}[ with {content}]",
  "start a fresh note for {note}[ and put {content} in it]",
  "^note to self: {content}",
  "save a note (titled|called) {note} that says {content}",
  "put {content} in a new note[ called {note}]",
  "add a new note to my {folder} folder: {note}[, {content}]",
  "make me a {note} note[ with {content}]",
  "(create|open) a new note[ in {folder}] and write {content}",
  "^can you make a note called {note}",
  "write down {content}[ as a note called {note}]",
  "^new {note} note[ in {folder}]: {content}",
  "^quick note: {content}",
  "capture this in Notes: {content}",
  "(save|put|keep) {content} in my notes",
  "^add {content} to Notes as a new note",
  "(make|create) a note (for|about) {note} (with|listing) {content}",
  "jot down (that |){content}",
  "jot (this|that|it) down: {content}",
  "jot {content} (down |)(in|into) (my|the) notes",
  "note down (that |){content}",
  "^note: {content}",
  "^new note — {content}",
  "(make|take) a (quick |)note (that|of this:|saying) {content}",
  "(save|store|keep|stash|log|record) {content} (in|to) (my notes|Notes|the notes app|a note)",
  "(put|write) (it|this) in my notes: {content}",
  "(put|write) in my notes that {content}",
  "^remember this for me in a note: {content}",
  "(scribble|write) down {content} (in a note|for later)",
  "(add|create) a note (that says|saying|with) {content}[ in {folder}]",
  "^save this as a note: {content}",
  "^notes app: new note {note}[ — {content}]",
  "start a note (for|about) {note}",
  "^can you note that {content}",
  "(make|set up) a new {note} note[ in my {folder} folder]",
  "write up a note titled {note}[: {content}]",
]);

function noteNewAction(c: Ctx): Clause {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const content = pickNoteContent(rng);
  const folder = rng.chance(0.3) ? rng.pick(NOTE_FOLDERS) : undefined;
  const clause = c.say(NOTE_NEW, {
    note: casual(rng, title),
    content: lit(content),
    folder: folder ? casual(rng, folder) : undefined,
  });
  const has = (slot: string) => clause.present.has(slot);
  c.plan.call("create_note", [
    has("note") ? title : titleFrom(content),
    has("content") ? content : "",
    has("folder") ? folder! : null,
  ]);
  return clause;
}

const NOTE_OPEN = new Table("note-open", [
  "open (my|the) {note} note",
  "show me (my|the) {note} note[ (in|from) {folder}]",
  "pull up (my|the) {note} note",
  "^what's in my {note} note",
  "read me my {note} note",
  "^where's my note (about|on|called) {note}",
  "open the note called {note}[ in {folder}]",
  "bring up {note} in Notes",
  "^can I see my {note} note",
  "find my {note} note",
  "display the {note} note",
  "go to my {note} note[ in the {folder} folder]",
  "^what did I write in {note}",
  "open notes to {note}",
  "look at my {note} note",
  "check my {note} note",
  "^show my {note} notes",
  "get my {note} note up",
  "open up {note} from my {folder} notes",
  "^do I have a note (about|on|for) {note}",
  "^is there a note (with|about|for|on|that has) {about}",
  "^do I have (any |)notes (on|about|with) {about}",
  "^did I (write|make|take) a note (about|on|with) {about}",
  "search (my notes|Notes) for {about}",
  "find the note (with|about|that has|containing) {about}",
  "^which note has {about}",
  "^where did I note {about}",
  "look (through|in) my notes for {about}",
  "(show|open|pull up) the note (with|that has|about) {about}",
  "^what did I write down about {about}",
  "(read|show) me what's in {note}",
  "(view|see|display) my {note} note",
  "^open notes: {note}",
  "(reopen|resume|continue) my {note} note",
  "^let me see the {note} note",
  "^show me my notes (on|about|for) {note}",
]);

/** What a note is searched for by its content ("is there a note with my gym locker code"). */
const NOTE_ABOUT = words(`
  wifi password, gym locker code, membership number, library card number, passport number, bike lock combo,
  parking spot, alarm code, frequent flyer number, license plate, shoe sizes, ring size, paint colors,
  book recommendations, podcast list, kids' clothing sizes, insurance policy number, router password,
  flight details, hotel confirmation, allergy list, gift ideas for mom, recipe for dal, tire pressure,
  locker combination, vaccine dates, Airbnb address, train times, server IP, meeting takeaways
`);

function noteOpenAction(c: Ctx): Clause {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const folder = rng.chance(0.25) ? rng.pick(NOTE_FOLDERS) : undefined;
  const about = rng.pick(NOTE_ABOUT);
  const clause = c.say(NOTE_OPEN, {
    note: casual(rng, title),
    folder: folder ? casual(rng, folder) : undefined,
    about: lit(`${rng.chance(0.5) ? "my " : "the "}${about}`),
  });
  const name = clause.present.has("about") ? capitalize(about) : title;
  c.plan.call("open_note", [name, clause.present.has("folder") ? folder! : null]);
  return clause;
}

const NOTE_APPEND = new Table("note-append", [
  "add {content} to (my|the) {note} note",
  "append {content} to {note}",
  "put {content} in (my|the) {note} note",
  "update my {note} note with {content}",
  "^{note} note: add {content}",
  "jot {content} down in my {note} note",
  "(add|throw) {content} (on|onto|into) my {note} note",
  "^I need {content} added to my {note} note",
  "append to {note}[ in {folder}]: {content}",
  "add a line to my {note} note: {content}",
  "stick {content} at the end of my {note} note",
  "(write|add) {content} (under|in) {note}[ in my {folder} folder]",
  "^can you add {content} to the {note} note",
  "include {content} in my {note} note",
  "tack {content} onto the {note} note",
  "^my {note} note needs {content}, add it",
  "add to my {note} note: {content}",
  "^{content} — add that to {note}",
  'add "{content}" to (my|the) {note} note',
  "add '{content}' to my {note} (note|list note)",
  "put it in my {note} note that {content}",
  "(save|store|log|record|keep) {content} in (my|the) {note} note",
  "(jot|note|write) (down |){content} (in|under|on) (my|the) {note} note",
  "add (a line|a bullet|an item|another line|an entry) to (my |the |){note}[ note]: {content}",
  "^in my {note} note,? (add|write|put) {content}",
  "^{note} note — {content}",
  "^{note}: add {content}",
  "^notes: {note} (add|+) {content}",
  "(update|edit) the {note} note (to include|and add|with) {content}",
  "append (this|the following) to my {note} note: {content}",
  "(save|add) (that|this) to my {note} note: {content}",
  "^please note in {note} that {content}",
  "(pop|drop|slip) {content} (into|in) my {note} note",
  "(add|append) {content} (at the bottom of|to the end of) {note}",
  "(put|add) {content} under {note}[ in {folder}]",
  "^for my {note} note: {content}",
  "(record|log) in my {note} note that {content}",
]);

function noteAppendAction(c: Ctx): Clause {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const content = pickNoteContent(rng);
  const folder = rng.chance(0.2) ? rng.pick(NOTE_FOLDERS) : undefined;
  const clause = c.say(NOTE_APPEND, {
    note: casual(rng, title),
    content: lit(content),
    folder: folder ? casual(rng, folder) : undefined,
  });
  c.plan.call("append_note_content", [title, content, clause.present.has("folder") ? folder! : null]);
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Reminders: create_reminder
// ---------------------------------------------------------------------------------------------------------

const REMINDER = new Table("reminder", [
  "remind me to {task}[ {when}][, {prio}]",
  "(set|create|add) a reminder (to|for me to) {task}[ {when}][ in my {list} list]",
  "^{task} reminder {when}",
  "don't let me forget to {task}[ {when}]",
  "^I need to {task} {when}, remind me",
  "ping me {when} to {task}",
  "^can you remind me {when} to {task}",
  "set a {prioadj} reminder to {task}[ {when}]",
  "add {task} to my (to-do list|todos|reminders)[ {when}]",
  "^todo: {task}[ {when}]",
  "make a to-do to {task}[ {when}]",
  "remember to {task} {when}",
  "^new reminder: {task}[, {when}][, {prio}]",
  "put a reminder in my {list} list to {task}[ {when}]",
  "^{when}, remind me to {task}",
  "nudge me {when} to {task}",
  "alert me {when} to {task}",
  "^remind me {when}: {task}",
  "set up a reminder[ {when}]: {task}[ ({prio})]",
  "^reminder to {task}[ {when}][ with a note: {rnote}]",
  "^I gotta {task} {when}, set a reminder",
  "add a reminder {when} to {task}[ — {rnote}]",
  "^{prio}: remind me to {task}[ {when}]",
  "add {task} to my {list} list[ {when}]",
  "put {task} on the {list} list[, {prio}]",
]);

const PRIORITIES: [string, number][] = [
  ["high priority", 1],
  ["it's urgent", 1],
  ["urgent", 1],
  ["important", 1],
  ["priority high", 1],
  ["medium priority", 5],
  ["normal priority", 5],
  ["low priority", 9],
  ["no rush", 9],
  ["low prio", 9],
];
const PRIORITY_ADJECTIVES: [string, number][] = [
  ["high-priority", 1],
  ["high priority", 1],
  ["top-priority", 1],
  ["medium-priority", 5],
  ["low-priority", 9],
  ["low priority", 9],
];
const REMINDER_LISTS = words(
  "Groceries, Work, Errands, Home, Shopping, Family, Bills, School, Personal, Garden",
);
const REMINDER_NOTES = words(
  "the number is on the fridge, use the blue form, confirmation code in email, ask about the discount, bring the receipt, login is on the sticky note",
);

function reminderAction(c: Ctx, fixedTask?: string): Clause {
  const { rng } = c;
  const task = fixedTask ?? pickTask(rng);
  const when = rng.chance(0.8) ? pickWhen(rng, { dayOnly: 0.35, range: 0, relative: 0.12 }) : undefined;
  const prio = rng.chance(0.25) ? rng.pick(PRIORITIES) : undefined;
  const prioAdj = rng.pick(PRIORITY_ADJECTIVES);
  const list = rng.chance(0.25) ? rng.pick(REMINDER_LISTS) : undefined;
  const note = rng.chance(0.15) ? rng.pick(REMINDER_NOTES) : undefined;
  const clause = c.say(REMINDER, {
    task: lit(task),
    when: when && soft(when.text),
    prio: prio && soft(prio[0]),
    prioadj: soft(prioAdj[0]),
    list: list ? casual(rng, list) : undefined,
    rnote: note ? lit(note) : undefined,
  });
  const has = (slot: string) => clause.present.has(slot);
  const timed = has("when") ? corrected(c, clause, when!) : undefined;
  const due = timed ? (timed.hasTime ? isoMoment(timed.start) : isoDay(timed.start.day)) : null;
  const priority = has("prio") ? prio![1] : has("prioadj") ? prioAdj[1] : 0;
  c.plan.call("create_reminder", [
    capitalize(task),
    due,
    has("rnote") ? capitalize(note!) : "",
    has("list") ? list! : "",
    priority,
    timed !== undefined && !timed.hasTime,
  ]);
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Contacts on their own: get_phone_number, get_email_address
// ---------------------------------------------------------------------------------------------------------

const PHONE_LOOKUP = new Table("phone-lookup", [
  "^what's {whose} (number|phone number|cell|mobile number)",
  "get me {whose} (number|phone number)",
  "look up {whose} phone number",
  "find {whose} (mobile|cell) number",
  "^{whose} phone number",
  "^do I have a number for {who}",
  "^I need {whose} number",
  "pull up {whose} contact number",
  "^what number do I have for {who}",
  "^phone # for {who}",
  "^can you find the phone number (of|for) {who}",
  "give me {whose} digits",
  "search my contacts for {whose} phone number",
  "^how do I reach {who} by phone",
  "tell me {whose} number",
  "check contacts for {whose} number",
  "fetch {whose} phone number",
  "^{whose} cell please",
  "^I need to call {who}[,] (what's|get me) (the|their) number",
  "^(gotta|have to|need to) call {who}[ later] — (find|get) (the|their) number",
  "get {whose} number so I can call (them|later)",
  "^I want to ring {who}, (look up|find) (the|their) number",
]);

const EMAIL_LOOKUP = new Table("email-lookup", [
  "^what's {whose} email( address|)",
  "get me {whose} email( address|)",
  "look up {whose} email",
  "find {whose} (email|e-mail|work email)",
  "^{whose} email address",
  "^do I have an email for {who}",
  "^I need {whose} email",
  "pull up {whose} email address",
  "^what email do I have for {who}",
  "^email address for {who}",
  "^can you find the email (of|for) {who}",
  "search my contacts for {whose} email",
  "^how do I reach {who} by email",
  "tell me {whose} email address",
  "check contacts for {whose} email",
  "fetch {whose} email",
  "^which address does {who} use for email",
  "^{whose} email pls",
]);

function lookupAction(c: Ctx, kind: "phone" | "email"): Clause {
  const person = pickPerson(c.rng);
  const clause = c.say(kind === "phone" ? PHONE_LOOKUP : EMAIL_LOOKUP, {
    who: lit(person.surface),
    whose: lit(person.possessive),
  });
  if (kind === "phone") c.plan.phone(person.lookup);
  else c.plan.email(person.lookup);
  return clause;
}

const CONTACT_BOTH = new Table("contact-both", [
  "get {whose} email and phone number",
  "^what's {whose} number and email address",
  "look up {whose} contact info, email and phone",
  "find {whose} email address and cell",
  "^I need both {whose} phone number and email",
  "pull up {whose} phone and email",
]);

function contactBothChain(c: Ctx): Clause[] {
  const person = pickPerson(c.rng);
  const clause = c.say(CONTACT_BOTH, { whose: lit(person.possessive) });
  c.plan.email(person.lookup);
  c.plan.phone(person.lookup);
  return [clause];
}

// ---------------------------------------------------------------------------------------------------------
// Files: open_and_get_file_path, summarize_pdf
// ---------------------------------------------------------------------------------------------------------

const FILE_OPEN = new Table("file-open", [
  "open {file}",
  "find {file}",
  "pull up {file}",
  "^where's {file}",
  "locate {file} on my (mac|computer|laptop)",
  "show me {file}",
  "get the path (of|to) {file}",
  "open up {file}",
  "bring up {file}",
  "^can you find {file}",
  "^I need {file} open",
  "^where did I save {file}",
  "search for {file}",
  "dig up {file}",
  "open the file {file}",
  "find and open {file}",
  "^what's the file path for {file}",
  "spotlight {file}",
  "launch {file}",
]);

function fileOpenAction(c: Ctx): Clause {
  const file = pickFile(c.rng, false);
  const clause = c.say(FILE_OPEN, { file: lit(file.surface) });
  c.plan.file(file.value);
  return clause;
}

const SUMMARIZE = new Table("summarize", [
  "summarize {file}",
  "give me a summary of {file}",
  "^tl;dr {file}",
  "^what's {file} about",
  "sum up {file}",
  "read {file} and tell me the main points",
  "^key takeaways from {file}",
  "brief me on {file}",
  "^I don't have time to read {file}, summarize it",
  "^summary of {file}",
  "condense {file} (into a few lines|for me)",
  "^what does {file} say",
  "give me the gist of {file}",
  "break down {file} for me",
  "^(short|quick) summary of {file}",
  "skim {file} and summarize it",
  "^can you summarize {file}",
  "recap {file}",
]);

function summarizeAction(c: Ctx): Clause {
  const file = pickFile(c.rng, true);
  const clause = c.say(SUMMARIZE, { file: lit(file.surface) });
  c.plan.call("summarize_pdf", [c.plan.file(file.value)]);
  return clause;
}

// ---------------------------------------------------------------------------------------------------------
// Chains: one request whose steps feed each other (a Zoom link into an event and an email, a summary into
// an email or a note, a note's text into a message). Each has its own phrasings.
// ---------------------------------------------------------------------------------------------------------

const ZOOM_CALENDAR = new Table("zoom-calendar", [
  "(set up|create|make) a zoom (meeting|call)[ with {who}] (about|for) {topic} {when}[ {dur}] and (put|add) it (on|to) my calendar",
  "schedule {topic} {when} with a zoom link[ and invite {who}]",
  "add {topic} to my calendar {when} and include a zoom link[ for {who}]",
  "^I need a zoom for {topic} {when}[ with {who}], and put it in my calendar",
  "^calendar event with zoom: {topic}, {when}[, invite {who}]",
  "book a zoom call {when} for {topic} and block my calendar",
  "create a calendar event for {topic} {when} with a zoom link[ and invite {who}]",
  "^zoom {when} (about|re) {topic}[ with {who}] — (put|add) it on the calendar",
  "set up a zoom with {who} {when} and (add|put) it (on|to) my calendar",
  "make a zoom link for {topic} {when}[ {dur}] and save it as a calendar event",
]);

function zoomCalendarChain(c: Ctx): Clause[] {
  const spec = pickZoom(c.rng, 0.6);
  const clause = c.say(ZOOM_CALENDAR, zoomSlots(spec, c.rng));
  const invitees = zoomInvitees(c, spec, clause);
  const zoom = zoomCall(c, spec, clause, invitees);
  c.plan.call("create_calendar_event", [
    zoom.topic,
    isoMoment(zoom.start),
    isoMoment(addMinutes(zoom.start, zoom.minutes)),
    "",
    invitees,
    zoom.ref,
    null,
  ]);
  return [clause];
}

const ZOOM_EMAIL = new Table("zoom-email", [
  "create a zoom link for {topic} {when} and email it to {who}",
  "email {who} a zoom link for {topic}[ {when}]",
  "set up a zoom with {who} {when} and send them the link by email",
  "send {who} an email with a zoom invite for {topic} {when}",
  "make a zoom meeting for {topic}[ {when}] and mail the link to {who}",
  "^I need a zoom link for {topic} {when} emailed to {who}",
  "(get|generate) a zoom link[ {when}] and email it to {who}",
  "^zoom {when} with {who} about {topic}, email (them|everyone) the link",
]);

const ZOOM_CALENDAR_EMAIL = new Table("zoom-calendar-email", [
  "set up a zoom with {who} {when} about {topic}, put it on my calendar and email them the link",
  "create a zoom (call|meeting) for {topic} {when} with {who}, add it to my calendar and send the link by email",
  "schedule {topic} {when} on zoom, calendar it, and email {who} the invite",
  "^zoom meeting with {who} {when} re {topic}: put it on my cal and email the link",
  "make a zoom for {topic} {when}[ {dur}], block it on my calendar and email the link to {who}",
]);

/** Zoom link emailed to the invitees, and put on the calendar when the request says so. */
function zoomEmailChain(c: Ctx, withCalendar: boolean): Clause[] {
  const spec = pickZoom(c.rng, 1);
  const clause = c.say(withCalendar ? ZOOM_CALENDAR_EMAIL : ZOOM_EMAIL, zoomSlots(spec, c.rng));
  const invitees = zoomInvitees(c, spec, clause);
  const zoom = zoomCall(c, spec, clause, invitees);
  if (withCalendar) {
    c.plan.call("create_calendar_event", [
      zoom.topic,
      isoMoment(zoom.start),
      isoMoment(addMinutes(zoom.start, zoom.minutes)),
      "",
      invitees,
      zoom.ref,
      null,
    ]);
  }
  c.plan.call("compose_new_email", [
    invitees,
    [],
    zoom.topic,
    `Here is the Zoom link for ${zoom.topic}: ${interpolate(zoom.ref)}`,
    [],
  ]);
  return [clause];
}

const ZOOM_SMS = new Table("zoom-sms", [
  "make a zoom link for {topic}[ {when}] and text it to {who}",
  "text {who} a zoom link for {topic}[ {when}]",
  "(create|set up) a zoom[ {when}] and send {who} the link by text",
  "^{who} needs the zoom link for {topic}, text it to them",
  "get a zoom going (now|right now) and text the link to {who}",
  "message {who} a zoom link[ for {when}]",
]);

function zoomSmsChain(c: Ctx): Clause[] {
  // Texted, not invited: no guest in the topic and no invitees.
  const spec = pickZoom(c.rng, 0, false);
  const recipients = recipientsFor(c.rng, "phone", peopleCount(c.rng));
  const clause = c.say(ZOOM_SMS, {
    ...zoomSlots(spec, c.rng),
    who: namesOf(recipients, c.rng),
  });
  const phones = c.plan.phones(recipients);
  const zoom = zoomCall(c, spec, clause, []);
  c.plan.call("send_sms", [phones, `Zoom link for ${zoom.topic}: ${interpolate(zoom.ref)}`]);
  return [clause];
}

const SUMMARY_EMAIL = new Table("summary-email", [
  "summarize {file} and email (it|the summary) to {who}",
  "email {who} a summary of {file}",
  "send {who} the (gist|tl;dr|key points) of {file} by email",
  "read {file}, summarize it and send that to {who}",
  "^{who} wants a summary of {file} — email it to them",
  "write up a summary of {file} and mail it to {who}[, cc {cc}]",
  "^can you summarize {file} and email it to {who}",
  "get the key points from {file} and email them to {who}",
  { t: "summarize {file} for {who} and email it with the file attached", fixed: { attach: "yes" } },
  { t: "email {who} {file} along with a short summary of it", fixed: { attach: "yes" } },
]);

function summaryEmailChain(c: Ctx): Clause[] {
  const { rng } = c;
  const file = pickFile(rng, true);
  const recipients = recipientsFor(rng, "email", peopleCount(rng));
  const cc = rng.chance(0.3) ? recipientsFor(rng, "email", 1) : undefined;
  const clause = c.say(SUMMARY_EMAIL, {
    ...recipientSlots(recipients, rng),
    file: lit(file.surface),
    cc: cc && lit(cc[0]!.surface),
  });
  const path = c.plan.file(file.value);
  const summary = c.plan.call("summarize_pdf", [path]);
  const to = c.plan.emails(recipients);
  const copy = clause.present.has("cc") ? c.plan.emails(cc!) : [];
  const attachments = clause.fixed.attach ? [path] : [];
  c.plan.call("compose_new_email", [to, copy, `Summary of ${file.value}`, summary, attachments]);
  return [clause];
}

const SUMMARY_NOTE = new Table("summary-note", [
  "summarize {file} into a new note[ called {note}]",
  "make a note with a summary of {file}[ in {folder}]",
  "save a summary of {file} to my notes",
  "create a note (called|titled) {note} with the key points of {file}",
  "summarize {file} and put it in a note[ in my {folder} folder]",
  "^I want the gist of {file} in a new note[ called {note}]",
  "^tl;dr {file} into notes",
  "read {file} and write the main points into a note[ named {note}]",
]);

const SUMMARY_APPEND = new Table("summary-append", [
  "summarize {file} and add it to my {note} note",
  "append a summary of {file} to {note}",
  "put the key points of {file} in my {note} note",
  "add a tl;dr of {file} to the {note} note",
  "^can you summarize {file} and append it to {note}",
  "summarize {file}, then add the summary to my {note} note[ in {folder}]",
]);

function summaryNoteChain(c: Ctx, append: boolean): Clause[] {
  const { rng } = c;
  const file = pickFile(rng, true);
  const title = pickNoteTitle(rng);
  const folder = rng.chance(0.3) ? rng.pick(NOTE_FOLDERS) : undefined;
  const clause = c.say(append ? SUMMARY_APPEND : SUMMARY_NOTE, {
    file: lit(file.surface),
    note: casual(rng, title),
    folder: folder ? casual(rng, folder) : undefined,
  });
  const summary = c.plan.call("summarize_pdf", [c.plan.file(file.value)]);
  const name = clause.present.has("note") ? title : `${capitalize(file.value)} summary`;
  const where = clause.present.has("folder") ? folder! : null;
  c.plan.call(append ? "append_note_content" : "create_note", [name, summary, where]);
  return [clause];
}

const SUMMARY_SMS = new Table("summary-sms", [
  "text {who} a (quick |)summary of {file}",
  "summarize {file} and text it to {who}",
  "send {who} the gist of {file} (by text|over iMessage)",
  "^{who} asked what {file} says — text them a summary",
  "message {who} the key points from {file}",
]);

function summarySmsChain(c: Ctx): Clause[] {
  const file = pickFile(c.rng, true);
  const recipients = recipientsFor(c.rng, "phone", peopleCount(c.rng));
  const clause = c.say(SUMMARY_SMS, {
    who: namesOf(recipients, c.rng),
    file: lit(file.surface),
  });
  const summary = c.plan.call("summarize_pdf", [c.plan.file(file.value)]);
  c.plan.call("send_sms", [c.plan.phones(recipients), summary]);
  return [clause];
}

const SUMMARY_REPLY = new Table("summary-reply", [
  "reply to this email with a summary of {file}",
  "summarize {file} and reply with (it|the summary)",
  "reply to this with the key points from {file}",
  "write back with a short summary of {file}",
  { t: "summarize {file} and reply with the summary, attaching the file", fixed: { attach: "yes" } },
  { t: "reply with {file} attached and a quick summary of it", fixed: { attach: "yes" } },
]);

function summaryReplyChain(c: Ctx): Clause[] {
  const file = pickFile(c.rng, true);
  const clause = c.say(SUMMARY_REPLY, { file: lit(file.surface) });
  const path = c.plan.file(file.value);
  const summary = c.plan.call("summarize_pdf", [path]);
  c.plan.call("reply_to_email", [[], summary, clause.fixed.attach ? [path] : []]);
  return [clause];
}

const DIRECTIONS_SMS = new Table("directions-sms", [
  "get me directions to {to}[ {mode}] and text {who} (that I'm on my way|I'm heading there)",
  "^I'm heading to {to}[ {mode}] — text {who} I'm on my way and show me the route",
  "text {who} I'll meet them at {to} and give me directions there",
  "(show me|pull up) the route (from {from} |)to {to} and let {who} know I'm on my way",
  "navigate to {to} and message {who} (that I'm coming|that I'm leaving now)",
  "^how do I get to {to}[ from {from}]? also text {who} that I'm on my way",
  "^directions to {to}[ {mode}], and tell {who} I'll be there soon",
]);

function directionsSmsChain(c: Ctx): Clause[] {
  const { rng } = c;
  const to = pickPlace(rng);
  const from = rng.chance(0.3) ? pickStart(rng) : undefined;
  const transport = rng.chance(0.35) ? pickTransport(rng) : undefined;
  const recipients = recipientsFor(rng, "phone", 1);
  const clause = c.say(DIRECTIONS_SMS, {
    to: lit(to.surface),
    from: from && lit(from.surface),
    mode: transport && soft(transport.text),
    who: lit(recipients[0]!.surface),
  });
  const flag = clause.present.has("mode") ? transport!.flag : "d";
  c.plan.call("maps_show_directions", [clause.present.has("from") ? from!.value : "", to.value, flag]);
  c.plan.call("send_sms", [c.plan.phones(recipients), `On my way to ${to.value}`]);
  return [clause];
}

const EVENT_REMINDER = new Table("event-reminder", [
  "put {title} on my calendar {when} and remind me {before}",
  "schedule {title} {when}[ at {loc}], and set a reminder {before}",
  "add {title} {when} to my calendar with a reminder {before}",
  "^{title} is {when} — calendar it and remind me {before}",
  "create an event for {title} {when} and a reminder {before}",
  "(book|add) {title} {when}; remind me {before}",
]);

const BEFORE: [string, (start: Moment) => Moment][] = [
  ["the day before", (s) => ({ day: s.day - 1, minute: s.minute })],
  ["an hour before", (s) => addMinutes(s, -60)],
  ["30 minutes before", (s) => addMinutes(s, -30)],
  ["half an hour before", (s) => addMinutes(s, -30)],
  ["the night before", (s) => ({ day: s.day - 1, minute: 20 * 60 })],
  ["15 min before", (s) => addMinutes(s, -15)],
  ["a week before", (s) => ({ day: s.day - 7, minute: s.minute })],
];

function eventReminderChain(c: Ctx): Clause[] {
  const { rng } = c;
  let when = pickWhen(rng, { dayOnly: 0, range: 0, relative: 0 });
  // The reminder must still be ahead of now: a week's notice needs an event far enough away.
  const [beforeText, before] = rng.pick(BEFORE);
  while (isoMoment(before(when.start)) <= isoMoment({ day: 0, minute: NOW_MINUTE + 1 }))
    when = pickWhen(rng, { dayOnly: 0, range: 0, relative: 0 });
  const titled = pickEventTitle(rng);
  const title = titled.text;
  const location = rng.chance(0.3) ? pickPlace(rng) : undefined;
  const clause = c.say(EVENT_REMINDER, {
    title: lit(title),
    when: soft(when.text),
    before: soft(beforeText),
    loc: location && lit(location.surface),
  });
  c.plan.call("create_calendar_event", [
    title,
    isoMoment(when.start),
    isoMoment(endOf(when, 60)),
    clause.present.has("loc") ? location!.value : "",
    c.plan.emails(guestsOf(titled)),
    "",
    null,
  ]);
  c.plan.call("create_reminder", [title, isoMoment(before(when.start)), "", "", 0, false]);
  return [clause];
}

const NOTE_REMINDER = new Table("note-reminder", [
  "make a note called {note} with {content} and remind me to look at it {when}",
  "^create a {note} note: {content}. remind me about it {when}",
  "jot down {content} in a new note {note} and set a reminder {when} to follow up",
  "^new note {note} ({content}) plus a reminder {when}",
  "save {content} as a note named {note}, and ping me {when} to review it",
]);

function noteReminderChain(c: Ctx): Clause[] {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const content = pickNoteContent(rng);
  const when = pickWhen(rng, { dayOnly: 0.3, range: 0, relative: 0.1 });
  const clause = c.say(NOTE_REMINDER, {
    note: casual(rng, title),
    content: lit(content),
    when: soft(when.text),
  });
  c.plan.call("create_note", [title, content, null]);
  c.plan.call("create_reminder", [
    `Review ${title} note`,
    when.hasTime ? isoMoment(when.start) : isoDay(when.start.day),
    "",
    "",
    0,
    !when.hasTime,
  ]);
  return [clause];
}

const NOTE_SEND = new Table("note-send", [
  "email {who} my {note} note",
  "send the contents of my {note} note to {who}[ by email]",
  "open my {note} note and email it to {who}",
  "share my {note} note with {who} over email",
  "^{who} wants my {note} note, can you email it",
  "mail {who} what's in my {note} note",
]);

const NOTE_TEXT = new Table("note-text", [
  "text {who} my {note} note",
  "send {who} what's in my {note} note by text",
  "open {note} and text it to {who}",
  "message {who} the contents of my {note} note",
  "^{who} needs my {note} note — text it to them",
]);

/** A note's text sent on: open_note feeds an email or a text. */
function noteSendChain(c: Ctx, medium: "email" | "phone"): Clause[] {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const recipients = recipientsFor(rng, medium, peopleCount(rng));
  const clause = c.say(medium === "email" ? NOTE_SEND : NOTE_TEXT, {
    note: casual(rng, title),
    who: namesOf(recipients, rng),
  });
  const text = c.plan.call("open_note", [title, null]);
  if (medium === "email") c.plan.call("compose_new_email", [c.plan.emails(recipients), [], title, text, []]);
  else c.plan.call("send_sms", [c.plan.phones(recipients), text]);
  return [clause];
}

const EMAIL_AND_TEXT = new Table("email-and-text", [
  "email {who} about {subject} and text them a heads-up",
  "send {who} an email saying {msg} and also text them to check their inbox",
  "^email {who} re {subject}, then ping them by text so they see it",
  "email {who} that {msg}, and send a text too",
]);

/** The same person emailed and texted: both lookups for one name. */
function emailAndTextChain(c: Ctx): Clause[] {
  const { rng } = c;
  const person = pickPerson(rng);
  const content = pickEmailContent(rng);
  const clause = c.say(EMAIL_AND_TEXT, {
    who: lit(person.surface),
    subject: lit(content.subject),
    msg: lit(content.message),
  });
  const email = c.plan.email(person.lookup);
  const context = clause.present.has("msg") ? capitalize(content.message) : content.subject;
  c.plan.call("compose_new_email", [[email], [], content.subject, context, []]);
  c.plan.call("send_sms", [
    [c.plan.phone(person.lookup)],
    `Just sent you an email about ${content.subject.toLowerCase()}`,
  ]);
  return [clause];
}

const MIXED_CHANNELS = new Table("mixed-channels", [
  "(email|e-mail|mail) {ewho} and (text|message) {pwho} (that|saying) {msg}",
  "(text|message) {pwho} and (email|mail) {ewho} (that|saying) {msg}",
  "let {ewho} know by email and {pwho} by text that {msg}",
  "tell {pwho} (by text|over text) and {ewho} (by email|over email) that {msg}",
  "send {msg} to {ewho} by email and to {pwho} as a text",
  "(email|mail) {ewho}, (text|sms) {pwho}: {msg}",
  "^{msg} — email that to {ewho} and text it to {pwho}",
  "shoot {ewho} an email and {pwho} a text saying {msg}",
  "(email|mail) {ewho} and (let|tell) {pwho} (know |)by text: {msg}",
]);

/** One message to two people by two channels: one person emailed, the other texted. */
function mixedChannelsChain(c: Ctx): Clause[] {
  const { rng } = c;
  const [emailed, texted] = pickPeople(rng, 2);
  const message = pickSmsMessage(rng);
  const clause = c.say(MIXED_CHANNELS, {
    ewho: lit(emailed!.surface),
    pwho: lit(texted!.surface),
    msg: lit(message),
  });
  const email = c.plan.email(emailed!.lookup);
  c.plan.call("compose_new_email", [[email], [], titleFrom(message), capitalize(message), []]);
  c.plan.call("send_sms", [[c.plan.phone(texted!.lookup)], capitalize(message)]);
  return [clause];
}

const PASS_ON_NUMBER = new Table("pass-on-number", [
  "(send|text) {to} {whose} (number|phone number|cell)",
  "(give|forward) {to} {whose} (number|contact)[ by text]",
  "text {whose} number to {to}",
  "^{to} needs {whose} number, (text|send) it to (them|her|him)",
  "share {whose} phone number with {to}[ over text]",
]);

const PASS_ON_EMAIL = new Table("pass-on-email", [
  "email {to} {whose} email address",
  "send {whose} email (address |)to {to} (by|over|via) email",
  "^{to} needs {whose} email — email it to (them|her|him)",
]);

/** "send Ana Sid's number": one person's contact detail passed on to another. */
function passOnChain(c: Ctx): Clause[] {
  const { rng } = c;
  const [owner, to] = pickPeople(rng, 2);
  const phone = rng.chance(0.7);
  const clause = c.say(phone ? PASS_ON_NUMBER : PASS_ON_EMAIL, {
    to: lit(to!.surface),
    whose: lit(owner!.possessive),
  });
  if (phone) {
    const detail = c.plan.phone(owner!.lookup);
    c.plan.call("send_sms", [[c.plan.phone(to!.lookup)], detail]);
  } else {
    const detail = c.plan.email(owner!.lookup);
    const subject = `${capitalize(owner!.possessive)} email address`;
    c.plan.call("compose_new_email", [[c.plan.email(to!.lookup)], [], subject, detail, []]);
  }
  return [clause];
}

const OPEN_AND_APPEND = new Table("open-append", [
  "open my {note} note and add {content}",
  "show me {note} and append {content} to it",
  "pull up the {note} note, then add {content}",
  "open {note} in Notes and put {content} at the bottom",
]);

function openAndAppendChain(c: Ctx): Clause[] {
  const { rng } = c;
  const title = pickNoteTitle(rng);
  const content = pickNoteContent(rng);
  const clause = c.say(OPEN_AND_APPEND, { note: casual(rng, title), content: lit(content) });
  c.plan.call("open_note", [title, null]);
  c.plan.call("append_note_content", [title, content, null]);
  return [clause];
}

const EVENT_TEXT = new Table("event-text", [
  "add {title} to my calendar {when} and text {who} about it",
  "put {title} on the calendar {when}, then message {who} (the details|to let them know)",
  "schedule {title} {when} and let {who} know by text",
  "^{title} {when} — put it on my calendar and tell {who} by text",
]);

function eventTextChain(c: Ctx): Clause[] {
  const { rng } = c;
  const when = pickWhen(rng, { dayOnly: 0.05, range: 0.1, relative: 0 });
  const titled = pickEventTitle(rng);
  const title = titled.text;
  const recipients = recipientsFor(rng, "phone", 1);
  const clause = c.say(EVENT_TEXT, {
    title: lit(title),
    when: soft(when.text),
    who: lit(recipients[0]!.surface),
  });
  c.plan.call("create_calendar_event", [
    title,
    isoMoment(when.start),
    isoMoment(endOf(when, 60)),
    "",
    c.plan.emails(guestsOf(titled)),
    "",
    null,
  ]);
  c.plan.call("send_sms", [c.plan.phones(recipients), `Heads up: ${title} is on my calendar`]);
  return [clause];
}

const PLACE_TEXT = new Table("place-text", [
  "text {who} the address of {place}",
  "look up {place} on the map and text it to {who}",
  "find {place} in maps and send the location to {who} by text",
  "^where is {place}? text the address to {who}",
  "message {who} where {place} is",
]);

const PLACE_EMAIL = new Table("place-email", [
  "email {who} the address of {place}",
  "find {place} on the map and email it to {who}",
  "look up {place} and mail the location to {who}",
]);

/** A place looked up in Maps, then sent on: the message is what Maps returned. */
function placeSendChain(c: Ctx): Clause[] {
  const { rng } = c;
  const target = pickPlace(rng);
  const medium = rng.chance(0.75) ? "phone" : "email";
  const recipients = recipientsFor(rng, medium, 1);
  const slots = { place: lit(target.surface), who: namesOf(recipients, rng) };
  const clause = c.say(medium === "phone" ? PLACE_TEXT : PLACE_EMAIL, slots);
  const found = c.plan.call("maps_open_location", [target.value]);
  if (medium === "phone") c.plan.call("send_sms", [c.plan.phones(recipients), found]);
  else c.plan.call("compose_new_email", [c.plan.emails(recipients), [], target.value, found, []]);
  return [clause];
}

// ---------------------------------------------------------------------------------------------------------
// Scenarios: single actions, chains, and combinations of two to four actions or chains
// ---------------------------------------------------------------------------------------------------------

type Action = (c: Ctx) => Clause;

/** Every action with its weight as a request of its own; the weights keep the 16 tools balanced. */
const ACTIONS: [Action, number][] = [
  [smsAction, 6],
  [emailAction, 5],
  [emailFileAction, 4],
  [replyAction, 5],
  [forwardAction, 5],
  [calendarAction, 6],
  [zoomAction, 5],
  [directionsAction, 5],
  [locationAction, 6],
  [noteNewAction, 5],
  [noteOpenAction, 4],
  [noteAppendAction, 5],
  [reminderAction, 7],
  [(c) => lookupAction(c, "phone"), 2],
  [(c) => lookupAction(c, "email"), 2],
  [fileOpenAction, 4],
  [summarizeAction, 4],
  [selfAction, 1.5],
];

const CHAINS: [(c: Ctx) => Clause[], number][] = [
  [zoomCalendarChain, 3],
  [(c) => zoomEmailChain(c, false), 2],
  [(c) => zoomEmailChain(c, true), 1.5],
  [zoomSmsChain, 1.5],
  [summaryEmailChain, 3],
  [(c) => summaryNoteChain(c, false), 2],
  [(c) => summaryNoteChain(c, true), 1.5],
  [summarySmsChain, 1],
  [summaryReplyChain, 1.5],
  [directionsSmsChain, 2],
  [eventReminderChain, 2],
  [noteReminderChain, 1.5],
  [(c) => noteSendChain(c, "email"), 1],
  [(c) => noteSendChain(c, "phone"), 0.7],
  [emailAndTextChain, 1],
  [mixedChannelsChain, 1.5],
  [openAndAppendChain, 1],
  [eventTextChain, 1],
  [contactBothChain, 1],
  [placeSendChain, 1],
  [passOnChain, 1.5],
];

/** A combination stops adding parts once its plan has this many calls: longer plans are rare asks. */
const COMBINED_CALLS = 7;

/**
 * Two to four parts in one request, each an action or a chain ("email Sid the deck, zoom with Ana friday
 * and put it on my calendar, and remind me to book the room"), each part once.
 */
function combination(c: Ctx): Clause[] {
  const count = c.rng.weighted([
    [2, 50],
    [3, 35],
    [4, 15],
  ] as const);
  const chosen = new Set<unknown>();
  const clauses: Clause[] = [];
  while (chosen.size < count && c.plan.size < COMBINED_CALLS) {
    const chain = c.rng.chance(0.3) ? c.rng.weighted(CHAINS) : undefined;
    const action = chain ? undefined : c.rng.weighted(ACTIONS);
    if (chosen.has(chain ?? action)) continue;
    chosen.add(chain ?? action);
    clauses.push(...(chain ? chain(c) : [action!(c)]));
  }
  return clauses;
}

/** Joins clauses with the connectors people use; full sentences are set apart with a full stop. */
function joinClauses(clauses: readonly Clause[], rng: Rng): Seg[] {
  const out: Seg[] = [...clauses[0]!.segs];
  for (let i = 1; i < clauses.length; i++) {
    const apart = clauses[i - 1]!.sentence || clauses[i]!.sentence;
    const joiner = apart
      ? rng.pick([". ", ". Also, ", ". And ", " — also ", ". Then ", "? Also "])
      : clauses.length === 3 && i === 1 && rng.chance(0.5)
        ? ", "
        : rng.weighted([
            [" and ", 10],
            [", and ", 2],
            [", then ", 2],
            [" and then ", 2],
            [" and also ", 2],
            [". Also ", 1],
            [", also ", 1],
            ["; ", 1],
            [" & ", 0.5],
            [". ", 1],
            [", plus ", 0.5],
            [" + ", 0.3],
          ] as const);
    // "?" only follows a question; otherwise a full stop.
    const previousText = render(out);
    const last = i === clauses.length - 1 && clauses.length >= 3 && rng.chance(0.3);
    if (last) {
      out.push({
        text: rng.pick([", and finally ", ". Finally, ", " and lastly ", ", and last, "]),
        kind: "tpl",
      });
      out.push(...clauses[i]!.segs);
      continue;
    }
    const fixedJoiner =
      joiner.startsWith("?") && !/\?$/.test(previousText) ? joiner.replace("?", ".") : joiner;
    out.push({ text: fixedJoiner, kind: "tpl" }, ...clauses[i]!.segs);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Out of domain: requests no tool can serve (tools [], plan ""). Many mention people, places, times or
// the calendar, so the classifier must learn what is asked, not which nouns appear.
// ---------------------------------------------------------------------------------------------------------

const OOD_TABLES: [Table, number][] = [
  [
    new Table("ood-calendar-read", [
      "^what's my next (meeting|event|appointment|call)",
      "^what's next on my (calendar|schedule|agenda)",
      "^when am I (meeting|seeing) {who}",
      "^is my {title} still on",
      "read me my (calendar|schedule|agenda)[ for {oday}]",
      "(show|list|give me) my (events|agenda|appointments|meetings) (for |){oday}",
      "^what do I have (going on |on |planned |)({oday}|this week)",
      "^(which|what) meetings do I have {oday}",
      "^who is my {otime} (with|meeting)",
      "check my (calendar|schedule) (for|on) {oday}",
      "open my calendar",
      "^any (conflicts|clashes) {oday}",
      "^when is my {title}",
      "^where is my {title}( meeting|)",
      "^how many meetings (do I have|are on my calendar) {oday}",
      "^am I (free|busy|available) (at|around) {otime} {oday}",
      "^when's my next free slot",
      "^what time does my {title} start",
      "^do I have anything with {who} {oday}",
      "^what's the zoom link for my next meeting",
      "^is there anything on my calendar {oday}",
      "(summarize|recap) my (day|week|schedule)",
      "^what's my first meeting {oday}",
      "^what's on (my|the) (calendar|cal|schedule|agenda) (for |){oday}",
      "^what('s| is) (on |)my (schedule|calendar) (looking like |like |)(for |){oday}",
      "(tell|show) me what's on my (calendar|schedule) {oday}",
    ]),
    5,
  ],
  [
    new Table("ood-calendar-change", [
      "cancel (my|the) {title}[ {oday}]",
      "delete (my|the) {title} (event|meeting|appointment)",
      "(move|shift|push) (my|the) {title} to {otime}",
      "reschedule (my|the) {title} (to|for) {oday}",
      "push my {otime} (meeting|call) back (an hour|30 minutes|15 min|to {otime})",
      "decline the {title} invite",
      "(accept|decline) the (meeting |calendar |)invite from {who}",
      "remove {title} from my calendar",
      "clear my (afternoon|morning|evening|schedule) {oday}",
      "cancel my {otime} (meeting|call|appointment)",
      "(RSVP|rsvp) (yes|no) to {title}",
      "change (my|the) {title} to {oday}",
      "(shorten|extend) my {title} (to|by) (30 minutes|an hour|15 min)",
      "cancel the zoom (call |meeting |)with {who}",
      "(join|start) my next zoom",
      "join the {title} (zoom|call|meeting)",
      "end the zoom call",
      "mute (myself|me) on zoom",
      "(uninvite|remove) {who} from (the|my) {title}",
      "(rename|retitle) (the|my) {title} (event|meeting) to {title2}",
      "(delete|cancel) all my meetings {oday}",
      "(mark|set) me as out of office {oday}",
      "tell everyone my {title} is cancelled",
    ]),
    3.5,
  ],
  [
    new Table("ood-mail-read", [
      "read (me |)my (latest|last|newest|unread|new) (email|emails|mail)",
      "^did {who} (email|reply|write back|answer)( me|)( yet|)",
      "^any (new |)(emails|mail|messages) from {who}",
      "(delete|trash|archive|flag|star|snooze) (this|that|the) email",
      "mark (this|that|it|all) (email |emails |)as (read|unread|spam|important)",
      "unsubscribe (me |)from (this|these emails|this newsletter)",
      "move this email to (my |the |){nfolder} folder",
      "search my (email|inbox|mail) for {query}",
      "(open|check|show me) my inbox",
      "^what did {who} (say|write) in (her|his|their|the) (last |latest |)email",
      "(block|mute) (emails from |){whose} emails",
      "empty my (spam|junk|trash) folder",
      "^how many (unread |new |)emails do I have",
      "(show|find) the email from {who} about {subject}",
      "(summarize|recap) my inbox",
      "^who emailed me (today|this morning|last)",
      "(open|read) the email from {who}",
      "(print|translate) this email",
      "(undo send|unsend) (that|the last) email",
      "(turn on|set up) my (out of office|vacation) (reply|responder)",
    ]),
    3.5,
  ],
  [
    new Table("ood-messages-read", [
      "read (me |)my (texts|messages|latest text|new messages)",
      "^did {who} text (me |)(back|yet)",
      "^what did {who} (text|message) me",
      "delete (my|the) (messages|conversation|texts) with {who}",
      "mute the (group chat|family chat|{who} thread)",
      "(show|open) my (messages|texts|conversation) (from|with) {who}",
      "block {num}",
      "block {who}",
      "(pin|unpin) my chat with {who}",
      "^any new (texts|messages)",
      "^who texted me",
      "(read|open) the last (text|message) from {whose} phone",
      "mark (all |)(my |)messages as read",
      "^what's the last thing {who} (said|sent me)",
    ]),
    2.5,
  ],
  [
    new Table("ood-phonecall", [
      "give {who} a (call|ring|buzz)",
      "call {who} (on|at) (their|her|his) (cell|mobile|work number|home phone)",
      "(start|make) a FaceTime (call |)(with|to) {who}",
      "video chat (with |){who}",
      "call {who} back",
      "^can you (ring|phone|call|dial) {who}",
      "(WhatsApp|whatsapp|Skype|skype) call {who}",
      "dial {whose} (number|cell)",
      "call {whose} (cell|mobile|office)",
      "call my voicemail",
      "(call|phone) {who} and {who2}",
      "^I need to call {who}",
      "(place|make) a call to {who}",
      "(call|ring) {business}",
      "^get {who} on the phone",
      "(check|listen to) my voicemail",
      "^hang up",
      "(answer|decline) the call",
      "call {num}",
      "(call|facetime|FaceTime) {who} on speakerphone",
    ]),
    3,
  ],
  [
    new Table("ood-devices", [
      "find my {dev}",
      "^where did I (leave|put) my {dev}",
      "(ping|locate|track) my {dev}",
      "play a sound on my {dev}",
      "^where (is|are) my {dev}",
      "(show|put) my {dev} on the map",
      "^where's my {dev} right now",
      "(locate|find) {whose} {dev}",
      "^where is {who} right now",
      "share my location with {who}",
      "(stop sharing|turn off) my location",
      "^how far away is {who}",
      "mark my {dev} as lost",
      "(pair|connect|unpair) my {dev}",
      "^is my {dev} charged",
    ]),
    2.5,
  ],
  [
    new Table("ood-apps", [
      "(open|launch|start|fire up|boot up) {app}",
      "(quit|close|force quit|kill|hide|minimize) {app}",
      "open the {app} app",
      "(switch|go back) to {app}",
      "(restart|relaunch|reopen) {app}",
      "(open|show) the (Notes|Calendar|Mail|Messages|Maps|Reminders) app",
      "(open|launch) (Apple |)(Notes|Calendar|Mail|Maps|Reminders)",
      "(quit|close) (Notes|Mail|Calendar|Maps|Messages)",
      "(make|put) {app} full screen",
      "(pin|add) {app} to the dock",
      "(open|show) (Finder|my Downloads folder|my Desktop|Launchpad)",
      "(install|download|update) {app}",
      "^is {app} running",
      "^open {app} (please|pls|for me|now)",
      "(bring|pull) up {app}",
    ]),
    3.5,
  ],
  [
    new Table("ood-alarms", [
      "(set|create|make) an alarm (for|at) {otime}[ {oday}]",
      "wake me (up |){oday} at {otime}",
      "^(timer|alarm) {odur}",
      "^{odur} timer",
      "(set|start) a timer (for|of) {odur}[ for the {dish}]",
      "(delete|turn off|disable|cancel) (my|the) {otime} alarm",
      "turn off all (my |)alarms",
      "(pause|stop|reset|cancel) the timer",
      "^how (much time is|long is) left on the timer",
      "(add|put) {odur} (to|on) the timer",
      "set (a|an) {alarmname} alarm (for|at) {otime}",
      "^alarm for {otime} (please|pls|thx)",
      "(set|start) a countdown to {holiday}",
      "(set|start) a (sleep|bedtime) timer[ for {odur}]",
    ]),
    2.5,
  ],
  [
    new Table("ood-media", [
      "play {song}[ by {artist}]",
      "play (some |)(music|{genre}|something relaxing|something upbeat)",
      "play {artist} on (Spotify|Apple Music|YouTube)",
      "play the (next|last|latest) episode of {podcast}",
      "(put on|play|stream|watch) {movie}",
      "(continue|resume) (watching|playing) {movie}",
      "(open|play) {podcast}",
      "(like|love|save) this song",
      "(play|start) my {playlist} playlist",
      "(turn|crank) (it|the music|the volume) (up|down)",
      "(play|put on) white noise",
      "(cast|airplay|AirPlay) {movie} to the TV",
      "^what's playing",
      "(play|shuffle) (songs|music) by {artist}",
    ]),
    2.5,
  ],
  [
    new Table("ood-notes-change", [
      "(delete|remove|trash) (my|the) {note} note",
      "rename (my|the) {note} note to {note2}",
      "^how many notes do I have",
      "(lock|pin|unpin) (my|the) {note} note",
      "move (my|the) {note} note (to|into) {nfolder}",
      "(delete|remove) the reminder (about|to) {thing}",
      "mark {thing} as (done|complete|completed)",
      "(complete|check off|tick off) (the |my |){thing}( reminder|)",
      "^what's (on|in) my (to-do|todo|reminders) list",
      "(show|list|read) (me |)my reminders[ for {oday}]",
      "(clear|delete) (all |)(my |)completed reminders",
      "snooze (the|that|this) reminder",
      "(move|push) the reminder (about|to) {thing} to {oday}",
      "(list|show) all my notes",
      "(undo|revert) (the last|my last) (change|edit) (to|in) {note}",
      "(delete|remove) the last line (of|from) my {note} note",
      "^when did I last edit my {note} note",
      "(print|export) my {note} note (as a PDF|to PDF|)",
    ]),
    3,
  ],
  [
    new Table("ood-files-change", [
      "(delete|trash|remove) {file}",
      "rename {file} to {file2}",
      "move {file} to the (trash|Desktop|Archive folder|Dropbox)",
      "(print|print out) {file}",
      "(compress|zip|unzip) {file}",
      "convert {file} to (Word|PDF|Excel|Google Docs)",
      "(duplicate|copy) {file} to my Desktop",
      "(translate|proofread|spellcheck) {file}",
      "(edit|fix the typos in|sign) {file}",
      "empty (my|the) (downloads folder|trash|recycle bin)",
      "^how much (disk|storage) space do I have( left|)",
      "back up my (documents|files|photos)",
      "(upload|share) {file} (to|on) (Google Drive|Dropbox|Slack)",
    ]),
    2,
  ],
  [
    new Table("ood-places-info", [
      "^what's the weather (like |)at {place}[ {oday}]",
      "^is it (raining|snowing|sunny|cold) (at|near|in) {place}",
      "^what time does {place} (close|open)",
      "^is {place} open (today|now|on {oday})",
      "^how busy is {place} right now",
      "(rate|review) {place}",
      "(book|reserve) a table at {place}",
      "^what are the reviews (of|for) {place}",
      "(book|buy) tickets (for|to) {place}",
      "^who designed {landmark}",
      "^when was {landmark} built",
      "^what's the entry fee (at|for) {landmark}",
      "(save|favorite) {place} in (my |)(favorites|Maps favorites)",
      "(order|book) an? (uber|lyft|taxi|cab) to {place}",
      "^what's the exchange rate in {city}",
    ]),
    2.5,
  ],
  [
    new Table("ood-weather", [
      "^what's the weather (like |)in {city}[ {oday}]",
      "^will it rain {oday}[ in {city}]",
      "^do I need an umbrella {oday}",
      "^how hot is it in {city} right now",
      "^weather forecast for {city}[ {oday}]",
      "^is it going to snow in {city} this weekend",
      "^what's the temperature outside",
      "check the weather in {city}",
      "^how windy will it be {oday}",
      "^should I bring a jacket to {city} {oday}",
      "tell me the forecast[ for {oday}]",
      "^is it sunny in {city}",
      "^what's the UV index {oday}",
    ]),
    3,
  ],
  [
    new Table("ood-music", [
      "play {artist}",
      "play some {genre}[ music]",
      "put on {song} by {artist}",
      "skip this song",
      "^next track",
      "pause the music",
      "turn the volume (up|down)",
      "shuffle my {playlist} playlist",
      "^what song is this",
      "add this song to my {playlist} playlist",
      "play my {playlist} playlist on Spotify",
      "queue up {artist}'s new album",
      "^who sings {song}",
      "play {genre} radio",
      "resume my podcast",
      "play the latest episode of {podcast}",
    ]),
    3,
  ],
  [
    new Table("ood-timer", [
      "set a timer for {odur}",
      "^{n} minute timer",
      "start a countdown (of|for) {odur}",
      "wake me up at {otime}",
      "set an alarm for {otime}[ {oday}]",
      "cancel my alarm",
      "^how much time is left on my timer",
      "start a stopwatch",
      "snooze the alarm",
      "set a pomodoro timer",
      "^alarm at {otime} (every weekday|tomorrow)",
      "stop the timer",
      "set an alarm called {alarmname} for {otime}",
    ]),
    2.5,
  ],
  [
    new Table("ood-trivia", [
      "^who wrote {book}",
      "^what's the capital of {country}",
      "^how tall is {landmark}",
      "^when was {famous} born",
      "^who won the {year} World Cup",
      "^what's the population of {city}",
      "^why is the sky blue",
      "^how far away is the moon",
      "^what does {word} mean",
      "define {word}",
      "^who painted the Mona Lisa",
      "^how many people live in {country}",
      "^what language do they speak in {country}",
      "^how old is {famous}",
      "^what is the tallest mountain in {continent}",
      "tell me a fun fact about {animal}s",
      "^how long does a {animal} live",
      "^who was the first person on the moon",
      "^what year did {famous} die",
      "^how many bones are in the human body",
    ]),
    3,
  ],
  [
    new Table("ood-math", [
      "^what's {a} times {b}",
      "^{a} + {b}",
      "calculate {pct}% of {n}",
      "^what's {n} divided by {b}",
      "^what's the square root of {n}",
      "convert {n} {unit} to {unit2}",
      "^how many {unit2} (is|are) in {n} {unit}",
      "^what's a {pct}% tip on {money}",
      "split {money} {b} ways",
      "^{a} squared",
      "^is {n} a prime number",
      "^what's {pct} percent of {money}",
      "solve {a}x + {b} = {n}",
      "^how much is {money} in {currency}",
      "^what's {a} minus {b}",
    ]),
    2.5,
  ],
  [
    new Table("ood-home", [
      "turn (off|on) the {room} lights",
      "set the thermostat to {temp}",
      "lock the front door",
      "dim the {room} lights to {pct}%",
      "^is the garage door closed",
      "start the (robot vacuum|roomba)",
      "turn on the {device}",
      "turn off the {device} in the {room}",
      "make it warmer in the {room}",
      "close the blinds",
      "set the {room} lights to {color}",
      "arm the security system",
      "^is the oven on",
    ]),
    2,
  ],
  [
    new Table("ood-search", [
      "google {query}",
      "search the web for {query}",
      "look up {query} online",
      "find reviews of {product}",
      "^what's the best {product} under {money}",
      "search for {query}",
      "bing {query}",
      "^what are people saying about {product}",
      "open a browser tab for {query}",
    ]),
    2,
  ],
  [
    new Table("ood-translate", [
      'translate "{phrase}" (into|to) {lang}',
      '^how do you say "{phrase}" in {lang}',
      '^what does "{foreign}" mean in English',
      "translate this (page|email) to {lang}",
      "^what's {word} in {lang}",
    ]),
    1.5,
  ],
  [
    new Table("ood-stocks", [
      "^how's {ticker} (stock |)doing (today|this week)",
      "^what's the price of {crypto}",
      "^what did the {index} close at",
      "^should I buy {ticker}",
      "show me {ticker}'s chart",
      "^how much is {crypto} worth right now",
      "^is the market up today",
      "check my portfolio",
    ]),
    1.5,
  ],
  [
    new Table("ood-call", [
      "call {who}",
      "FaceTime {who}",
      "ring {who}",
      "dial {num}",
      "video call {who}",
      "call {business}",
      "^can you call {who} for me",
      "phone {who}",
      "FaceTime audio {who}",
      "call {who} on speaker",
      "call back the last number",
      "^redial",
      "call {who} (at|on) {num}",
    ]),
    3,
  ],
  [
    new Table("ood-read", [
      "^what's on my calendar {oday}",
      "^do I have any meetings {oday}",
      "^when is my next meeting",
      "^am I free {oday}",
      "^what time is my {title}",
      "show me my schedule for {oday}",
      "^how busy am I {oday}",
      "read my latest email",
      "^any new emails from {who}",
      "^did {who} text me back",
      "^what are my reminders for today",
      "show unread messages",
      "check my inbox",
      "^when is {whose} birthday",
      "^what did {who} say in the last email",
      "delete my {title} event",
      "cancel my {title} meeting",
      "clear my calendar {oday}",
      "^how many unread emails do I have",
      "mark all emails as read",
      "read me my texts",
      "delete the reminder about {thing}",
      "move my {title} to {oday}",
    ]),
    4,
  ],
  [
    new Table("ood-system", [
      "open {app}",
      "launch {app}",
      "quit {app}",
      "close all windows",
      "turn on dark mode",
      "take a screenshot",
      "empty the trash",
      "turn up the brightness",
      "turn on do not disturb",
      "restart my mac",
      "^how much battery do I have",
      "connect to the {wifi} wifi",
      "turn bluetooth off",
      "lock my screen",
      "switch to {app}",
      "open system settings",
      "mute my mic",
      "^what's my ip address",
      "update {app}",
      "uninstall {app}",
      "find my (AirPods|iPhone|iPad|keys|watch)",
      "^where's my (phone|laptop|AirTag|bag)",
      "make my (iPhone|phone) ring",
    ]),
    3,
  ],
  [
    new Table("ood-chat", [
      "tell me a joke",
      "^how are you",
      "^what's the meaning of life",
      "sing me a song",
      "^thank you",
      "^who made you",
      "tell me a story about {animal}s",
      "^are you sentient",
      "^what can you do",
      "^good night",
      "^what's your favorite color",
      "say something funny",
      "write a poem about {subject}",
      "give me a motivational quote",
      "recommend a movie",
      "^I'm bored",
      "tell me (a joke|a story|a riddle|something interesting|something I don't know|a fun fact|about yourself)",
      "tell me (about|who is) {famous}",
      "tell me the (time|date|score|news)",
      "(give me|tell me) a (pep talk|compliment|pun|dad joke)",
    ]),
    2,
  ],
  [
    new Table("ood-errands", [
      "order a {food} from {restaurant}",
      "book a table at {restaurant} for {b}",
      "buy {product} on Amazon",
      "get me an uber to {place}",
      "^how long is the wait at {restaurant}",
      "order more {grocery}",
      "reorder my last {food} order",
      "^is {restaurant} open now",
      "add {grocery} to my Instacart cart",
      "find me a flight to {city} {oday}",
      "book a hotel in {city}",
      "track my package",
      "call a cab to {place}",
      "^how much is a ride to {place}",
    ]),
    2.5,
  ],
  [
    new Table("ood-news", [
      "^what's the latest news",
      "read me today's headlines",
      "^who won the {team} game (last night|yesterday)",
      "^what's the score of the {team} game",
      "^news about {subject}",
      "^when do the {team} play next",
      "^what's happening in {city} this week",
    ]),
    1.5,
  ],
  [
    new Table("ood-misc", [
      "^how many days until {holiday}",
      "^what time is it in {city}",
      "flip a coin",
      "roll a (die|dice)",
      "spell {word}",
      "^what's today's date",
      "^what day is it",
      "pick a random number between 1 and {n}",
      "^what time does the sun set (today|in {city})",
      "^is it a full moon tonight",
      "^how do I make {dish}",
      "give me a recipe for {dish}",
      "^how many calories are in {food}",
      "start a workout",
      "^how many steps did I walk today",
      "meditate with me",
    ]),
    2,
  ],
];

const ARTISTS = words(
  "Taylor Swift, Beyoncé, Bad Bunny, BTS, Fela Kuti, Ludovico Einaudi, Sigur Rós, Rosalía, Burna Boy, Arijit Singh, Stromae, Björk, Miles Davis, Nina Simone, Daft Punk, Radiohead, Kendrick Lamar, Adele, Ed Sheeran, Billie Eilish, Caetano Veloso, Fairuz, Ryuichi Sakamoto, Angélique Kidjo, Karol G, Coldplay, Tame Impala, SZA, Dua Lipa, Yo-Yo Ma",
);
const SONGS = words(
  "Bohemian Rhapsody, Clair de Lune, Despacito, Halo, Blinding Lights, Hey Jude, Dancing Queen, Redbone, Heroes, Africa, Wonderwall, Superstition, Vogue, La Vie en Rose, Take Five",
);
const GENRES = words(
  "jazz, lo-fi, classical, afrobeats, k-pop, reggaeton, techno, bossa nova, country, indie rock, hip hop, ambient, metal, salsa, blues",
);
const PLAYLISTS = words(
  "Focus, Chill, Workout, Road Trip, Sunday Morning, Dinner Party, Sleep, Discover Weekly, Throwbacks, Cooking",
);
const PODCASTS = words(
  "The Daily, Radiolab, Hardcore History, Song Exploder, 99% Invisible, Planet Money, Reply All, Serial",
);
const COUNTRIES = words(
  "France, Kenya, Peru, Vietnam, Norway, Mongolia, Ghana, Portugal, Chile, Nepal, Canada, Egypt, Iceland, Japan, Brazil, Türkiye, Morocco, New Zealand, Colombia, Finland",
);
const FAMOUS = words(
  "Frida Kahlo, Albert Einstein, Marie Curie, Nelson Mandela, Ada Lovelace, Wangari Maathai, Toni Morrison, Akira Kurosawa, Gabriel García Márquez, Serena Williams, Lionel Messi, Rumi, Confucius",
);
const DICT_WORDS = words(
  "serendipity, ephemeral, sonder, petrichor, ubiquitous, hygge, schadenfreude, quixotic, saudade, liminal, wabi-sabi, ennui",
);
const ANIMALS = words(
  "octopus, axolotl, elephant, tardigrade, crow, capybara, red panda, orca, honeybee, tortoise",
);
const UNITS: [string, string][] = [
  ["miles", "kilometers"],
  ["pounds", "kilograms"],
  ["cups", "milliliters"],
  ["feet", "meters"],
  ["ounces", "grams"],
  ["gallons", "liters"],
  ["inches", "centimeters"],
];
const ROOMS = words("kitchen, living room, bedroom, office, bathroom, hallway, porch, garage, nursery");
const DEVICES = words(
  "fan, TV, coffee maker, heater, air purifier, dishwasher, sprinklers, porch light, humidifier",
);
const APPS = words(
  "Spotify, Slack, Xcode, Figma, Safari, Chrome, Zoom, Notion, Terminal, VS Code, Photoshop, Discord, Finder, Mail, Calendar, Messages, Notes, WhatsApp, Telegram, Obsidian",
);
const LANGS = words(
  "Spanish, French, Japanese, German, Korean, Portuguese, Hindi, Arabic, Italian, Swahili, Mandarin, Turkish, Vietnamese",
);
const PHRASES = words(
  "where is the train station, thank you very much, I'm allergic to peanuts, how much does this cost, nice to meet you, the bill please, I love you, good luck",
);
const FOREIGN = words(
  "merci beaucoup, obrigado, gracias, danke schön, arigatou, shukran, asante sana, grazie mille, kamsahamnida, cheers mate",
);
const TICKERS = words("AAPL, TSLA, NVDA, MSFT, GOOG, AMZN, SHOP, TSM, ASML, SONY");
const CRYPTO = words("bitcoin, ethereum, solana, dogecoin");
const INDICES = words("S&P 500, Dow, Nasdaq, FTSE, Nikkei, DAX");
const TEAMS = words(
  "Warriors, Lakers, Yankees, Arsenal, Real Madrid, Chiefs, Celtics, Barcelona, Dodgers, 49ers, Liverpool, Bayern",
);
const HOLIDAYS = words(
  "Christmas, Diwali, Eid, Thanksgiving, Lunar New Year, Halloween, my birthday, Hanukkah, Easter, New Year's Eve",
);
const DISHES = words(
  "pad thai, shakshuka, jollof rice, risotto, pho, banana bread, chicken tikka masala, pierogi, ramen, tamales, paella",
);
const FOODS = words("pizza, burrito, sushi, pad thai, burger, poke bowl, falafel wrap, ramen, curry, salad");
const PRODUCTS = words(
  "noise-cancelling headphones, a standing desk, running shoes, a robot vacuum, an air fryer, a mechanical keyboard, a 4K monitor, a rice cooker, a hiking backpack",
);
const QUERIES = words(
  "how to fix a leaky faucet, best hikes near me, symptoms of flu, cheap flights to Lisbon, how to tie a bow tie, vegan lasagna recipe, JavaScript promise tutorial, when does daylight saving end, history of the Ottoman Empire, is coffee bad for you",
);
const SUBJECTS = words(
  "the ocean, autumn, my cat, coffee, friendship, the city at night, rain, mountains, Mondays",
);
const COLORS = words("blue, warm white, red, purple, green, orange");
const WIFI = words("Home, Guest, Office, CoffeeShop, Airport, Pixel-5G");
const CURRENCIES = words("euros, yen, pounds, pesos, rupees, dollars, Swiss francs");
const CONTINENTS = words("Africa, Europe, South America, Asia, North America, Oceania");

const MY_DEVICES = words(
  "phone, iPhone, AirPods, iPad, MacBook, laptop, Apple Watch, watch, keys, wallet, AirTag, car, backpack, headphones",
);

const oodDays = words(
  "today, tomorrow, this weekend, on Friday, tonight, next week, on Saturday, this afternoon, Monday, in the morning",
);
const oodDurations = words(
  "5 minutes, 10 min, 25 minutes, an hour, 90 seconds, 20 minutes, 3 minutes, half an hour, 45 min, 12 minutes",
);

/** Values for every out-of-domain slot; each template takes the few it needs. */
function oodSlots(rng: Rng): Slots {
  const person = pickPerson(rng);
  const [unit, unit2] = rng.pick(UNITS);
  return {
    city: lit(rng.pick(CITIES)),
    oday: soft(rng.pick(oodDays)),
    odur: soft(rng.pick(oodDurations)),
    otime: soft(clockTime(rng, 0).terse),
    n: lit(String(rng.int(2, 999))),
    a: lit(String(rng.int(2, 99))),
    b: lit(String(rng.int(2, 12))),
    pct: lit(String(rng.pick([5, 10, 12, 15, 18, 20, 25, 30, 40, 75]))),
    money: lit(pickMoney(rng)),
    unit: lit(unit),
    unit2: lit(unit2),
    currency: lit(rng.pick(CURRENCIES)),
    temp: soft(`${rng.int(16, 76)} degrees`),
    artist: lit(rng.pick(ARTISTS)),
    song: lit(rng.pick(SONGS)),
    genre: lit(rng.pick(GENRES)),
    playlist: lit(rng.pick(PLAYLISTS)),
    podcast: lit(rng.pick(PODCASTS)),
    alarmname: lit(rng.pick(["Gym", "Meds", "Wake up", "School run", "Standup"])),
    book: lit(rng.pick(BOOKS)),
    country: lit(rng.pick(COUNTRIES)),
    landmark: lit(rng.pick(LANDMARKS)),
    famous: lit(rng.pick(FAMOUS)),
    year: lit(String(rng.int(1966, 2022))),
    word: lit(rng.pick(DICT_WORDS)),
    animal: lit(rng.pick(ANIMALS)),
    continent: lit(rng.pick(CONTINENTS)),
    room: lit(rng.pick(ROOMS)),
    device: lit(rng.pick(DEVICES)),
    color: lit(rng.pick(COLORS)),
    query: lit(rng.pick(QUERIES)),
    product: lit(rng.pick(PRODUCTS)),
    lang: lit(rng.pick(LANGS)),
    phrase: lit(rng.pick(PHRASES)),
    foreign: lit(rng.pick(FOREIGN)),
    ticker: lit(rng.pick(TICKERS)),
    crypto: lit(rng.pick(CRYPTO)),
    index: lit(rng.pick(INDICES)),
    who: lit(person.surface),
    whose: lit(person.possessive),
    num: lit(pickPhoneNumber(rng)),
    business: lit(pickPlace(rng).surface),
    restaurant: lit(
      `${rng.pick(BUSINESS_ADJ)} ${rng.pick(BUSINESS_NOUN)} ${rng.pick(["Bistro", "Ramen", "Taqueria", "Pizzeria", "Diner", "Sushi"])}`,
    ),
    food: lit(rng.pick(FOODS)),
    grocery: lit(rng.pick(GROCERIES)),
    place: lit(pickPlace(rng).surface),
    title: lit(pickEventTitle(rng).text),
    thing: lit(pickTask(rng)),
    app: lit(rng.pick(APPS)),
    wifi: lit(rng.pick(WIFI)),
    team: lit(rng.pick(TEAMS)),
    holiday: lit(rng.pick(HOLIDAYS)),
    dish: lit(rng.pick(DISHES)),
    subject: lit(rng.pick(SUBJECTS)),
    who2: lit(pickPerson(rng).surface),
    dev: lit(rng.pick(MY_DEVICES)),
    note: lit(pickNoteTitle(rng)),
    note2: lit(pickNoteTitle(rng)),
    nfolder: lit(rng.pick(NOTE_FOLDERS)),
    file: lit(pickFile(rng, false).surface),
    file2: lit(pickFile(rng, false).value),
    movie: lit(rng.pick(MOVIES)),
    title2: lit(pickEventTitle(rng).text),
  };
}

function outOfDomain(c: Ctx): Clause[] {
  return [c.say(c.rng.weighted(OOD_TABLES), oodSlots(c.rng))];
}

// ---------------------------------------------------------------------------------------------------------
// Examples, validation, splits
// ---------------------------------------------------------------------------------------------------------

/** One line of the data files. */
export interface Example {
  query: string;
  tools: ToolName[];
  plan: string;
}

export type ScenarioKind = "single" | "chain" | "combo" | "ood";

export interface GeneratedExample extends Example {
  kind: ScenarioKind;
  /** Template ids used, in order ("sms#3", "reminder#0"). */
  templates: string[];
  /** Template ids and slot values: examples with the same key are near-duplicates and share a split. */
  key: string;
}

const LEAD_INS = [
  "ok so ",
  "few things: ",
  "Few things. ",
  "busy day, ",
  "Quick favor — ",
  "Before I forget: ",
  "hey, ",
  "I'm swamped today. ",
  "a couple of things: ",
  "Morning! ",
  "Can you help me out? ",
  "right, ",
];

/** Out-of-domain requests are scheduled apart: two in every run of this many requests (13.3 %). */
const OOD_RUN = 15;

/** Shares of the in-domain scenarios; out-of-domain requests are scheduled apart (two in fifteen). */
const IN_DOMAIN_KINDS: [ScenarioKind, number][] = [
  ["single", 36],
  ["chain", 22],
  ["combo", 42],
];

function makeExample(rng: Rng, kind: ScenarioKind): GeneratedExample {
  const c = new Ctx(rng);
  const clauses =
    kind === "single"
      ? [rng.weighted(ACTIONS)(c)]
      : kind === "chain"
        ? rng.weighted(CHAINS)(c)
        : kind === "combo"
          ? combination(c)
          : outOfDomain(c);
  const segs = applyStyle(joinClauses(clauses, rng), clauses[0]!.sentence, rng);
  // Long requests often open with a word about the day or the list to come.
  if (kind === "combo" && rng.chance(0.2)) segs.unshift({ text: rng.pick(LEAD_INS), kind: "tpl" });
  const example: GeneratedExample = {
    query: render(segs),
    tools: c.plan.tools(),
    plan: c.plan.text(),
    kind,
    templates: c.templateIds,
    key: c.identity.join("\u0001"),
  };
  assertValid(example);
  return example;
}

/** Fails loudly when a plan does not validate or its tools differ from the tools it calls. */
export function assertValid(example: Example): void {
  const fail = (why: string) => {
    throw new Error(`generated an invalid example (${why}):\n${JSON.stringify(example, null, 2)}`);
  };
  if (example.query.trim() === "") fail("empty query");
  if (example.plan === "") {
    if (example.tools.length !== 0) fail("tools without a plan");
    return;
  }
  const checked = checkPlan(example.plan, defaultRegistry);
  const errors = checked.problems.filter((p) => p.severity === "error");
  if (errors.length > 0) fail(errors.map((p) => p.message).join("; "));
  const called = new Set(checked.plan.steps.map((step) => step.tool));
  const expected = TOOL_NAMES.filter((name) => called.has(name));
  if (expected.join() !== example.tools.join())
    fail(`tools ${example.tools.join()} but the plan calls ${expected.join()}`);
}

/** How two requests are compared for duplicates: case, punctuation and spacing do not count. */
export function normalizeQuery(query: string): string {
  return query
    .toLowerCase()
    .replace(/[^\p{L}\p{N}@$€£¥₹%#]+/gu, " ")
    .trim();
}

export interface StreamOptions {
  /** Share of invented values in the open slot pools (see `Rng`); 0, the default, is Tool RAG's data. */
  openVocabulary?: number;
}

/** Unique requests from one seed, forever; a repeated request is dropped and the next one made instead. */
export function* exampleStream(seed: number, options: StreamOptions = {}): Generator<GeneratedExample> {
  const rng = new Rng(seed, options.openVocabulary ?? 0);
  const seen = new Set<string>();
  let first = 0;
  let second = 0;
  for (let i = 0; ; i++) {
    // Exactly two requests in each run of fifteen are out of domain, at random places in the run, so the
    // share is 13.3 % in any long prefix; a repeat is replaced by another request of the same kind.
    if (i % OOD_RUN === 0) {
      first = rng.int(0, OOD_RUN - 1);
      second = rng.int(0, OOD_RUN - 2);
      if (second >= first) second++;
    }
    const at = i % OOD_RUN;
    const kind = at === first || at === second ? "ood" : rng.weighted(IN_DOMAIN_KINDS);
    for (let attempt = 0; attempt < 100; attempt++) {
      const example = makeExample(rng, kind);
      const normalized = normalizeQuery(example.query);
      if (seen.has(normalized)) continue;
      seen.add(normalized);
      yield example;
      break;
    }
  }
}

/** The first `count` examples of the stream for `seed`. */
export function generateExamples(
  options: { seed: number; count: number } & StreamOptions,
): GeneratedExample[] {
  const out: GeneratedExample[] = [];
  for (const example of exampleStream(options.seed, options)) {
    if (out.length >= options.count) break;
    out.push(example);
  }
  return out;
}

export type SplitName = "train" | "validation" | "test";
export const SPLITS: readonly SplitName[] = ["train", "validation", "test"];

/**
 * The split of an example, from a hash of its template ids and slot values: the same phrasing with the
 * same values, however styled, always lands in the same split. One in twelve goes to validation, one in
 * twelve to test (30,000 / 3,000 / 3,000).
 */
export function splitOf(example: GeneratedExample): SplitName {
  const bucket = fnv1a(example.key) % 12;
  return bucket === 0 ? "validation" : bucket === 1 ? "test" : "train";
}

export const DEFAULT_SIZES: Record<SplitName, number> = { train: 30_000, validation: 3_000, test: 3_000 };

/** Fills the three splits from one stream; the stream never repeats a request, so no request is in two. */
export function buildSplits(options: {
  seed: number;
  sizes?: Record<SplitName, number>;
}): Record<SplitName, GeneratedExample[]> {
  const sizes = options.sizes ?? DEFAULT_SIZES;
  const splits: Record<SplitName, GeneratedExample[]> = { train: [], validation: [], test: [] };
  const full = () => SPLITS.every((name) => splits[name].length >= sizes[name]);
  for (const example of exampleStream(options.seed)) {
    if (full()) break;
    const split = splits[splitOf(example)];
    if (split.length < sizes[splitOf(example)]) split.push(example);
  }
  return splits;
}

// ---------------------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------------------

function toLine(example: Example): string {
  return JSON.stringify({ query: example.query, tools: example.tools, plan: example.plan });
}

function report(splits: Record<SplitName, GeneratedExample[]>, outDir: string, ms: number): void {
  const all = SPLITS.flatMap((name) => splits[name]);
  const perTool = new Map<string, number>(TOOL_NAMES.map((name) => [name, 0]));
  for (const example of all) for (const tool of example.tools) perTool.set(tool, perTool.get(tool)! + 1);
  const inDomain = all.filter((e) => e.tools.length > 0);
  const kinds = new Map<string, number>();
  for (const example of all) kinds.set(example.kind, (kinds.get(example.kind) ?? 0) + 1);
  const avg = (xs: GeneratedExample[]) =>
    xs.reduce((sum, e) => sum + e.tools.length, 0) / Math.max(1, xs.length);

  for (const name of SPLITS) {
    const file = join(outDir, `${name}.jsonl`);
    const ood = splits[name].filter((e) => e.tools.length === 0).length;
    console.log(
      `${name.padEnd(10)} ${String(splits[name].length).padStart(6)} examples  ${(statSync(file).size / 1e6).toFixed(2)} MB  out-of-domain ${((100 * ood) / splits[name].length).toFixed(1)} %  ${file}`,
    );
  }
  console.log(`\nexamples per tool (all splits):`);
  for (const [tool, count] of perTool) console.log(`  ${tool.padEnd(24)} ${String(count).padStart(6)}`);
  console.log(`\nscenarios: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")}`);
  console.log(`tools per request: ${avg(all).toFixed(2)} (in-domain only: ${avg(inDomain).toFixed(2)})`);
  console.log(`distinct tool sets: ${new Set(all.map((e) => e.tools.join())).size}`);
  console.log(`generated and validated in ${(ms / 1000).toFixed(1)} s`);
}

const USAGE =
  "usage: npx tsx training/toolrag/generate.ts [--out DIR] [--seed N] [--sizes TRAIN,VALIDATION,TEST]";

function main(): void {
  const { values } = parseArgs({
    options: {
      out: { type: "string", default: "data/toolrag" },
      seed: { type: "string", default: "1" },
      sizes: { type: "string", default: SPLITS.map((name) => DEFAULT_SIZES[name]).join(",") },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number\n${USAGE}`);
  const counts = values.sizes!.split(",").map(Number);
  if (counts.length !== 3 || !counts.every((n) => Number.isSafeInteger(n) && n > 0)) {
    throw new Error(`--sizes takes three whole numbers, e.g. 30000,3000,3000\n${USAGE}`);
  }
  const sizes = { train: counts[0]!, validation: counts[1]!, test: counts[2]! };
  const outDir = resolve(values.out!);
  const started = performance.now();
  const splits = buildSplits({ seed, sizes });
  const ms = performance.now() - started;
  mkdirSync(outDir, { recursive: true });
  for (const name of SPLITS) {
    writeFileSync(join(outDir, `${name}.jsonl`), splits[name].map(toLine).join("\n") + "\n");
  }
  report(splits, outDir, ms);
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
