import type { z } from "zod";
import { chooseOffered, type Invocation } from "../backend";
import type { createCalendarEvent } from "../calendar";
import { isEmailAddress, parseLocalDateTime, type LocalDateTime } from "../formats";
import { ToolError, type SettingsPane } from "../tool-error";
import { appleScriptText } from "./applescript-text";
import type { MacContext } from "./mac-context";
import { parseRecords, SETTINGS } from "./osascript";

export type CreateCalendarEventArgs = z.infer<typeof createCalendarEvent.args>;

/** One calendar as Calendar lists it; `index` is its 1-based position in `every calendar`. */
export interface CalendarInfo {
  index: number;
  name: string;
  writable: boolean;
}

/**
 * The calendar a new event goes into: the calendar at `index` in Calendar's `every calendar`, which must
 * still be named `name` when the event is created. Calendar's scripting has no stable reference to a calendar that
 * is safe to rely on across macOS versions, and names are not unique (two accounts may both have "Work"),
 * so the index chosen from the listing is checked against the name inside the creating script.
 */
export interface CalendarTarget {
  index: number;
  name: string;
}

// ---------------------------------------------------------------------------------------------------------
// Builders: pure functions that return exactly the scripts the action runs, so a dry run can show them.
// ---------------------------------------------------------------------------------------------------------

/** Lists every calendar with whether events can be added to it (records of name, "true"/"false"). */
export function listCalendarsScript(): string {
  return [
    'tell application "Calendar"',
    "\tset calendarNames to name of every calendar",
    "\tset writableFlags to writable of every calendar",
    "end tell",
    "set fieldSeparator to character id 31",
    "set recordSeparator to character id 30",
    'set output to ""',
    "repeat with i from 1 to count of calendarNames",
    // Booleans coerce to "true"/"false" whatever the system language.
    "\tset output to output & (item i of calendarNames) & fieldSeparator & ((item i of writableFlags) as text) & recordSeparator",
    "end repeat",
    "return output",
  ].join("\n");
}

/**
 * Creates the event in one script and prints `created<FIELD>uid`, or `changed<FIELD>name` (and creates
 * nothing) when the calendar at the chosen index is no longer the one that was chosen.
 */
export function createCalendarEventScript(args: CreateCalendarEventArgs, target: CalendarTarget): string {
  const start = requireDateTime(args.start_date, "start date");
  const end = requireDateTime(args.end_date, "end date");
  const properties = [
    `summary:${appleScriptText(args.title)}`,
    "start date:startDate",
    "end date:endDate",
    ...(given(args.location) ? [`location:${appleScriptText(args.location)}`] : []),
    ...(given(args.notes) ? [`description:${appleScriptText(args.notes)}`] : []),
  ];
  return [
    ...appleScriptDateLines("startDate", start),
    ...appleScriptDateLines("endDate", end),
    "set fieldSeparator to character id 31",
    'tell application "Calendar"',
    `\tset targetCalendar to calendar ${scriptInteger(target.index)}`,
    "\tset calendarName to name of targetCalendar",
    "\tconsidering case",
    `\t\tif calendarName is not ${appleScriptText(target.name)} then return "changed" & fieldSeparator & calendarName`,
    "\tend considering",
    `\tset newEvent to make new event at end of events of targetCalendar with properties {${properties.join(", ")}}`,
    ...eventInvitees(args.invitees).map(
      (email) =>
        `\tmake new attendee at end of attendees of newEvent with properties {email:${appleScriptText(email)}}`,
    ),
    '\treturn "created" & fieldSeparator & (uid of newEvent)',
    "end tell",
  ].join("\n");
}

/**
 * Opens an event in Calendar by the uid that create_calendar_event reports. Calendar's own `show` command
 * is used rather than an `ical://ekevent/<id>?method=show` URL: that URL takes EventKit's event identifier,
 * which Calendar's scripting `uid` (the iCalendar UID) is not documented to equal. Prints "shown" or
 * "missing".
 */
export function showCalendarEventScript(uid: string): string {
  return [
    'tell application "Calendar"',
    "\trepeat with i from 1 to count of calendars",
    `\t\tset found to (every event of calendar i whose uid is ${appleScriptText(uid)})`,
    "\t\tif found is not {} then",
    "\t\t\tshow item 1 of found",
    "\t\t\tactivate",
    '\t\t\treturn "shown"',
    "\t\tend if",
    "\tend repeat",
    '\treturn "missing"',
    "end tell",
  ].join("\n");
}

/**
 * Statements that set `variable` to the given local date and time, built from its components so that no
 * date string is parsed (which would depend on the system's language and region). The day is set to 1
 * before the year and month change, so that e.g. today being the 31st cannot push February 14 into March.
 */
export function appleScriptDateLines(variable: string, at: LocalDateTime, wholeDay = false): string[] {
  if (!/^[a-z][A-Za-z]*$/.test(variable)) throw new Error(`not a script variable name: ${variable}`);
  const [hours, minutes, seconds] = wholeDay ? [0, 0, 0] : [at.hour, at.minute, at.second];
  return [
    `set ${variable} to current date`,
    `set day of ${variable} to 1`,
    `set year of ${variable} to ${scriptInteger(at.year)}`,
    `set month of ${variable} to ${scriptInteger(at.month)}`,
    `set day of ${variable} to ${scriptInteger(at.day)}`,
    `set hours of ${variable} to ${scriptInteger(hours)}`,
    `set minutes of ${variable} to ${scriptInteger(minutes)}`,
    `set seconds of ${variable} to ${scriptInteger(seconds)}`,
  ];
}

/** Reads listCalendarsScript's output. */
export function parseCalendars(output: string): CalendarInfo[] {
  return parseRecords(output.trim()).map(([name = "", writable = ""], i) => ({
    index: i + 1,
    name,
    writable: writable.trim() === "true",
  }));
}

// ---------------------------------------------------------------------------------------------------------
// Actions
// ---------------------------------------------------------------------------------------------------------

/** create_calendar_event: creates the event in the named calendar, else in the first one that takes events. */
export async function addCalendarEvent(args: CreateCalendarEventArgs, ctx: MacContext): Promise<string> {
  const { start, end } = eventDates(args);
  checkInvitees(args.invitees);
  const invitees = eventInvitees(args.invitees);
  const ran = ctx.invocations.length;
  const ranSoFar = () => ctx.invocations.slice(ran);

  const calendars = parseCalendars(await runDataScript(ctx, "Calendar", listCalendarsScript()));
  const choice = await chooseCalendar(calendars, args.calendar, ctx, ranSoFar);
  const output = await runDataScript(ctx, "Calendar", createCalendarEventScript(args, choice.target));
  const [uid] = createdFields(output, {
    app: "Calendar",
    what: "calendars",
    count: 1,
    target: choice.target,
    ranSoFar,
  });

  const where = choice.byDefault
    ? `the ${choice.target.name} calendar (no calendar was named, so the first one that takes new events was used)`
    : `the ${choice.target.name} calendar`;
  const invited = invitees.length > 0 ? `, inviting ${invitees.join(", ")}` : "";
  return `Created the event "${args.title}" on ${formatLocal(start)} to ${formatLocal(end)} in ${where}${invited}. Event id: ${uid}`;
}

/** Opens an event created earlier (by the uid in the observation) in Calendar. */
export async function showCalendarEvent(uid: string, ctx: MacContext): Promise<string> {
  const output = await runDataScript(ctx, "Calendar", showCalendarEventScript(uid));
  if (output.trim() !== "shown") {
    throw new ToolError("not-found", `Calendar has no event with the id ${uid}. It may have been deleted.`, {
      invocations: ctx.invocations.slice(-1),
    });
  }
  return `Opened the event in Calendar.`;
}

/** Both dates, read before anything runs; an event may not end before it starts. */
function eventDates(args: CreateCalendarEventArgs): { start: LocalDateTime; end: LocalDateTime } {
  const start = requireDateTime(args.start_date, "start date");
  const end = requireDateTime(args.end_date, "end date");
  if (compareLocal(end, start) < 0) {
    throw new ToolError(
      "failed",
      `The event would end (${args.end_date}) before it starts (${args.start_date}). Nothing was created: fix the times and try again.`,
    );
  }
  return { start, end };
}

/**
 * The invitees as the script writes them: trimmed, and without blank entries (planners write `[""]` for
 * "nobody").
 */
export function eventInvitees(invitees: readonly string[]): string[] {
  return invitees.map((invitee) => invitee.trim()).filter((invitee) => invitee !== "");
}

/** Attendees must be email addresses: a name ("Sid") would become an attendee that can never be invited. */
export function checkInvitees(invitees: readonly string[]): void {
  const invalid = eventInvitees(invitees).filter((email) => !isEmailAddress(email));
  if (invalid.length === 0) return;
  const listed = invalid.map((text) => `"${text}"`).join(", ");
  const verb = invalid.length === 1 ? "is not an email address" : "are not email addresses";
  throw new ToolError(
    "wrong-kind",
    `${listed} ${verb}. Look invitees up with get_email_address first. Nothing was created.`,
  );
}

interface CalendarChoice {
  target: CalendarTarget;
  /** True when no calendar was named and the first writable one was taken. */
  byDefault: boolean;
}

/**
 * The named calendar (matched without regard to case), else the first calendar that takes new events.
 * Calendar's scripting has no "default calendar" property, and its Settings › Default Calendar choice lives
 * in Calendar's sandboxed preferences, which are not a stable interface; so the first writable calendar in
 * Calendar's own order is used, and the observation says which one it was.
 */
async function chooseCalendar(
  calendars: CalendarInfo[],
  wanted: string | null,
  ctx: MacContext,
  ranSoFar: () => Invocation[],
): Promise<CalendarChoice> {
  const writable = calendars.filter((calendar) => calendar.writable);
  const name = (wanted ?? "").trim();
  if (name === "") {
    const first = writable[0];
    if (!first) {
      throw new ToolError(
        "failed",
        "Calendar has no calendar that new events can be added to. Create one in Calendar (File › New Calendar), then try again.",
        { invocations: ranSoFar() },
      );
    }
    return { target: { index: first.index, name: first.name }, byDefault: true };
  }
  const named = calendars.filter((calendar) => sameName(calendar.name, name));
  if (named.length === 0) {
    throw new ToolError(
      "not-found",
      `There is no calendar named "${name}". Calendars you can add to: ${listOrNone(writable.map((c) => c.name))}.`,
      { invocations: ranSoFar() },
    );
  }
  const candidates = named.filter((calendar) => calendar.writable);
  if (candidates.length === 0) {
    throw new ToolError(
      "failed",
      `The calendar "${named[0]!.name}" is read-only (holidays, birthdays and subscribed calendars cannot take new events). Choose another calendar: ${listOrNone(writable.map((c) => c.name))}.`,
      { invocations: ranSoFar() },
    );
  }
  const picked = await pickOne(candidates, name, ctx, {
    app: "Calendar",
    question: `Several calendars are named "${name}". Which one should the event go in?`,
    what: "calendars",
    ranSoFar,
  });
  return { target: { index: picked.index, name: picked.name }, byDefault: false };
}

// ---------------------------------------------------------------------------------------------------------
// Shared with reminders.ts: names, choices, output markers, dates and permissions.
// ---------------------------------------------------------------------------------------------------------

/** Compares names the way a person means them: case and Unicode composition do not matter. */
export function sameName(a: string, b: string): boolean {
  return a.trim().normalize("NFC").toLowerCase() === b.trim().normalize("NFC").toLowerCase();
}

/**
 * One of several same-named candidates: the one whose name matches exactly (with case) if there is just
 * one, else the person's choice. Never the first silently.
 */
export async function pickOne<T extends { index: number; name: string }>(
  candidates: T[],
  wanted: string,
  ctx: MacContext,
  ask: { app: string; question: string; what: string; ranSoFar: () => Invocation[] },
): Promise<T> {
  if (candidates.length === 1) return candidates[0]!;
  const exact = candidates.filter((candidate) => candidate.name === wanted.trim());
  if (exact.length === 1) return exact[0]!;
  const chosen = await chooseOffered(ctx, {
    question: ask.question,
    options: candidates.map((candidate) => ({
      label: candidate.name,
      value: String(candidate.index),
      detail: `number ${candidate.index} among the ${ask.what} in ${ask.app}`,
    })),
  });
  const picked = candidates.find((candidate) => String(candidate.index) === chosen);
  if (!picked) {
    const positions = candidates.map((candidate) => candidate.index).join(", ");
    throw new ToolError(
      "ambiguous",
      `Several ${ask.what} in ${ask.app} are named "${wanted.trim()}" (numbers ${positions} among them). Choose one when asked, or rename one of them in ${ask.app}.`,
      { invocations: ask.ranSoFar() },
    );
  }
  return picked;
}

/**
 * Reads a creating script's answer, `created<FIELD>value...`, and returns the values (at least `count`).
 * `changed<FIELD>name` means the calendars or lists changed between the listing and the creation, so
 * nothing was created.
 */
export function createdFields(
  output: string,
  answer: {
    app: string;
    what: string;
    count: number;
    target: { index: number; name: string } | "default";
    ranSoFar: () => Invocation[];
  },
): string[] {
  const [status, ...values] = parseRecords(output.trim())[0] ?? [];
  if (status === "created" && values.length >= answer.count && values.every((value) => value !== "")) {
    return values;
  }
  const { app, what, target } = answer;
  if (status === "changed" && target !== "default") {
    throw new ToolError(
      "failed",
      `The ${what} in ${app} changed while this ran (number ${target.index} is now "${values[0] ?? ""}", not "${target.name}"). Nothing was created: try again.`,
      { invocations: answer.ranSoFar() },
    );
  }
  throw new ToolError(
    "failed",
    `${app} gave an answer TinyAgent does not understand: "${output.trim()}". Check in ${app} whether it was created before trying again.`,
    { invocations: answer.ranSoFar() },
  );
}

/**
 * Runs a Calendar or Reminders script. Denied Automation (-1743) already comes back from runScript as a
 * permission error naming the Automation pane, which is the right fix for it. Denied access to the data
 * itself comes back as a plain failure whose text says so; it is re-thrown naming the Calendars or Reminders
 * privacy pane.
 */
export async function runDataScript(
  ctx: MacContext,
  app: "Calendar" | "Reminders",
  script: string,
): Promise<string> {
  try {
    return await ctx.system.runScript(app, script, ctx.signal);
  } catch (error) {
    throw dataAccessError(error, app) ?? error;
  }
}

/**
 * Error texts that mean the data, not the app, is off limits: EventKit's "not authorized" error (29) and
 * the wordings macOS uses for denied calendar and reminder access.
 */
const DATA_ACCESS_DENIED = [
  /EKErrorDomain error 29\b/i,
  /not (?:been )?(?:authori[sz]ed|allowed|granted) (?:to )?access/i,
  /access (?:to (?:your |the )?(?:calendars?|reminders?|events?) )?(?:is |was |has been )?(?:denied|restricted|not granted)/i,
  /(?:calendars?|reminders?) access (?:is |was |has been )?(?:denied|restricted|not granted)/i,
];

export function dataAccessError(error: unknown, app: "Calendar" | "Reminders"): ToolError | undefined {
  if (!(error instanceof ToolError) || error.code !== "failed") return undefined;
  if (!DATA_ACCESS_DENIED.some((pattern) => pattern.test(error.message))) return undefined;
  const pane: SettingsPane = app === "Calendar" ? SETTINGS.calendars : SETTINGS.reminders;
  const data = app === "Calendar" ? "calendars" : "reminders";
  return new ToolError(
    "permission",
    `macOS did not let TinyAgent use your ${data}. Allow it in System Settings › ${pane.name} (for Raycast or your terminal), then try again.`,
    { invocations: error.invocations, settings: pane, cause: error },
  );
}

/** A plan date with a time of day, or a ToolError saying how to write it. */
export function requireDateTime(text: string, what: string): LocalDateTime {
  const parsed = parseLocalDateTime(text);
  if (!parsed?.hasTime)
    throw new ToolError("failed", `The ${what} "${text}" is not a date. Write it as YYYY-MM-DD HH:MM:SS.`);
  return parsed;
}

/** `YYYY-MM-DD HH:MM:SS`, the plan language's date format (DESIGN §4). */
export function formatLocal(at: LocalDateTime, withTime = true): string {
  const two = (n: number) => String(n).padStart(2, "0");
  const day = `${String(at.year).padStart(4, "0")}-${two(at.month)}-${two(at.day)}`;
  return withTime ? `${day} ${two(at.hour)}:${two(at.minute)}:${two(at.second)}` : day;
}

function compareLocal(a: LocalDateTime, b: LocalDateTime): number {
  const key = (d: LocalDateTime) => [d.year, d.month, d.day, d.hour, d.minute, d.second];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
  return 0;
}

/** A whole number written into a script: only ever one of ours, checked so no other text can get in. */
export function scriptInteger(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
}

/** Text worth writing: null, "" and whitespace-only mean "none" in plans. */
export function given(text: string | null | undefined): text is string {
  return text !== null && text !== undefined && text.trim() !== "";
}

export function listOrNone(names: string[]): string {
  return names.length > 0 ? names.join(", ") : "none";
}
