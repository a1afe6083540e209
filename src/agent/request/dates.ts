// chrono-node's English locale alone: the package's main entry also builds fifteen other languages'
// parsers, ~180 ms of a cold start that reads English only.
import * as chrono from "chrono-node/en";
import type { ParsedComponents } from "chrono-node";
import { wallClock } from "../plan/normalize";
import { itemsByClause } from "./clauses";

/**
 * The values a date argument of a plan may take, for TinyAgent-micro: its grammar holds each date argument
 * to this short list. A planner of a few million parameters copies an item of a list reliably but writes
 * dates badly, so the arithmetic (weekdays, "the 14th", "at 3" meaning 15:00, ends an hour later) is done
 * here, once, by rule.
 *
 * The rules are the project's date conventions (data/planner/README.md "Dates", and the synthetic
 * generator in training/toolrag/generate.ts that wrote the training plans): a weekday is the next one
 * after today, "next Friday" is the Friday of next week, "at 3" without am/pm is 15:00 (1–7 afternoon,
 * 8–11 morning, 12 noon), morning 09:00, noon 12:00, afternoon 15:00, end of day 17:00, evening 19:00,
 * tonight 20:00. chrono-node finds the phrases; the request is first rewritten into words chrono knows
 * ("tmrw" → "tomorrow", "quarter to 7" → "6:45"), and its results are then corrected to these rules.
 *
 * For each date phrase, in order of appearance: with a time, its start, its end (a range), the start plus
 * 60 minutes (the default meeting length) and plus a length the request gives, then the day alone (an
 * all-day reminder); without a time, the day alone, 09:00 and 10:00 (an event with a day and no time),
 * 00:00:00 and 23:59:59 (an all-day event). Last come now and now plus 60 minutes: an event or Zoom call
 * with no day starts now.
 */

/** A wall-clock moment as milliseconds of a UTC date whose UTC fields hold it: no zone, no DST gaps. */
type Naive = number;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const DEFAULT_LENGTH = 60;

/** Requests are a sentence or two; a longer text is cut so that parsing stays cheap. */
const MAX_REQUEST = 1000;

/** A date phrase of the request, resolved. `start` is a day at 00:00 when `timed` is false. */
interface Phrase {
  index: number;
  end: number;
  start: Naive;
  timed: boolean;
  /** How sure the day is: 0 none given (today), 1 relative or a weekday, 2 a calendar date. */
  dayRank: 0 | 1 | 2;
  until?: Naive;
  untilTimed?: boolean;
  /** "the 3rd" said on the 3rd: today by the README, next month by the synthetic generator. */
  todayOrNextMonth?: boolean;
  /** "in 2 hours": counted from now, never moved to another day. */
  clockRelative?: boolean;
}

function nextMonth(phrase: Phrase): Phrase | undefined {
  const date = new Date(phrase.start);
  const later =
    Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()) +
    (phrase.start - startOfDay(phrase.start));
  if (new Date(later).getUTCDate() !== date.getUTCDate()) return undefined;
  const shift = later - phrase.start;
  return { ...phrase, start: later, ...(phrase.until === undefined ? {} : { until: phrase.until + shift }) };
}

export function dateChoices(request: string, now: Date, timeZone: string): string[] {
  return choicesOf(readDates(request, now, timeZone));
}

/** Both the dates line and the dates by role, from one reading of the request (for the plan grammar). */
export function requestDates(
  request: string,
  now: Date,
  timeZone: string,
): { choices: string[]; arguments: DateArguments } {
  const read = readDates(request, now, timeZone);
  return { choices: choicesOf(read), arguments: argumentsOf(request, read) };
}

function choicesOf({ phrases, length, lead, today }: DatesRead): string[] {
  const choices: string[] = [];
  for (const phrase of withNextMonth(phrases)) choices.push(...phraseChoices(phrase, length, lead));
  const nowMinute = Math.floor(today / MINUTE) * MINUTE;
  choices.push(formatMoment(nowMinute), formatMoment(nowMinute + DEFAULT_LENGTH * MINUTE));
  if (length !== undefined) choices.push(formatMoment(nowMinute + length * MINUTE));
  return [...new Set(choices)];
}

/**
 * The dates each kind of date argument may take, by its role (formats.ts DateRole): the dates line of the
 * prompt offers every choice, this holds each argument to the ones that fit it.
 *
 * - `spans`: what a start and its end may be, as pairs. A phrase with a time starts then and ends at the
 *   end it gives, else after the length the request gives, else after 60 minutes. A day with no time
 *   starts at 09:00 (and lasts as long), unless it is all day ("all day", "all-day") or several days
 *   ("march 3 to 7"): then from 00:00:00 of the first day to 23:59:59 of the last.
 * - `due`: a phrase with a time is due then, or at the lead before it when the request gives one ("an
 *   hour before"); a day alone is an all-day reminder, its bare date. A reminder in a request that names
 *   a date has one of these; with no date named, it has none ("").
 *
 * Only when the request names no day or time do now and an hour later come in: an event or call with
 * no date starts now; a reminder with no date has none (the grammar keeps "" for it).
 */
export interface DateArguments {
  spans: { start: string; end: string }[];
  due: string[];
}

export function dateArguments(request: string, now: Date, timeZone: string): DateArguments {
  return argumentsOf(request, readDates(request, now, timeZone));
}

function argumentsOf(request: string, { text, phrases, length, lead, today }: DatesRead): DateArguments {
  const spans: DateArguments["spans"] = [];
  const due: string[] = [];
  const allDay = ALL_DAY.test(request);
  // Each step takes the dates of its own clause: "the meeting thursday 6pm …, remind me monday".
  const byClause = itemsByClause(text, withNextMonth(phrases));
  for (const phrase of byClause.event) spans.push(phraseSpan(phrase, length, allDay));
  for (const phrase of byClause.reminder) {
    // "remind me 30 min before my 2pm": the reminder is due at the lead, not at the time it leads to.
    if (phrase.timed) due.push(formatMoment(lead ? leadMoment(phrase.start, lead) : phrase.start));
    else
      due.push(formatDay(lead ? phrase.start - Math.max(lead.minutes, DAY / MINUTE) * MINUTE : phrase.start));
  }
  if (spans.length === 0) {
    const nowMinute = Math.floor(today / MINUTE) * MINUTE;
    spans.push({
      start: formatMoment(nowMinute),
      end: formatMoment(nowMinute + (length ?? DEFAULT_LENGTH) * MINUTE),
    });
  }
  return { spans: uniqueSpans(spans), due: [...new Set(due)] };
}

const ALL_DAY = /\ball[ -]day\b|\bwhole day\b|\bentire day\b/i;

function phraseSpan(
  phrase: Phrase,
  length: number | undefined,
  allDay: boolean,
): { start: string; end: string } {
  if (phrase.timed) {
    const end = phrase.until ?? phrase.start + (length ?? DEFAULT_LENGTH) * MINUTE;
    return { start: formatMoment(phrase.start), end: formatMoment(end) };
  }
  if (allDay || phrase.until !== undefined) {
    const last = phrase.until ?? phrase.start;
    return { start: formatMoment(phrase.start), end: formatMoment(startOfDay(last) + DAY - 1000) };
  }
  const start = phrase.start + 9 * HOUR;
  return { start: formatMoment(start), end: formatMoment(start + (length ?? DEFAULT_LENGTH) * MINUTE) };
}

function uniqueSpans(spans: readonly { start: string; end: string }[]): { start: string; end: string }[] {
  const seen = new Set<string>();
  return spans.filter(({ start, end }) => {
    const key = `${start}|${end}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The request's date phrases, with the length and the reminder lead it gives, and "now" as a naive moment. */
interface DatesRead {
  /** The request as read: lower case, rewritten, lead and length taken out; phrases index into it. */
  text: string;
  phrases: Phrase[];
  length: number | undefined;
  lead: Lead | undefined;
  today: Naive;
}

function readDates(request: string, now: Date, timeZone: string): DatesRead {
  const reference = wallClock(now, timeZone);
  const today = naiveOf(reference);
  const rewritten = rewrite(request.slice(0, MAX_REQUEST));
  const lead = reminderLead(rewritten);
  // The lead ("a day before") is no date of its own: chrono would read "the day before" as yesterday.
  const withoutLead = lead ? rewritten.replace(LEAD, " ") : rewritten;
  const length = explicitLength(withoutLead);
  // Likewise a length: chrono reads "Thursday for 30 mins" as 30 minutes from now.
  const text = length ? withoutLead.replace(LENGTH, " ") : withoutLead;
  const phrases = withContextDay(
    withCorrections(text, mergeAdjacent(text, parsePhrases(text, reference, today))),
  );
  return { text, phrases, length, lead, today };
}

/** Each phrase, and for "the 3rd" said on the 3rd also the same day next month. */
function withNextMonth(phrases: readonly Phrase[]): Phrase[] {
  return phrases.flatMap((phrase) => {
    const later = phrase.todayOrNextMonth ? nextMonth(phrase) : undefined;
    return later ? [phrase, later] : [phrase];
  });
}

function phraseChoices(phrase: Phrase, length: number | undefined, lead: Lead | undefined): string[] {
  if (!phrase.timed) return dayChoices(phrase, length);
  const out = [formatMoment(phrase.start)];
  if (phrase.until !== undefined) out.push(formatMoment(phrase.until));
  out.push(formatMoment(phrase.start + DEFAULT_LENGTH * MINUTE));
  if (length !== undefined) out.push(formatMoment(phrase.start + length * MINUTE));
  // "remind me a day before": the reminder is due that long before the event.
  if (lead) out.push(formatMoment(leadMoment(phrase.start, lead)));
  out.push(formatDay(phrase.start));
  return out;
}

function dayChoices(phrase: Phrase, length: number | undefined): string[] {
  const day = phrase.start;
  const out = [formatDay(day), formatMoment(day + 9 * HOUR), formatMoment(day + 10 * HOUR)];
  if (length !== undefined) out.push(formatMoment(day + 9 * HOUR + length * MINUTE));
  out.push(formatMoment(day));
  // A multi-day event runs to the end of its last day.
  const last = phrase.until ?? day;
  out.push(formatMoment(startOfDay(last) + DAY - 1000));
  if (phrase.until !== undefined) out.push(formatDay(phrase.until));
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Rewriting: spellings chrono does not read, or reads by other conventions, into ones it reads our way.
// ---------------------------------------------------------------------------------------------------------

const NUMBER_WORDS = [
  "zero",
  "one",
  "two",
  "three",
  "four",
  "five",
  "six",
  "seven",
  "eight",
  "nine",
  "ten",
  "eleven",
  "twelve",
  "thirteen",
  "fourteen",
  "fifteen",
  "sixteen",
  "seventeen",
  "eighteen",
  "nineteen",
  "twenty",
  "twenty one",
  "twenty two",
  "twenty three",
  "twenty four",
  "twenty five",
  "twenty six",
  "twenty seven",
  "twenty eight",
  "twenty nine",
  "thirty",
  "thirty one",
];
/** Longest first, so that "twenty one" is read before "twenty". */
const wordsUpTo = (n: number) =>
  NUMBER_WORDS.slice(1, n + 1)
    .sort((a, b) => b.length - a.length)
    .join("|");
const TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const HOUR_WORD = wordsUpTo(12);
const CLOCK_HOUR_WORD = wordsUpTo(23);
const DAY_NUMBER_WORD = wordsUpTo(31);
const MINUTE_WORDS: Record<string, string> = {
  "oh five": "05",
  ten: "10",
  fifteen: "15",
  twenty: "20",
  "twenty five": "25",
  thirty: "30",
  "thirty five": "35",
  forty: "40",
  "forty five": "45",
  fifty: "50",
  "fifty five": "55",
};
const MINUTE_WORD = Object.keys(MINUTE_WORDS)
  .sort((a, b) => b.length - a.length)
  .join("|");
const MONTH =
  "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";
const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
/** Words after which a bare number is a clock time: "tomorrow 4", "July 7th 4", "next Monday 8". */
const DAY_BEFORE_TIME = `today|tomorrow|${WEEKDAY}|week|weekend|(?:${MONTH}) \\d{1,2}(?:st|nd|rd|th)?|\\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:${MONTH})|from today|the \\d{1,2}(?:st|nd|rd|th)(?: of (?:${MONTH}))?|\\d{4}-\\d\\d-\\d\\d|days? from now|days`;
/** What a bare number must not be followed by to be a clock time. */
const NOT_A_TIME =
  "(?![\\d/]|:\\d| ?(?:am|pm|a\\.m|p\\.m|st|nd|rd|th|days?|weeks?|months?|hours?|hrs?|min|-|(?:to|until|till) \\d|people|%))";
/** Not the day of a date ("September 5 in the morning", "2024-07-22 in the evening"). */
const NOT_A_DATE = `(?<!(?:${MONTH}) |[-/]\\d?)`;
const UNIT = "minutes?|mins?|hours?|hrs?|days?|weeks?";
const PART_TIMES: Record<string, string> = { morning: "9am", afternoon: "3pm", evening: "7pm" };

type Rewrite = [RegExp, string | ((...groups: string[]) => string)];

const REWRITES: Rewrite[] = [
  // Short forms typed into a launcher.
  [/\b(?:tmrw|tmr|tmw|tmrow|tomorow|tommorow|tommorrow|tomorrw|2morrow)\b/g, "tomorrow"],
  [/\btonite\b/g, "tonight"],
  // Fillers between "at" and the time: "friday at like noon", "at about 3".
  [/\b(at|around|by) (?:like|um|uh|about|roughly) /g, "$1 "],
  // "1:1" is a meeting, not 1:01; "night" of "date night" chrono joins to the next date phrase.
  [/\b1:1s?\b/g, "one on one"],
  [/(?<!\bthe |\blast )\bnight\b(?! before)/g, "nite"],
  [/\bmon\b/g, "monday"],
  [/\btues?\b/g, "tuesday"],
  [/\bweds?\b/g, "wednesday"],
  [/\bthu(?:rs?)?\b/g, "thursday"],
  [/\bfri\b/g, "friday"],
  [/\bsat\b/g, "saturday"],
  [/\bsun\b/g, "sunday"],
  // "thursday night", "tomorrow night": that day at 20:00, as "tonight" is today's.
  [new RegExp(`\\b(${WEEKDAY}|tomorrow) (?:nite|night)\\b`, "g"), "$1 at 8pm"],
  [/\b(?:the )?day after tomorrow\b/g, "the day after tomorrow"],
  [/\b(?:eod|cob|end of (?:the )?day|close of business)\b/g, "5pm"],
  [/\bfirst thing\b/g, "8am"],
  // "Lunch" alone is often the event ("lunch with Kwame"); after a preposition it is the time.
  [/\b(?:at|around|by|over|during|for) (?:lunch ?time|lunch)\b/g, "at noon"],
  [/\b(?:midday|mid-day)\b/g, "noon"],
  [/\b(\d{1,2}(?::\d\d)?) ?([ap])\b(?!\.m)/g, (_, time, half) => `${time}${half}m`],
  // Numbers in words: days of a month, then clock times ("eleven thirty", "nineteen thirty").
  [/([a-z])-([a-z])/g, "$1 $2"],
  [
    new RegExp(`\\b(${MONTH}) (${DAY_NUMBER_WORD})\\b`, "g"),
    (_, month, day) => `${month} ${numberValue(day)}`,
  ],
  [
    new RegExp(`\\b(?:the )?(${DAY_NUMBER_WORD}) (?:of )?(${MONTH})\\b`, "g"),
    (_, day, month) => `${numberValue(day)} ${month}`,
  ],
  [new RegExp(`\\bquarter to (\\d{1,2}|${HOUR_WORD})\\b`, "g"), (_, h) => clock(numberValue(h) - 1, "45")],
  [new RegExp(`\\bquarter past (\\d{1,2}|${HOUR_WORD})\\b`, "g"), (_, h) => clock(numberValue(h), "15")],
  [new RegExp(`\\bhalf past (\\d{1,2}|${HOUR_WORD})\\b`, "g"), (_, h) => clock(numberValue(h), "30")],
  [
    new RegExp(`\\b(${CLOCK_HOUR_WORD}) (${MINUTE_WORD})\\b`, "g"),
    (_, h, m) => clock(numberValue(h), MINUTE_WORDS[m] ?? "00"),
  ],
  [
    new RegExp(
      `\\b(at|around|by|from|${DAY_BEFORE_TIME}) (${HOUR_WORD})\\b(?! (?:days?|weeks?|hours?|minutes?|mins?))`,
      "g",
    ),
    (_, before, h) => `${before} ${numberValue(h)}`,
  ],
  [
    new RegExp(`\\b(${HOUR_WORD}) (to|until|till) (\\d)`, "g"),
    (_, h, to, d) => `${numberValue(h)} ${to} ${d}`,
  ],
  [
    new RegExp(`\\b((?:${TENS.join("|")})(?: (?:${wordsUpTo(9)}))?|${wordsUpTo(19)}) (${UNIT})\\b`, "g"),
    (_, n, unit) => `${quantityValue(n)} ${unit}`,
  ],
  [/\b(?:a|one) week from (?:today|now)\b|\bin (?:a|one) week\b/g, "in 7 days"],
  // Any clock time after "around", "by", "@" is a time as after "at", which chrono reads better.
  [/(?:\b(?:around|arround|about|by)|@) ?(\d{1,2}(?::\d\d)?(?: ?[ap]\.?m\.?)?)(?![\d/]|:\d)/g, "at $1"],
  // A range right after a date: "December 22nd 12-2pm", which chrono would read as the year 2012.
  [
    new RegExp(`\\b(${DAY_BEFORE_TIME}),? (\\d{1,2}(?::\\d\\d)? ?(?:[ap]m)? ?(?:-|–|to) ?(?:\\d|noon))`, "g"),
    (_, day, range) => `${day} from ${range}`,
  ],
  // So is a bare number a correction names: "no wait, change it to 10", "make that 4".
  [
    new RegExp(
      `\\b(make (?:it|that)|change (?:it|that) to|move (?:it|that) to) (\\d{1,2}(?::\\d\\d)?)${NOT_A_TIME}`,
      "g",
    ),
    (_, correction, time) => `${correction} at ${time}`,
  ],
  // A bare number after a day is a clock time; chrono reads it only after "at".
  [
    new RegExp(`\\b(${DAY_BEFORE_TIME}),? (\\d{1,2}(?::\\d\\d)?)${NOT_A_TIME}`, "g"),
    (_, day, time) => `${day} at ${time}`,
  ],
  // A time next to a part of the day takes its half: "8 tonight", "tonight at 8", "7 in the morning".
  [
    new RegExp(
      `${NOT_A_DATE}\\b(\\d{1,2}(?::\\d\\d)?) ?(?:o'?clock )?(tonight|this evening|in the evening|this afternoon|in the afternoon)\\b`,
      "g",
    ),
    (_, time, part) => `${time}pm${part.startsWith("to") || part.startsWith("this") ? " today" : ""}`,
  ],
  [
    /\b(tonight|this evening|this afternoon) (?:at|around|by) (\d{1,2}(?::\d\d)?)\b(?! ?[ap]\.?m)/g,
    (_, _part, time) => `today at ${time}pm`,
  ],
  [
    new RegExp(
      `${NOT_A_DATE}\\b(\\d{1,2}(?::\\d\\d)?) ?(?:o'?clock )?(?:in the morning|this morning)\\b`,
      "g",
    ),
    (_, time) => `${time}am`,
  ],
  [
    /\b(?:in the |this )?(morning|afternoon|evening),? (?:at|around|by) (\d{1,2}(?::\d\d)?)\b(?! ?[ap]\.?m)/g,
    (_, part, time) => `at ${time}${part === "morning" ? "am" : "pm"}`,
  ],
  // A part of the day with no clock time is its conventional hour.
  [/\b(?:in the |this )?(morning|afternoon|evening)\b/g, (_, part) => PART_TIMES[part] ?? part],
  [/\btonight\b/g, "8pm today"],
];

function rewrite(request: string): string {
  let text = request.toLowerCase().replace(/\s+/g, " ");
  for (const [pattern, replacement] of REWRITES) {
    text = text.replace(pattern, replacement as (...groups: string[]) => string);
  }
  return text;
}

function numberValue(word: string): number {
  const index = NUMBER_WORDS.indexOf(word);
  return index >= 0 ? index : Number(word);
}

/** "forty five" → 45, "ninety" → 90, "7" → 7. */
function quantityValue(words: string): number {
  const [first = "", second] = words.split(" ");
  const tens = TENS.indexOf(first);
  if (tens < 0) return numberValue(words);
  return (tens + 2) * 10 + (second ? numberValue(second) : 0);
}

function clock(hour: number, minutes: string): string {
  return `${hour === 0 ? 12 : hour}:${minutes}`;
}

// ---------------------------------------------------------------------------------------------------------
// Parsing: chrono with two more parsers, its results then held to the conventions.
// ---------------------------------------------------------------------------------------------------------

/** "the 14th": this month if still ahead (or today), else next month. chrono leaves it out. */
const dayOfMonthParser: chrono.Parser = {
  pattern: () => /\b(?:on )?(?:the|th|hte) (\d{1,2})(?:st|nd|rd|th)\b(?! of\b)/i,
  extract: (context, match) => {
    const day = Number(match[1]);
    if (day < 1 || day > 31) return null;
    const ref = context.reference.instant;
    let year = ref.getFullYear();
    let month = ref.getMonth() + 1;
    if (day < ref.getDate()) month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
    return { day, month, year };
  },
};

/** "2-4", "10 to 11:30", "9-11am": ranges chrono leaves out; the 1–7 rule settles a missing half later. */
const bareRangeParser: chrono.Parser = {
  pattern: () =>
    /(?<![\d/:.-])(?:from )?(\d{1,2})(?::(\d\d))? ?([ap]\.?m\.?)? ?(?:-|–|to|until|till) ?(\d{1,2})(?::(\d\d))? ?([ap]\.?m\b\.?)?(?![\d/:.-]| ?(?:days?|weeks?|hours?|min|people|of\b|%))/i,
  extract: (context, match) => {
    const start = clockComponents(match[1], match[2], match[3]);
    const end = clockComponents(match[4], match[5], match[6]);
    if (!start || !end) return null;
    const result = context.createParsingResult(match.index ?? 0, match[0], start);
    result.end = context.createParsingComponents(end);
    return result;
  },
};

function clockComponents(
  hourText: string | undefined,
  minuteText: string | undefined,
  half: string | undefined,
): { hour: number; minute: number; meridiem?: number } | undefined {
  const hour = Number(hourText);
  if (!(hour >= 1 && hour <= 12)) return undefined;
  const minute = Number(minuteText ?? 0);
  if (!half) return { hour, minute };
  const pm = half.toLowerCase().startsWith("p");
  return { hour: (hour % 12) + (pm ? 12 : 0), minute, meridiem: pm ? 1 : 0 };
}

const parser = buildParser();

function buildParser(): chrono.Chrono {
  const custom = chrono.casual.clone();
  custom.parsers.push(dayOfMonthParser, bareRangeParser);
  return custom;
}

function parsePhrases(text: string, reference: Date, today: Naive): Phrase[] {
  let results: chrono.ParsedResult[];
  try {
    results = parser.parse(text, reference, { forwardDate: true });
  } catch {
    return [];
  }
  return results.map((result) => toPhrase(result, today)).filter((p): p is Phrase => p !== undefined);
}

const WEEKDAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

function toPhrase(result: chrono.ParsedResult, today: Naive): Phrase | undefined {
  const start = result.start;
  const dayRank = rankDay(start, result.text);
  const day = resolveDay(start, result.text, today, dayRank);
  const minute = resolveMinute(start, result.text);
  if (!Number.isFinite(day) || !nearYear(day, today)) return undefined;
  const phrase: Phrase = {
    index: result.index,
    end: result.index + result.text.length,
    start: minute === undefined ? day : day + minute * MINUTE,
    timed: minute !== undefined,
    dayRank,
  };
  if (
    /\b(?:the|th|hte) \d{1,2}(?:st|nd|rd|th)\b(?! of)/.test(result.text) &&
    startOfDay(day) === startOfDay(today)
  ) {
    phrase.todayOrNextMonth = true;
  }
  if (start.isCertain("hour") && isClockRelative(result.text)) {
    // "in 2 hours": chrono's own arithmetic from now is right as it is.
    phrase.start = naiveOf(start.date());
    phrase.clockRelative = true;
  }
  const ranged = withUntil(phrase, result);
  if (ranged.until === undefined || nearYear(ranged.until, today)) return ranged;
  // An end no date argument can hold is no end: the phrase is read as a start alone.
  const alone: Phrase = { ...ranged };
  delete alone.until;
  delete alone.untilTimed;
  return alone;
}

/**
 * Whether a day is within the years a request can mean: chrono reads "31903 quarter to 7" as the year
 * 31903, which no date argument can hold.
 */
function nearYear(day: Naive, today: Naive): boolean {
  const year = new Date(day).getUTCFullYear();
  const now = new Date(today).getUTCFullYear();
  return year >= now - 1 && year <= now + MAX_YEARS_AHEAD;
}

const MAX_YEARS_AHEAD = 20;

function rankDay(start: ParsedComponents, text: string): 0 | 1 | 2 {
  if (start.isCertain("month") && start.isCertain("day") && !isRelative(text)) return 2;
  if (start.isCertain("day") || start.isCertain("weekday")) return 1;
  return 0;
}

/** "in 2 hours", "90 minutes from now": a moment counted from now, not a day and a clock time. */
function isClockRelative(text: string): boolean {
  return /\b(?:in|within) (?:an?|half an|\d+(?:\.\d+)?) (?:hours?|hrs?|minutes?|mins?)\b|\b(?:hours?|hrs?|minutes?|mins?) from now\b/.test(
    text,
  );
}

function isRelative(text: string): boolean {
  return /\b(?:in|within|after) (?:an?|\d+|half an|one|two|three|four|five|six|seven|eight|nine|ten)\b|\bfrom now\b|\bago\b|\blater\b/.test(
    text,
  );
}

/** The day at 00:00. A weekday follows the conventions; a time with no day is today. */
function resolveDay(start: ParsedComponents, text: string, today: Naive, rank: 0 | 1 | 2): Naive {
  if (rank === 0) return startOfDay(today);
  const weekday = weekdayOffset(text, today);
  if (rank === 1 && !start.isCertain("day") && weekday !== undefined)
    return startOfDay(today) + weekday * DAY;
  return startOfDay(naiveOf(start.date()));
}

/** Days from today to the weekday the text names: the next one after today, or the one in next week. */
function weekdayOffset(text: string, today: Naive): number | undefined {
  const match =
    /\b(next |this |coming )?(sunday|monday|tuesday|wednesday|thursday|friday|saturday)s?\b( next week)?/.exec(
      text,
    );
  if (!match) return undefined;
  const weekday = WEEKDAYS.indexOf(match[2]!);
  const todayWeekday = new Date(today).getUTCDay();
  if (match[1] === "next " || match[3]) {
    // Weeks run Monday to Sunday: days to next Monday, then into that week.
    const toMonday = (8 - todayWeekday) % 7 || 7;
    return toMonday + ((weekday + 6) % 7);
  }
  return (weekday - todayWeekday + 7) % 7 || 7;
}

const PART_OF_DAY: [RegExp, number][] = [
  [/\bmorning\b/, 9 * 60],
  [/\bnoon\b/, 12 * 60],
  [/\bafternoon\b/, 15 * 60],
  [/\bevening\b/, 19 * 60],
  [/\btonight\b/, 20 * 60],
];

/** Minutes after midnight, or undefined when the phrase gives no time. */
function resolveMinute(start: ParsedComponents, text: string): number | undefined {
  if (start.isCertain("hour")) return clockMinute(start, text);
  for (const [pattern, minute] of PART_OF_DAY) if (pattern.test(text)) return minute;
  return undefined;
}

function clockMinute(components: ParsedComponents, text: string): number {
  let hour = components.get("hour") ?? 0;
  // Without am/pm, 1–7 is afternoon (nobody books 3 am by saying "at 3"); "07:30" is a 24-hour clock.
  const twentyFour = /(?<!\d)0\d:\d\d/.test(text);
  if (!components.isCertain("meridiem") && !twentyFour && hour >= 1 && hour <= 7) hour += 12;
  return hour * 60 + (components.get("minute") ?? 0);
}

function withUntil(phrase: Phrase, result: chrono.ParsedResult): Phrase {
  const end = result.end;
  if (!end) return phrase;
  if (!end.isCertain("hour")) {
    // A range of days: "from June 10 to June 12".
    const last = startOfDay(naiveOf(end.date()));
    return last > phrase.start ? { ...phrase, until: last, untilTimed: false } : phrase;
  }
  const startDay = startOfDay(phrase.start);
  const endDay = end.isCertain("day") ? startOfDay(naiveOf(end.date())) : startDay;
  let until = endDay + clockMinute(end, result.text) * MINUTE;
  let start = phrase.start;
  if (!phrase.timed) start = startDay + clockMinute(result.start, result.text) * MINUTE;
  // "11-1pm": the start shares the end's half of the day unless that puts it after the end.
  if (end.isCertain("meridiem") && !result.start.isCertain("meridiem")) {
    const sameHalf = startDay + halfLike(result.start.get("hour") ?? 0, end.get("hour") ?? 0) * HOUR;
    start = sameHalf + (result.start.get("minute") ?? 0) * MINUTE;
    if (start >= until) start -= 12 * HOUR;
  }
  while (until <= start) until += 12 * HOUR;
  return { ...phrase, start, timed: true, until, untilTimed: true };
}

/** The start hour moved into the end hour's half of the day (`endHour` 0–23). */
function halfLike(startHour: number, endHour: number): number {
  const base = startHour % 12;
  return endHour >= 12 ? base + 12 : base;
}

/** Phrases chrono split that are one ("Saturday" "the 14th" "at 4 pm"): a day and a time side by side. */
function mergeAdjacent(text: string, phrases: Phrase[]): Phrase[] {
  const sorted = [...phrases].sort((a, b) => a.index - b.index);
  const out: Phrase[] = [];
  for (const phrase of sorted) {
    const last = out[out.length - 1];
    if (last && canMerge(text, last, phrase)) out[out.length - 1] = merge(last, phrase);
    else out.push(phrase);
  }
  return out;
}

function canMerge(text: string, a: Phrase, b: Phrase): boolean {
  const gap = text.slice(a.end, b.index);
  if (!/^[\s,]*(?:at|on|by|around|from|@|-)?[\s,]*(?:the )?$/.test(gap)) return false;
  if (a.timed && b.timed) return false;
  return a.dayRank !== b.dayRank || a.dayRank === 0 || b.dayRank === 0;
}

// Second thoughts between two dates: "friday at 3, actually make that 4pm", "thursday at 2, oh wait,
// make it friday", "tomorrow at 9 — no, change it to 10".
// ("I can't make it tomorrow" takes nothing back; "let's do 5pm instead" says its date before the word.)
const CORRECTION =
  /\b(?:actually|wait|(?<!n't |not |cannot )make (?:it|that)|change (?:it|that) to|move (?:it|that) to|scratch that)\b/;

/**
 * A date that corrects the one before it takes its place, keeping what it does not say: "friday at 3,
 * actually make that 4pm" is Friday at 16:00, "thursday at 2, wait, make it friday" Friday at 14:00. The
 * corrected date is no choice any more: the person took it back.
 */
function withCorrections(text: string, phrases: readonly Phrase[]): Phrase[] {
  const out: Phrase[] = [];
  for (const phrase of phrases) {
    const last = out[out.length - 1];
    if (last && CORRECTION.test(text.slice(last.end, phrase.index)))
      out[out.length - 1] = corrected(last, phrase);
    else out.push(phrase);
  }
  return out;
}

/**
 * A time with no day after a day was named is most often on that day: "tomorrow: car pickup at 8, coffee
 * at 10", "moving day is saturday! … come at 8am". Such a time is read on the nearest day named before it,
 * and also, next, on today (launcher requests join unrelated parts too: "block saturday for the move and
 * remind me at 5 to call mom").
 */
function withContextDay(phrases: readonly Phrase[]): Phrase[] {
  const out: Phrase[] = [];
  let day: Naive | undefined;
  for (const phrase of phrases) {
    if (phrase.dayRank > 0) day = startOfDay(phrase.start);
    if (phrase.dayRank > 0 || !phrase.timed || phrase.clockRelative || day === undefined) {
      out.push(phrase);
      continue;
    }
    const shift = day - startOfDay(phrase.start);
    if (shift === 0) {
      out.push(phrase);
      continue;
    }
    const onDay: Phrase = { ...phrase, start: phrase.start + shift };
    if (phrase.until !== undefined) onDay.until = phrase.until + (phrase.untilTimed ? shift : 0);
    out.push(onDay, phrase);
  }
  return out;
}

function corrected(old: Phrase, fix: Phrase): Phrase {
  const day = fix.dayRank > 0 ? startOfDay(fix.start) : startOfDay(old.start);
  const timeOfDay = (phrase: Phrase) => phrase.start - startOfDay(phrase.start);
  const from = fix.timed ? fix : old;
  const start = day + (from.timed ? timeOfDay(from) : 0);
  const result: Phrase = {
    index: old.index,
    end: fix.end,
    start,
    timed: from.timed,
    dayRank: fix.dayRank > 0 ? fix.dayRank : old.dayRank,
  };
  // An end keeps its length from the start it came with.
  if (from.until !== undefined) result.until = start + (from.until - from.start);
  if (from.untilTimed !== undefined) result.untilTimed = from.untilTimed;
  return result;
}

function merge(a: Phrase, b: Phrase): Phrase {
  const dayFrom = a.dayRank >= b.dayRank ? a : b;
  const timeFrom = a.timed ? a : b;
  const day = startOfDay(dayFrom.start);
  const shift = day - startOfDay(timeFrom.start);
  const merged: Phrase = {
    index: a.index,
    end: b.end,
    start: timeFrom.timed ? timeFrom.start + shift : day,
    timed: timeFrom.timed,
    dayRank: dayFrom.dayRank,
  };
  if (dayFrom.todayOrNextMonth) merged.todayOrNextMonth = true;
  if (timeFrom.until !== undefined) merged.until = timeFrom.until + (timeFrom.untilTimed ? shift : 0);
  if (timeFrom.untilTimed !== undefined) merged.untilTimed = timeFrom.untilTimed;
  return merged;
}

// ---------------------------------------------------------------------------------------------------------
// Lengths: "for 30 min", "a 2-hour block", and "remind me a day before".
// ---------------------------------------------------------------------------------------------------------

const AMOUNT = "an|a|one|two|three|four|five|six|half an|\\d+(?:\\.\\d+)?";

/** A meeting length: not "in 30 minutes" (a start) nor "30 minutes from now". */
const LENGTH = new RegExp(
  `(?<!\\bin )(?<!\\bevery )(?<!\\bhalf )\\b(?:for )?(${AMOUNT})[ -]?(hours?|hrs?|minutes?|mins?)\\b( and a half)?(?! from now| ago| later)`,
);

function explicitLength(text: string): number | undefined {
  const match = LENGTH.exec(text);
  if (!match) return undefined;
  const minutes = amountMinutes(match[1]!, match[2]!) + (match[3] ? 30 : 0);
  return minutes > 0 && minutes <= 24 * 60 ? minutes : undefined;
}

/** How long before an event a reminder is due; `atMinute` when the lead names a time ("the night before"). */
interface Lead {
  minutes: number;
  atMinute?: number;
}

const LEAD = new RegExp(
  `\\b(?:(${AMOUNT}) (weeks?|days?|hours?|hrs?|minutes?|mins?)|the (day|night|evening|morning)) (?:before|ahead|prior|earlier)\\b`,
);
const LEAD_TIMES: Record<string, number> = { night: 20 * 60, evening: 19 * 60, morning: 9 * 60 };

function reminderLead(text: string): Lead | undefined {
  const match = LEAD.exec(text);
  if (!match) return undefined;
  if (match[3]) return { minutes: 1440, atMinute: LEAD_TIMES[match[3]] };
  return { minutes: amountMinutes(match[1]!, match[2]!) };
}

function leadMoment(start: Naive, lead: Lead): Naive {
  const moment = start - lead.minutes * MINUTE;
  if (lead.atMinute === undefined) return moment;
  return startOfDay(moment) + lead.atMinute * MINUTE;
}

function amountMinutes(amount: string, unit: string): number {
  const count = amount === "half an" ? 0.5 : amount === "a" || amount === "an" ? 1 : numberValue(amount);
  const per = unit.startsWith("w") ? 7 * 1440 : unit.startsWith("d") ? 1440 : unit.startsWith("h") ? 60 : 1;
  return Math.round(count * per);
}

// ---------------------------------------------------------------------------------------------------------
// Formatting.
// ---------------------------------------------------------------------------------------------------------

function naiveOf(local: Date): Naive {
  return Date.UTC(
    local.getFullYear(),
    local.getMonth(),
    local.getDate(),
    local.getHours(),
    local.getMinutes(),
    local.getSeconds(),
  );
}

function startOfDay(moment: Naive): Naive {
  return Math.floor(moment / DAY) * DAY;
}

function formatDay(moment: Naive): string {
  const date = new Date(moment);
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

function formatMoment(moment: Naive): string {
  const date = new Date(moment);
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${formatDay(moment)} ${time}`;
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
