/**
 * The spans of a request a plan may copy into an argument marked `fromRequest` (contact names, places,
 * existing notes and files), as plan-grammar rules. A span is a run of whole words of the request, as the
 * micro prompt shows it (one line, single spaces), at most `maxWords` long:
 *
 *   - each word's first letter may be written in either case ("my sister" → "Sister", "golden gate
 *     bridge" → "Golden Gate Bridge"): names, places and titles are capitalized, typed requests often
 *     are not (measured on the synthetic test split: 97-99 % of names and places are then reachable,
 *     against 62-85 % with the request's case kept);
 *   - opening punctuation before the first word is left out (`"Q3 deck"` → `Q3 deck`), and so is closing
 *     punctuation after the last one (`Sid,` → `Sid`), though a closing "." may stay (`Main St.`);
 *   - a possessive ending of the last word may be dropped (`Sid's` → `Sid`, `James'` → `James`);
 *   - words holding a "$" or a control character are never copied: a copied `$1` would read as a
 *     reference, and the plan's text rules keep control characters out.
 *
 * The rules share suffixes (one rule per word and number of words left), so the grammar grows with
 * words × maxWords, not with the number of spans.
 */

export interface SpanOptions {
  /** Most words in one span. Default 8: "the Smith's Coffee Shop on Elm Street" fits. */
  maxWords?: number;
  /** Words longer than this are not copied (a pasted blob would only bloat the grammar). Default 48. */
  maxWordLength?: number;
  /** Only the first this many words of the request are offered. Default 200. */
  maxRequestWords?: number;
}

const DEFAULTS: Required<SpanOptions> = { maxWords: 8, maxWordLength: 48, maxRequestWords: 200 };

const OPENING = /^["'“‘«([{<]+/u;
const CLOSING = /["'”’»)\]}>.,;:!?]+$/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const POSSESSIVE = /(?:['’]s|s['’])$/u;

interface Word {
  /** The word in lower case, without the punctuation around it: what DANGLING and NO_START look at. */
  plain: string;
  /** How the word may be written in the middle of a span. */
  middle: string[];
  /** How the word may be written when a span starts with it. */
  first: string[];
  /** How the word may be written when a span ends with it. */
  last: string[];
  /** Both at once: a one-word span. */
  alone: string[];
}

/** The request's words as spans see them; undefined for a word that is never copied. */
function wordsOf(request: string, settings: Required<SpanOptions>): (Word | undefined)[] {
  const words = request.replace(/\s+/g, " ").trim().split(" ").slice(0, settings.maxRequestWords);
  return words.map((raw) => {
    if (raw === "" || raw.length > settings.maxWordLength || !copyable(raw)) return undefined;
    const opened = raw.replace(OPENING, "");
    // "(415) 555-0100": the parenthesis of an area code is part of the number, not punctuation around it.
    const areaCode = /^\(\d/.test(raw);
    const first = areaCode ? [opened, raw] : [opened];
    const last = endings(raw);
    const alone = endings(opened);
    if (opened === "" || alone.length === 0) return undefined;
    return {
      plain: opened.replace(CLOSING, "").toLowerCase(),
      middle: withCapital([raw]),
      first: withCapital(first),
      last: withCapital(last),
      alone: withCapital(alone),
    };
  });
}

/** The ways a span may end with this word: as written, without closing marks, without a possessive. */
function endings(word: string): string[] {
  const closed = word.replace(CLOSING, "");
  const forms = new Set<string>();
  if (closed === "") return [];
  forms.add(closed);
  if (word.startsWith(`${closed}.`)) forms.add(`${closed}.`);
  const owner = closed.replace(POSSESSIVE, (ending) => (ending.startsWith("s") ? "s" : ""));
  if (owner !== "" && owner !== closed) forms.add(owner);
  return [...forms];
}

/** Each form, plus the same with its first letter in the other case (see the list above). */
function withCapital(forms: readonly string[]): string[] {
  const result = new Set<string>();
  for (const form of forms) {
    result.add(form);
    const [head = "", ...rest] = [...form];
    const swapped = head === head.toUpperCase() ? head.toLowerCase() : head.toUpperCase();
    result.add(swapped + rest.join(""));
  }
  return [...result];
}

// "$" would let a copied word read as a reference; control characters are outside the text rules;
// a lone surrogate is not text at all.
function copyable(word: string): boolean {
  return !/[$\p{Cc}]/u.test(word) && !LONE_SURROGATE.test(word);
}

/** Every span of a request, as a plan argument would hold it (for tests and measurements). */
export function requestSpans(request: string, options: SpanOptions = {}): string[] {
  const settings = { ...DEFAULTS, ...options };
  const words = wordsOf(request, settings);
  const spans = new Set<string>();
  words.forEach((word, start) => {
    if (!word) return;
    word.alone.forEach((form) => spans.add(form));
    let middle: string[] = word.first;
    for (let end = start + 1; end < Math.min(words.length, start + settings.maxWords); end++) {
      const next = words[end];
      if (!next) break;
      for (const head of middle) for (const form of next.last) spans.add(`${head} ${form}`);
      middle = middle.flatMap((head) => next.middle.map((form) => `${head} ${form}`));
    }
  });
  return [...spans];
}

/**
 * GBNF rules matching exactly the quoted spans of a request (`"Sid"`), added to `rules`; returns the name
 * of the rule to use, or undefined when the request has no word to copy.
 */
export function addSpanRules(
  rules: Map<string, string>,
  request: string,
  options: SpanOptions = {},
): string | undefined {
  const settings = { ...DEFAULTS, ...options };
  const words = wordsOf(request, settings);
  // tail-i-d: a span going on with word i, at most d words from there on.
  const tail = (i: number, d: number): string => {
    const name = `span-${i}-${d}`;
    if (rules.has(name)) return name;
    const word = words[i]!;
    const next = words[i + 1];
    const alternatives = [choice(word.last)];
    if (d > 1 && next)
      alternatives.push(`${choice(word.middle.map((form) => `${form} `))} ${tail(i + 1, d - 1)}`);
    rules.set(name, alternatives.join(" | "));
    return name;
  };
  const heads: string[] = [];
  words.forEach((word, i) => {
    if (!word) return;
    const name = `span-${i}`;
    const alternatives = [choice(word.alone)];
    if (settings.maxWords > 1 && words[i + 1])
      alternatives.push(
        `${choice(word.first.map((form) => `${form} `))} ${tail(i + 1, settings.maxWords - 1)}`,
      );
    rules.set(name, alternatives.join(" | "));
    heads.push(name);
  });
  if (heads.length === 0) return undefined;
  rules.set("span-body", heads.join(" | "));
  rules.set("span", `"\\"" span-body "\\""`);
  return "span";
}

/**
 * GBNF rules matching free text worded from the request (formats.ts requestWording), added to `rules`:
 * a span of the request of any length (whole words, each first letter in either case, without the
 * punctuation around it), quoted, optionally after template words of the parameter (formats.ts
 * requestWording). Returns a maker of such rules by template words, or undefined when the request has no
 * word to copy.
 *
 * Unlike the spans of names (addSpanRules), a span here may run to the end of the request ("text Sid
 * that I'm running late but will be there by 8"), so the rules chain word to word: one rule per word,
 * however long the request.
 */
export function addWordingRules(
  rules: Map<string, string>,
  request: string,
  options: SpanOptions = {},
): WordingRules | undefined {
  const settings = { ...DEFAULTS, ...options };
  const words = wordsOf(request, settings);
  const endable = (i: number) => !DANGLING.has(words[i]?.plain ?? "");
  // runs[i]: a span can go on from word i to an end it may stop at.
  const runs: boolean[] = [];
  for (let i = words.length - 1; i >= 0; i--)
    runs[i] = words[i] !== undefined && (endable(i) || runs[i + 1] === true);
  const run = (i: number): string => {
    const name = `wording-run-${i}`;
    if (rules.has(name)) return name;
    const word = words[i]!;
    const alternatives = endable(i) ? [choice(word.last)] : [];
    if (runs[i + 1]) alternatives.push(`${choice(word.middle.map((form) => `${form} `))} ${run(i + 1)}`);
    rules.set(name, alternatives.join(" | "));
    return name;
  };
  const heads: string[] = [];
  words.forEach((word, i) => {
    if (!word || NO_START.has(word.plain)) return;
    const alternatives = endable(i) ? [choice(word.alone)] : [];
    if (runs[i + 1]) alternatives.push(`${choice(word.first.map((form) => `${form} `))} ${run(i + 1)}`);
    if (alternatives.length === 0) return;
    rules.set(`wording-${i}`, alternatives.join(" | "));
    heads.push(`wording-${i}`);
  });
  if (heads.length === 0) return undefined;
  rules.set("wording-body", heads.join(" | "));
  const made = new Map<string, string>();
  return (templates) => {
    const key = templates.join("\n");
    const known = made.get(key);
    if (known) return known;
    const name = made.size === 0 ? "wording" : `wording-t${made.size}`;
    const before = templates.length === 0 ? "" : ` ${choice(templates.map((words) => `${words} `))}?`;
    rules.set(name, `"\\""${before} wording-body "\\""`);
    made.set(key, name);
    return name;
  };
}

/** The rule for a worded argument with these template words (the same rule for the same words). */
export type WordingRules = (templates: readonly string[]) => string;

/**
 * Words a worded span may not end with ("Sid that the", "The launch moved to") or start with ("and text
 * her", "remind me to..."): a span cut there reads as a fragment, not as the person's words.
 */
const DANGLING = new Set(
  (
    "a an the to of for with and or but that at on in by from my your his her their our its is are was be " +
    "about as into onto if so then also & + - i i'm we we're you"
  ).split(" "),
);
const NO_START = new Set(
  "and or but that then also so & + - pls please plz can could would will hey ok okay um uh remind at on by in to of from with".split(
    " ",
  ),
);

/**
 * Whether `text` is what a worded argument may hold for this request (addWordingRules): a span of any
 * length, optionally after template words. For tests and checks; the grammar is what holds the planner.
 */
export function isRequestWording(
  text: string,
  request: string,
  templates: readonly string[] = [],
  options: SpanOptions = {},
): boolean {
  const template = templates.find((words) => text.startsWith(`${words} `));
  const rest = template ? text.slice(template.length + 1) : text;
  const words = wordsOf(request, { ...DEFAULTS, ...options });
  const parts = rest.split(" ");
  return words.some(
    (first, start) =>
      first !== undefined &&
      !NO_START.has(first.plain) &&
      !DANGLING.has(words[start + parts.length - 1]?.plain ?? "") &&
      parts.every((part, k) => wordFits(words[start + k], part, k, parts.length)),
  );
}

function wordFits(word: Word | undefined, part: string, k: number, count: number): boolean {
  if (!word) return false;
  const forms = count === 1 ? word.alone : k === 0 ? word.first : k === count - 1 ? word.last : word.middle;
  return forms.includes(part);
}

/**
 * A GBNF rule `name` matching exactly the quoted values (`"Sid"`), each also with its first letter in the
 * other case, added to `rules`; returns `name`, or undefined when there are no values.
 */
export function addValuesRule(
  rules: Map<string, string>,
  name: string,
  values: readonly string[],
): string | undefined {
  const usable = values.filter((value) => value !== "" && copyable(value));
  if (usable.length === 0) return undefined;
  rules.set(name, `"\\"" ${choice(withCapital(usable))} "\\""`);
  return name;
}

/**
 * The email addresses and phone numbers the request writes out, as a plan copies them into a recipient
 * list: a list may hold only these and look-ups' results. Any other span there ("the game is moved")
 * would be sent to as if it were an address.
 */
export function requestAddresses(request: string): string[] {
  const emails = request.match(EMAIL) ?? [];
  const phones = (request.match(PHONE) ?? [])
    .map((phone) => phone.trim())
    .filter((phone) => {
      const digits = phone.replace(/\D/g, "").length;
      return digits >= 7 && digits <= 15 && !ISO_DAY.test(phone);
    });
  return [...new Set([...emails, ...phones])].filter(copyable);
}

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// "+1 415 555 0199", "(415) 555-0100", "07700 900383", "5550533"; digits counted above.
const PHONE =
  /(?<![\p{L}\p{N}])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d(?:[ .-]?\d){5,}(?![\p{L}\p{N}])/gu;
// A date ("2024-06-03", "2024-06-03 09:00") has as many digits as a phone number.
const ISO_DAY = /^\d{4}-\d{2}-\d{2}(?!\d)/;

/** A rule matching one of the request's addresses and numbers, quoted (requestAddresses); undefined if none. */
export function addAddressRule(rules: Map<string, string>, request: string): string | undefined {
  const addresses = requestAddresses(request);
  if (addresses.length === 0) return undefined;
  rules.set("request-address", `"\\"" ${choice(addresses)} "\\""`);
  return "request-address";
}

function choice(forms: readonly string[]): string {
  const unique = [...new Set(forms)];
  return unique.length === 1 ? literal(unique[0]!) : `(${unique.map(literal).join(" | ")})`;
}

/**
 * A GBNF literal for text inside a double-quoted plan string: the plan escapes `\` and `"` with a
 * backslash, and GBNF escapes both again. Other characters, non-ASCII included, are written as they are.
 */
function literal(text: string): string {
  const inPlan = text.replace(/[\\"]/g, (c) => `\\${c}`);
  return `"${inPlan.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}
