import { z } from "zod";

/**
 * Dates in plans are local wall-clock times `YYYY-MM-DD HH:MM:SS` (DESIGN §4). A `T` separator and missing
 * seconds are accepted because planners write them; anything else is rejected rather than guessed.
 */
const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/;

export interface LocalDateTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** False for a bare `YYYY-MM-DD` (an all-day reminder). */
  hasTime: boolean;
}

/** Reads a plan date into components, or undefined when it is not a real calendar date (and time). */
export function parseLocalDateTime(text: string): LocalDateTime | undefined {
  const m = ISO_LOCAL.exec(text);
  if (!m) return undefined;
  const hasTime = m[4] !== undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  return { year, month, day, hour, minute, second, hasTime };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * What a date parameter is in its tool: the start of something, the end of what the parameter before it
 * starts, or when a reminder is due. A planner that copies dates from the request (request/dates.ts)
 * reads it to offer each parameter only the dates that fit it: an end after its start, never "now" when
 * the request names a time.
 */
export type DateRole = "start" | "end" | "due";

const dateRoles = z.registry<{ role: DateRole }, z.ZodType>();

/** The role of a date parameter (nullable or not), if it was given one. */
export function dateRoleOf(schema: z.ZodType): DateRole | undefined {
  return markOf(dateRoles, schema)?.role;
}

/**
 * What a parameter's schema was marked with in `registry`: the schema's own mark, or that of the schema a
 * `.nullable()` wraps.
 */
function markOf<Mark extends object>(
  registry: z.core.$ZodRegistry<Mark, z.ZodType>,
  schema: z.ZodType,
): Mark | undefined {
  const inner = schema instanceof z.ZodNullable ? (schema.unwrap() as z.ZodType) : schema;
  // Marks hold no schemas, so zod's $replace of schema types in them leaves them as they are.
  return (registry.get(schema) ?? registry.get(inner)) as Mark | undefined;
}

function withRole<T extends z.ZodType>(schema: T, role: DateRole | undefined): T {
  if (role) dateRoles.add(schema, { role });
  return schema;
}

export const dateTime = (what: string, role?: "start" | "end") => withRole(dateTimeSchema(what), role);

const dateTimeSchema = (what: string) =>
  z
    .string()
    .refine((text) => parseLocalDateTime(text)?.hasTime === true, {
      message: "expected a date and time as YYYY-MM-DD HH:MM:SS",
    })
    .describe(`${what}, as YYYY-MM-DD HH:MM:SS in the person's local time`);

/** A due date: with a time, a bare day for all-day items, or empty for none. */
export const dueDate = (what: string) =>
  withRole(
    z
      .string()
      .refine((text) => text === "" || parseLocalDateTime(text) !== undefined, {
        message: "expected YYYY-MM-DD HH:MM:SS, or YYYY-MM-DD for a whole day",
      })
      .nullable()
      .describe(`${what}, as YYYY-MM-DD HH:MM:SS (YYYY-MM-DD when all day); None when there is no date`),
    "due",
  );

/**
 * A list of strings. Planners may write a single string for a one-item list (the reference tools accept
 * that); `asListArgument` (tool.ts) turns it into a list before validation and execution.
 */
export const stringList = (what: string) => z.array(z.string()).describe(what);

/**
 * A list of addresses or numbers to send to. Each item names a real person, so it must come from the
 * request or from a look-up: a planner that writes an address of its own would send to a stranger.
 */
export const recipientList = (what: string, kind: "phone-number" | "email-address" = "email-address") =>
  takesResults(fromRequest(stringList(what)), [kind]);

/** Loose on purpose: an address Mail and Calendar accept, not RFC 5322. */
const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

export function isEmailAddress(text: string): boolean {
  return EMAIL_ADDRESS.test(text);
}

/** A date parameter: a date and time (events, Zoom), or a due date that may be a bare day or empty. */
export type DateKind = "datetime" | "due";

/**
 * Whether a string schema takes a date, read from what it accepts, so the grammar and the date
 * normalizer agree on which parameters are dates without a list of names.
 */
export function dateKindOf(schema: z.ZodType): DateKind | undefined {
  const accepts = (text: string) => schema.safeParse(text).success;
  if (!accepts("2024-01-01 10:00:00") || accepts("tomorrow")) return undefined;
  return accepts("2024-01-01") ? "due" : "datetime";
}

/**
 * Arguments a plan must copy from the request: they name something that already exists (a contact, a
 * place, a note, a file), so any word the request does not contain is a guess. The plan grammar can hold
 * such an argument to the request's own words (see request/spans.ts) for planners too small to copy on
 * their own. Marked on the schema, so the grammar reads it from the tool definition like everything else.
 */
export interface RequestCopy {
  /** Values allowed besides the request's words: names the request says in other words ("myself" → Me). */
  also: readonly string[];
  /**
   * A person: when the planner knows the people the request names (GrammarOptions.people), only one of
   * them, instead of any span.
   */
  person: boolean;
}

const copiedFromRequest = z.registry<RequestCopy, z.ZodType>();

/** Marks a string schema as copied from the request. Apply it last: `.describe()` returns a new schema. */
export function fromRequest<T extends z.ZodType>(schema: T, copy: Partial<RequestCopy> = {}): T {
  copiedFromRequest.add(schema, { also: copy.also ?? [], person: copy.person ?? false });
  return schema;
}

/** How a parameter's schema (nullable or not) is copied from the request, if it was marked so. */
export function requestCopyOf(schema: z.ZodType): RequestCopy | undefined {
  return markOf(copiedFromRequest, schema);
}

/**
 * Free text a plan writes for the person (a message, a subject, a title, a note): a planner too small to
 * write (TinyAgent-micro) may only take it from the request's own words, a few template words before
 * them ("Meeting with Priya"), an earlier step's result, or nothing (request/spans.ts, addWordingRules).
 * Any other word would be made up: "text Sid that I'm running late" must not become "I miss you".
 */
const wordedFromRequest = z.registry<{ templates: readonly string[] }, z.ZodType>();

/**
 * Marks a string schema as free text worded from the request; `templates` are the few words that may
 * come before a span of it ("Meeting with" + "Priya"). Apply it last, like fromRequest.
 */
export function requestWording<T extends z.ZodType>(schema: T, templates: readonly string[] = []): T {
  wordedFromRequest.add(schema, { templates });
  return schema;
}

/** The template words of a parameter worded from the request (nullable or not); undefined if it is not. */
export function requestWordingOf(schema: z.ZodType): readonly string[] | undefined {
  return markOf(wordedFromRequest, schema)?.templates;
}

/** Template words for what meets people: an event's title, a call's topic. */
export const MEETING_TEMPLATES: readonly string[] = ["Meeting with", "Call with"];

/**
 * What a tool's result is, when a later step may pass it on (`$N`): an address or number to send to, a file
 * to attach or read, a summary or a meeting link to put in a message or an event. Other results (a
 * confirmation such as "Created the note") are for the person, not for another step.
 */
export type ResultKind = "phone-number" | "email-address" | "file-path" | "summary" | "meeting-link";

/**
 * How a parameter uses earlier results: the kinds it takes, and whether free text carries one whole
 * (`true`), or carries one only when no other step passes it on already (`"unused"`: a reminder's notes
 * need not repeat the summary an email already sends).
 */
export interface ResultUse {
  takes: readonly ResultKind[];
  carries: boolean | "unused";
}

const resultUses = z.registry<ResultUse, z.ZodType>();

/** Marks a parameter as taking earlier results of these kinds: recipients take addresses, attachments files. */
export function takesResults<T extends z.ZodType>(schema: T, takes: readonly ResultKind[]): T {
  resultUses.add(schema, { takes, carries: false });
  return schema;
}

/**
 * Marks free text that a summary or a meeting link may stand in for whole: a message that is the Zoom link,
 * an email body or notes that are the summary.
 */
export function carriesResults<T extends z.ZodType>(schema: T, carries: true | "unused" = true): T {
  resultUses.add(schema, { takes: CARRIED, carries });
  return schema;
}

/** The result kinds a parameter (nullable or not) takes, and whether it carries them; undefined if none. */
export function resultUseOf(schema: z.ZodType): ResultUse | undefined {
  return markOf(resultUses, schema);
}

/** The results free text may carry (carriesResults). */
const CARRIED: readonly ResultKind[] = ["summary", "meeting-link"];
