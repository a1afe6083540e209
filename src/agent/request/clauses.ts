/*
 * Which part of a request each date belongs to. People join actions with their own dates in one breath:
 * "put the board meeting thursday 6pm on my calendar, and remind me monday morning to send the follow
 * up". TinyAgent-micro, offered both dates for both steps, often gives the reminder Thursday. A date is
 * read as belonging to the clause it sits in, and a clause is a reminder's, an event's (or Zoom call's),
 * another action's ("text Bruno to come at 8am"), or context that names no action ("dinner party
 * saturday 7pm at my place: …"), which is an event's. The tools a request plainly asks for are read
 * clause by clause too (asked-tools.ts).
 */

export type ClauseKind = "reminder" | "event" | "other" | "context";

export interface Clause {
  start: number;
  end: number;
  kind: ClauseKind;
  /** The clause's words without the connectors it starts with ("and", "then", "first", …). */
  words: string;
}

/** Verbs that begin an action; a comma, "and" or "then" before one of them ends the clause before. */
const ACTION_VERBS = [
  "remind",
  "text",
  "txt",
  "message",
  "msg",
  "email",
  "e-mail",
  "mail",
  "send",
  "reply",
  "respond",
  "forward",
  "fwd",
  "tell",
  "ping",
  "let",
  "put",
  "add",
  "block",
  "make",
  "set",
  "create",
  "schedule",
  "book",
  "call",
  "find",
  "open",
  "pull",
  "look",
  "get",
  "summarize",
  "summarise",
  "zoom",
  "save",
  "note",
  "jot",
  "write",
  "draft",
  "show",
  "map",
  "invite",
  "share",
  "calendar",
  "start",
  "also",
  "pls",
  "please",
].join("|");

const CONNECTORS = "(?:and|then|also|plus|after that|first|second|third|fourth|finally|lastly)";

const LEADING_CONNECTORS = new RegExp(String.raw`^\W*(?:${CONNECTORS}\s+)*`, "i");

const BOUNDARY = new RegExp(
  [
    // The end of a sentence, or a colon or semicolon.
    String.raw`[.!?;:](?=\s|$)`,
    // A comma, "and", "then", "second", … before an action verb: "…, and remind me", " then text Ana";
    // not a verb alone ("remind me to text Kwame" is one clause).
    String.raw`(?:,\s*(?:${CONNECTORS}\s+)*|\s+(?:${CONNECTORS}\s+)+)(?=(?:${ACTION_VERBS})\b)`,
  ].join("|"),
  "gi",
);

const REMINDER = /\bremind(?:er|ers)?\b|\b(?:to|on|onto) (?:my |the |our )?(?:[\w'-]+ )?list\b/i;
const EVENT = /\b(?:calendar|cal|event|invite|meeting|block|zoom|appt|appointment|schedule)\b/i;
const MESSAGE_START =
  /^\W*(?:pls |please )?(?:text|txt|sms|message|msg|email|e-mail|mail|reply|respond|forward|fwd|tell|ping)\b/i;
const ACTION_START = new RegExp(String.raw`^\W*(?:${ACTION_VERBS})\b`, "i");

/** The request's clauses, in order, covering all of it. */
export function clausesOf(text: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (const match of text.matchAll(BOUNDARY)) {
    const end = match.index;
    if (end > start) clauses.push(clause(text, start, end));
    start = end + match[0].length;
  }
  if (start < text.length || clauses.length === 0) clauses.push(clause(text, start, text.length));
  return clauses;
}

function clause(text: string, start: number, end: number): Clause {
  // "first email Dmitri …": an ordinal or "and" at the start says nothing of the action.
  const words = text.slice(start, end).replace(LEADING_CONNECTORS, "");
  return { start, end, kind: kindOf(words), words };
}

function kindOf(words: string): ClauseKind {
  if (REMINDER.test(words)) return "reminder";
  if (MESSAGE_START.test(words)) return "other";
  if (EVENT.test(words)) return "event";
  return ACTION_START.test(words) ? "other" : "context";
}

/** The kind of clause a position of the text falls in. */
export function kindAt(clauses: readonly Clause[], index: number): ClauseKind {
  const found = clauses.find((c) => index >= c.start && index < c.end);
  return found?.kind ?? "context";
}

/**
 * The items (date phrases) a reminder and an event may take: a reminder those in reminder clauses, an
 * event those in event or context clauses, else those in no reminder clause. Where a rule leaves none,
 * every item: a reminder "the day before" takes its date from the event's, and a request with one date
 * and two actions gives it to both.
 */
export function itemsByClause<T extends { index: number }>(
  text: string,
  items: readonly T[],
): { reminder: T[]; event: T[] } {
  const clauses = clausesOf(text);
  const kinds = items.map((item) => kindAt(clauses, item.index));
  const where = (keep: (kind: ClauseKind) => boolean) => items.filter((_, i) => keep(kinds[i]!));
  const reminder = where((kind) => kind === "reminder");
  const event = where((kind) => kind === "event" || kind === "context");
  const notReminder = where((kind) => kind !== "reminder");
  return {
    reminder: reminder.length > 0 ? reminder : [...items],
    event: event.length > 0 ? event : notReminder.length > 0 ? notReminder : [...items],
  };
}
