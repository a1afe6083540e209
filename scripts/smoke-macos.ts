/**
 * Checks the macOS actions against the real apps on this Mac: creates, reads back and deletes a test note,
 * a reminder and a calendar event, printing one line per check.
 *
 *   npx tsx scripts/smoke-macos.ts        (npm run smoke:macos)
 *
 * macOS asks once for each app ("Terminal wants to control Notes"): allow it. Everything the script creates
 * is deleted again, also when a check fails; a note goes to Notes' Recently Deleted folder.
 */
import { appleScriptText } from "../src/tools/macos/applescript-text";
import type { MacContext } from "../src/tools/macos/mac-context";
import { createMacSystem } from "../src/tools/macos/mac-system";
import {
  appendNoteContent,
  createNote,
  listNotesScript,
  openNote,
  parseNotesListing,
  type NotesListing,
} from "../src/tools/macos/notes";
import { FIELD } from "../src/tools/macos/osascript";

let failures = 0;

function pass(what: string): void {
  console.log(`✓ ${what}`);
}

function fail(what: string, why: unknown): void {
  failures++;
  console.log(`✗ ${what}: ${why instanceof Error ? why.message : String(why)}`);
}

/** Runs one check; a failure is printed and counted, and the run goes on (so the cleanup still happens). */
async function check<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    const result = await run();
    pass(what);
    return result;
  } catch (error) {
    fail(what, error);
    return undefined;
  }
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

function context(): MacContext {
  return {
    system: createMacSystem(),
    signal: AbortSignal.timeout(5 * 60_000),
    // Nothing here should need a choice: the test note's title is unique.
    choose: async () => undefined,
    preferences: { messagesDraftOnly: true, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone },
    invocations: [],
  };
}

const two = (n: number) => String(n).padStart(2, "0");

/** Local date parts of a Date, for building AppleScript dates from components. */
interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function tomorrowAt(hour: number, minute: number): Parts {
  const date = new Date();
  date.setDate(date.getDate() + 1);
  return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate(), hour, minute };
}

/** Sets `name` to a date built from components (day 1 first, so no month overflows); locale plays no part. */
function dateLines(name: string, parts: Parts): string {
  return [
    `set ${name} to current date`,
    `set day of ${name} to 1`,
    `set year of ${name} to ${parts.year}`,
    `set month of ${name} to ${parts.month}`,
    `set day of ${name} to ${parts.day}`,
    `set hours of ${name} to ${parts.hour}`,
    `set minutes of ${name} to ${parts.minute}`,
    `set seconds of ${name} to 0`,
  ].join("\n");
}

/** Prints a date's components as numbers: "2025-5-2-10-0". */
const DATE_PARTS_HANDLER = `on partsOf(d)
  return ((year of d) as text) & "-" & (((month of d) as integer) as text) & "-" & ((day of d) as text) & "-" & ((hours of d) as text) & "-" & ((minutes of d) as text)
end partsOf`;

const partsText = (p: Parts) => `${p.year}-${p.month}-${p.day}-${p.hour}-${p.minute}`;

// ---------------------------------------------------------------------------------------------------------
// Notes: through the real actions.

async function notesChecks(ctx: MacContext, stamp: string): Promise<void> {
  const title = `TinyAgent smoke test ${stamp}`;
  const content = 'First line & <second> "line"\nLast line';
  const added = "Appended by the smoke test";
  let noteId: string | undefined;
  try {
    await check("Notes: create a note in the default folder", () =>
      createNote({ name: title, content, folder: "" }, ctx),
    );
    const listing = await check("Notes: the new note is listed once, with its title", async () => {
      const found = await findTestNotes(ctx, title);
      expectEqual(found.notes.length, 1, "notes with the test title");
      noteId = found.notes[0]!.id;
      return found.listing;
    });
    await check("Notes: open the note and read its content", async () => {
      expectEqual(await openNote({ name: title, folder: null }, ctx), content, "content");
    });
    const defaultFolder = listing?.folders.find((folder) => folder.id === listing.defaultFolderId);
    if (defaultFolder) {
      await check(`Notes: open it by folder ("${defaultFolder.name}", any case)`, async () => {
        const text = await openNote(
          { name: title.toUpperCase(), folder: defaultFolder.name.toLowerCase() },
          ctx,
        );
        expectEqual(text, content, "content");
      });
    }
    await check("Notes: append a line and read it back", async () => {
      await appendNoteContent({ name: title, content: added, folder: "" }, ctx);
      expectEqual(await openNote({ name: title, folder: "" }, ctx), `${content}\n${added}`, "content");
    });
  } finally {
    const ids = noteId
      ? [noteId]
      : (await findTestNotes(ctx, title).catch(() => undefined))?.notes.map((n) => n.id);
    for (const id of ids ?? []) {
      await check("Notes: delete the test note", () =>
        ctx.system.runScript(
          "Notes",
          `tell application "Notes" to delete note id ${appleScriptText(id)}`,
          ctx.signal,
        ),
      );
    }
    await check("Notes: the test note is gone", async () => {
      expectEqual((await findTestNotes(ctx, title)).notes.length, 0, "notes with the test title left");
    });
  }
}

async function findTestNotes(
  ctx: MacContext,
  title: string,
): Promise<{ listing: NotesListing; notes: NotesListing["notes"] }> {
  const listing = parseNotesListing(await ctx.system.runScript("Notes", listNotesScript(), ctx.signal));
  return { listing, notes: listing.notes.filter((note) => note.name === title) };
}

// ---------------------------------------------------------------------------------------------------------
// Reminders: scripts written here, so this check does not depend on the reminders action.

async function remindersChecks(ctx: MacContext, stamp: string): Promise<void> {
  const name = `TinyAgent smoke test ${stamp}`;
  const due = tomorrowAt(9, 0);
  let reminderId: string | undefined;
  try {
    reminderId = await check("Reminders: create a reminder due tomorrow in the default list", async () => {
      const script = `${dateLines("dueDate", due)}
tell application "Reminders"
  tell default list
    set theReminder to make new reminder with properties {name:${appleScriptText(name)}, due date:dueDate}
  end tell
  return id of theReminder
end tell`;
      const id = await ctx.system.runScript("Reminders", script, ctx.signal);
      if (id === "") throw new Error("Reminders returned no id");
      return id;
    });
    if (reminderId) {
      const id = reminderId;
      await check("Reminders: the reminder exists with its name and due date", async () => {
        const script = `set FS to character id 31
tell application "Reminders"
  set theReminder to reminder id ${appleScriptText(id)}
  return (name of theReminder) & FS & my partsOf(due date of theReminder)
end tell
${DATE_PARTS_HANDLER}`;
        const [actualName, actualDue] = (await ctx.system.runScript("Reminders", script, ctx.signal)).split(
          FIELD,
        );
        expectEqual(actualName, name, "name");
        expectEqual(actualDue, partsText(due), "due date");
      });
    }
  } finally {
    if (reminderId) {
      const id = reminderId;
      await check("Reminders: delete the test reminder", () =>
        ctx.system.runScript(
          "Reminders",
          `tell application "Reminders" to delete reminder id ${appleScriptText(id)}`,
          ctx.signal,
        ),
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Calendar: scripts written here too.

async function calendarChecks(ctx: MacContext, stamp: string): Promise<void> {
  const title = `TinyAgent smoke test ${stamp}`;
  const start = tomorrowAt(10, 0);
  const end = tomorrowAt(10, 30);
  let created: { uid: string; calendar: string } | undefined;
  try {
    created = await check(
      "Calendar: create an event tomorrow 10:00–10:30 in the first writable calendar",
      async () => {
        const script = `${dateLines("startDate", start)}
${dateLines("endDate", end)}
set FS to character id 31
tell application "Calendar"
  set theCalendar to missing value
  repeat with aCalendar in calendars
    if writable of aCalendar then
      set theCalendar to contents of aCalendar
      exit repeat
    end if
  end repeat
  if theCalendar is missing value then return ""
  set theEvent to make new event at end of events of theCalendar with properties {summary:${appleScriptText(title)}, start date:startDate, end date:endDate}
  return (uid of theEvent) & FS & (name of theCalendar)
end tell`;
        const [uid, calendar] = (await ctx.system.runScript("Calendar", script, ctx.signal)).split(FIELD);
        if (!uid || calendar === undefined)
          throw new Error("no writable calendar, or Calendar returned no event id");
        return { uid, calendar };
      },
    );
    if (created) {
      const { uid, calendar } = created;
      await check(`Calendar: the event exists in "${calendar}" with its title and times`, async () => {
        const script = `set FS to character id 31
tell application "Calendar"
  repeat with aCalendar in (calendars whose name is ${appleScriptText(calendar)})
    set found to (every event of aCalendar whose uid is ${appleScriptText(uid)})
    if found is not {} then
      set theEvent to item 1 of found
      return (summary of theEvent) & FS & my partsOf(start date of theEvent) & FS & my partsOf(end date of theEvent)
    end if
  end repeat
end tell
return ""
${DATE_PARTS_HANDLER}`;
        const fields = (await ctx.system.runScript("Calendar", script, ctx.signal)).split(FIELD);
        expectEqual(fields, [title, partsText(start), partsText(end)], "title, start and end");
      });
    }
  } finally {
    if (created) {
      const { uid, calendar } = created;
      await check("Calendar: delete the test event", () =>
        ctx.system.runScript(
          "Calendar",
          `tell application "Calendar"
  repeat with aCalendar in (calendars whose name is ${appleScriptText(calendar)})
    delete (every event of aCalendar whose uid is ${appleScriptText(uid)})
  end repeat
end tell`,
          ctx.signal,
        ),
      );
    }
  }
}

async function main(): Promise<void> {
  if (process.platform !== "darwin") {
    console.error(
      "smoke:macos checks the real Notes, Reminders and Calendar apps, so it runs only on macOS.",
    );
    process.exit(2);
  }
  const now = new Date();
  const stamp = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  const ctx = context();
  await notesChecks(ctx, stamp);
  await remindersChecks(ctx, stamp);
  await calendarChecks(ctx, stamp);
  console.log(
    failures === 0 ? "All checks passed." : `${failures} check${failures === 1 ? "" : "s"} failed.`,
  );
  process.exit(failures === 0 ? 0 : 1);
}

main().catch((error: unknown) => {
  fail("smoke test", error);
  process.exit(1);
});
