import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Choice, Invocation, ToolContext } from "../../src/tools/backend";
import { MDFIND, STAT } from "../../src/tools/macos/files";
import { MacBackend } from "../../src/tools/macos/mac-backend";
import { listCalendarsScript } from "../../src/tools/macos/calendar";
import { contactQuery } from "../../src/tools/macos/contacts";
import { linesHtml, listNoteFoldersScript, listNotesScript, noteBodyHtml } from "../../src/tools/macos/notes";
import { FIELD, RECORD } from "../../src/tools/macos/osascript";
import { listReminderListsScript } from "../../src/tools/macos/reminders";
import { selectedEmailsScript } from "../../src/tools/macos/mail";
import { zoomMeetingBody, zoomMeetingRequest } from "../../src/tools/macos/zoom";
import { createFixtureWorld } from "../../src/tools/recording/fixture-world";
import { DRY_RUN_ZOOM_TOKEN, RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import { ToolError } from "../../src/tools/tool-error";
import { expectExit, parseReport, runCli, scratchDir, stepOf, type JsonReport } from "../cli/helpers";
import { decodeScript } from "../macos/applescript-decoder";
import { FakeSystem, type FakeAnswers } from "../macos/fake-system";

/*
 * The recording backend (dry runs, Linux, tests) must record exactly what the Mac backend would run. Each
 * test runs one call through both: the RecordingBackend over the fixture world, and the MacBackend over a
 * FakeSystem whose canned osascript / mdfind / stat answers describe the same fixture (printed with the
 * FIELD and RECORD separators, as the scripts print them). The two invocation lists must be equal.
 */

const HOME = "/Users/alex";
const TIME_ZONE = "Europe/Paris";
const F = FIELD;
const R = RECORD;
const world = createFixtureWorld();

beforeAll(() => {
  // The Mac backend searches and expands `~` in the home folder of whoever runs it: the fixture Mac's.
  vi.stubEnv("HOME", HOME);
});
afterAll(() => {
  vi.unstubAllEnvs();
});

// ---------------------------------------------------------------------------------------------------------
// The fixture, as the Mac's apps would print it.

const person = (first: string, last: string) =>
  world.contacts.find((c) => c.firstName === first && c.lastName === last)!;

/** A person as the Contacts lookup script prints them: id, name, first, last, nickname, label/value pairs. */
function contactRecord(first: string, last: string, values: [label: string, value: string][]): string {
  const c = person(first, last);
  return [c.id!, `${first} ${last}`, first, last, c.nickname ?? "", ...values.flat()].join(F) + R;
}

const CALENDARS = `Home${F}true${R}Work${F}true${R}Holidays${F}false${R}`;
const REMINDER_LISTS = `Reminders${R}Groceries${R}Work${R}`;

function folderId(name: string): string {
  return world.noteFolders.find((f) => f.name === name)!.id!;
}

function noteId(name: string): string {
  return world.notes.find((n) => n.name === name)!.id!;
}

/** The Notes inventory: default account and folder, each folder, and (for listNotesScript) each note. */
function notesListing(withNotes: boolean): string {
  const records: string[][] = [["default", "iCloud", folderId("Notes")]];
  for (const folder of world.noteFolders) {
    records.push(["folder", folder.id!, folder.name, folder.account]);
    if (!withNotes) continue;
    for (const note of world.notes.filter((n) => n.folder === folder.name && n.account === folder.account)) {
      records.push(["note", note.id!, note.name, folder.id!]);
    }
  }
  return records.map((fields) => fields.join(F)).join(R);
}

/** What `stat -L -f %HT` prints for the fixture's files and folders; anything else fails, as stat does. */
function statAnswer(path: string): string {
  if (world.files.some((f) => f.path === path)) return "Regular File\n";
  if (path === HOME || world.files.some((f) => f.path.startsWith(`${path}/`))) return "Directory\n";
  throw new Error(`stat: ${path}: stat: No such file or directory`);
}

/** mdfind's `-0` output for the given paths. */
const found = (...paths: string[]) => paths.map((path) => `${path}\0`).join("");

// ---------------------------------------------------------------------------------------------------------
// Running one call through both backends.

function call(tool: string, args: Record<string, unknown>) {
  const definition = defaultRegistry.get(tool);
  if (!definition) throw new Error(`no tool ${tool}`);
  return { tool: definition, args: definition.args.parse(args) as Record<string, unknown> };
}

interface Side {
  invocations: Invocation[];
  observation?: string;
  error?: ToolError;
  choices: Choice[];
}

async function runOn(
  backend: RecordingBackend | MacBackend,
  tool: string,
  args: Record<string, unknown>,
  answer?: (choice: Choice) => string | undefined,
): Promise<Side> {
  const choices: Choice[] = [];
  const context: ToolContext = {
    signal: new AbortController().signal,
    choose: async (choice) => {
      choices.push(choice);
      return answer?.(choice);
    },
  };
  try {
    const result = await backend.run(call(tool, args), context);
    return { invocations: result.invocations, observation: result.observation, choices };
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    return { invocations: error.invocations, error, choices };
  }
}

interface Options {
  mac: FakeAnswers;
  choose?: (choice: Choice) => string | undefined;
  draftOnly?: boolean;
}

async function both(tool: string, args: Record<string, unknown>, options: Options) {
  const recording = new RecordingBackend({
    world: createFixtureWorld(),
    timeZone: TIME_ZONE,
    messagesDraftOnly: options.draftOnly ?? false,
  });
  const system = new FakeSystem(options.mac);
  const mac = new MacBackend({
    system,
    preferences: { messagesDraftOnly: options.draftOnly ?? false, timeZone: TIME_ZONE },
    zoomAuth: { accessToken: async () => "a-real-token" },
  });
  const recorded = await runOn(recording, tool, args, options.choose);
  const ran = await runOn(mac, tool, args, options.choose);
  return { recorded, ran, recording, system };
}

/** Both succeed, with the same invocations (at least one). */
async function same(tool: string, args: Record<string, unknown>, options: Options) {
  const result = await both(tool, args, options);
  const { recorded, ran } = result;
  expect(ran.error, `the Mac backend failed: ${ran.error?.message}`).toBeUndefined();
  expect(recorded.error, `the recording backend failed: ${recorded.error?.message}`).toBeUndefined();
  expect(recorded.invocations.length).toBeGreaterThan(0);
  expect(recorded.invocations).toEqual(ran.invocations);
  expect(recorded.choices.map((c) => c.options.map((o) => o.label))).toEqual(
    ran.choices.map((c) => c.options.map((o) => o.label)),
  );
  return result;
}

/** Both fail with the same code, having run the same invocations first. */
async function sameFailure(tool: string, args: Record<string, unknown>, options: Options) {
  const result = await both(tool, args, options);
  const { recorded, ran } = result;
  expect(ran.error, "the Mac backend should fail").toBeDefined();
  expect(recorded.error, "the recording backend should fail").toBeDefined();
  expect(recorded.error!.code).toBe(ran.error!.code);
  expect(recorded.invocations).toEqual(ran.invocations);
  return result;
}

const pick = (label: string) => (choice: Choice) => choice.options.find((o) => o.label === label)?.value;

// ---------------------------------------------------------------------------------------------------------

describe("contacts", () => {
  const sid = contactRecord("Sid", "Mehta", [["_$!<Work>!$_", "sid.mehta@example.com"]]);

  it("get_email_address: the same lookup script", async () => {
    const { recorded } = await same(
      "get_email_address",
      { name: "  Sid   Mehta " },
      { mac: { script: () => sid } },
    );
    expect(recorded.observation).toBe("sid.mehta@example.com");
  });

  it("get_phone_number: the same lookup script, the same question for two numbers", async () => {
    const lutfi = contactRecord("Lutfi", "Demir", [
      ["_$!<Mobile>!$_", "+1 (510) 555-0199"],
      ["_$!<Work>!$_", "+1 (510) 555-0100"],
    ]);
    const { recorded, ran } = await same(
      "get_phone_number",
      { name: "Lutfi" },
      { mac: { script: () => lutfi }, choose: (choice) => choice.options[1]!.value },
    );
    expect(recorded.observation).toBe("+1 (510) 555-0100");
    expect(ran.observation).toBe("+1 (510) 555-0100");
  });

  it("asks which Alex with the same options (ids as values), and looks up the same way", async () => {
    const alexes =
      contactRecord("Alex", "Chen", [["_$!<Work>!$_", "alex.chen@example.com"]]) +
      contactRecord("Alex", "Rivera", [["_$!<Home>!$_", "arivera@example.net"]]);
    const { recorded, ran } = await same(
      "get_email_address",
      { name: "Alex" },
      { mac: { script: () => alexes }, choose: pick("Alex Rivera") },
    );
    expect(recorded.choices[0]!.options).toEqual(ran.choices[0]!.options);
    expect(recorded.observation).toBe("arivera@example.net");
  });

  it("an unknown name fails after the same script", async () => {
    await sameFailure("get_email_address", { name: 'Zed " & (do shell script "id") & "' }, { mac: {} });
  });
});

describe("messages", () => {
  const args = {
    recipients: ["+1 (415) 555-0142", "sid.mehta@example.com"],
    message: 'On my way "now" \\ 🚲',
  };

  it("send_sms: the same sending script", async () => {
    await same("send_sms", args, {
      mac: {
        script: () => `+14155550142${F}sent${F}iMessage${R}sid.mehta@example.com${F}sent${F}iMessage${R}`,
      },
    });
  });

  it("send_sms with the draft-only preference: the same sms: URL, nothing sent", async () => {
    const { recorded } = await same("send_sms", args, { mac: {}, draftOnly: true });
    expect(recorded.invocations.map((i) => i.kind)).toEqual(["url"]);
  });

  it("a recipient that is not a number fails before anything runs, on both", async () => {
    const { recorded } = await sameFailure("send_sms", { recipients: ["Sid"], message: "hi" }, { mac: {} });
    expect(recorded.invocations).toEqual([]);
  });
});

describe("calendar", () => {
  const event = (calendar: string | null) => ({
    title: 'Review "Q3" & plan',
    start_date: "2025-06-13 15:00:00",
    end_date: "2025-06-13 16:00:00",
    location: "Room 4 'B'",
    invitees: ["sid.mehta@example.com", ""],
    notes: "Bring\nthe deck",
    calendar,
  });
  const calendarMac: FakeAnswers = {
    script: (_, script) => (script === listCalendarsScript() ? CALENDARS : `created${F}EVENT-UID-1`),
  };

  it("create_calendar_event in a named calendar: listing, then creation at its position", async () => {
    const { recording } = await same("create_calendar_event", event("work"), { mac: calendarMac });
    expect(recording.world.events.map((e) => e.calendar)).toEqual(["Work"]);
  });

  it("create_calendar_event with no calendar named: the first writable one, as on the Mac", async () => {
    for (const calendar of [null, "", "  "]) {
      const { recording } = await same("create_calendar_event", event(calendar), { mac: calendarMac });
      expect(recording.world.events.map((e) => e.calendar)).toEqual([recording.world.defaultCalendar]);
    }
  });

  it("a read-only or unknown calendar fails after the listing only", async () => {
    for (const calendar of ["Holidays", "Nope"]) {
      const { recorded } = await sameFailure("create_calendar_event", event(calendar), { mac: calendarMac });
      expect(recorded.invocations).toEqual([
        { kind: "applescript", script: listCalendarsScript(), argv: [] },
      ]);
    }
  });

  it("an event that ends before it starts, or a name as invitee, fails before anything runs", async () => {
    await sameFailure(
      "create_calendar_event",
      { ...event(null), end_date: "2025-06-13 14:00:00" },
      { mac: calendarMac },
    );
    await sameFailure("create_calendar_event", { ...event(null), invitees: ["Sid"] }, { mac: calendarMac });
  });
});

describe("reminders", () => {
  const reminder = (list_name: string, all_day = false) => ({
    name: 'Pay "rent"',
    due_date: "2025-07-01 09:00:00",
    notes: "$1,200\nby transfer",
    list_name,
    priority: 1,
    all_day,
  });
  const remindersMac: FakeAnswers = {
    script: (_, script) =>
      script === listReminderListsScript() ? REMINDER_LISTS : `created${F}Work${F}x-apple-reminder://R1`,
  };

  it("create_reminder in a named list: listing, then creation at its position", async () => {
    const { recorded } = await same("create_reminder", reminder("work"), { mac: remindersMac });
    expect(recorded.invocations).toHaveLength(2);
  });

  it("create_reminder in the default list: the creating script alone, no listing", async () => {
    const { recorded } = await same("create_reminder", reminder("", true), {
      mac: { script: () => `created${F}Reminders${F}x-apple-reminder://R2` },
    });
    expect(recorded.invocations).toHaveLength(1);
  });

  it("an unknown list fails after the listing", async () => {
    await sameFailure("create_reminder", reminder("Nope"), { mac: remindersMac });
  });
});

describe("mail", () => {
  const DECK = `${HOME}/Documents/Q3 Deck.pdf`;
  const LEASE = `${HOME}/Documents/Lease "final" v2.pdf`;
  const selected = `41872${F}Sid Mehta <sid.mehta@example.com>${F}Q3 planning${R}`;
  const mailMac = (draft: string): FakeAnswers => ({
    exec: (file, argv) => (file === STAT ? statAnswer(argv.at(-1)!) : ""),
    script: (_, script) => (script === selectedEmailsScript() ? selected : draft),
  });

  it("compose_new_email with attachments: stat for each, then the drafting script", async () => {
    const { recorded } = await same(
      "compose_new_email",
      {
        recipients: ["sid.mehta@example.com", " "],
        cc: ["lutfi.demir@example.com"],
        subject: 'Q3 "deck" & notes',
        context: "Hi Sid,\r\n\r\n\r\nhere it is.   \n",
        attachments: ["~/Documents/Q3 Deck.pdf", LEASE],
      },
      { mac: mailMac("") },
    );
    expect(recorded.invocations.map((i) => i.kind)).toEqual(["command", "command", "applescript"]);
    expect(recorded.invocations[0]).toEqual({
      kind: "command",
      file: STAT,
      argv: ["-L", "-f", "%HT", "--", DECK],
    });
  });

  it("reply_to_email: stat, the selection script, then the reply script for the selected email's id", async () => {
    await same(
      "reply_to_email",
      { cc: ["lutfi.demir@example.com"], context: "Thanks, will do.", attachments: [DECK] },
      { mac: mailMac(`done${F}sid.mehta@example.com${F}Re: Q3 planning`) },
    );
  });

  it("forward_email: the selection script, then the forward script", async () => {
    await same(
      "forward_email",
      { recipients: ["lutfi.demir@example.com"], cc: [], context: "FYI", attachments: [] },
      { mac: mailMac(`done${F}lutfi.demir@example.com${F}Fwd: Q3 planning`) },
    );
  });

  it("a missing attachment fails after its stat, before Mail is touched", async () => {
    const { recorded } = await sameFailure(
      "compose_new_email",
      {
        recipients: ["a@example.com"],
        cc: [],
        subject: "x",
        context: "y",
        attachments: [DECK, "/tmp/nope.pdf"],
      },
      { mac: mailMac("") },
    );
    expect(recorded.invocations.map((i) => i.kind)).toEqual(["command", "command"]);
  });
});

describe("files", () => {
  const DECK = `${HOME}/Documents/Q3 Deck.pdf`;
  const REPORTS = [`${HOME}/Documents/Project Report.pdf`, `${HOME}/Downloads/Project Report (1).pdf`];
  const spotlight = (answers: Record<string, string>): FakeAnswers => ({
    exec: (file, argv) => {
      if (file === MDFIND) return answers[argv.at(-1)!] ?? "";
      if (file === STAT) return statAnswer(argv.at(-1)!);
      return "";
    },
  });

  it("open_and_get_file_path: Spotlight by name, then open", async () => {
    const { recorded } = await same(
      "open_and_get_file_path",
      { file_name: "Q3 Deck" },
      { mac: spotlight({ 'kMDItemFSName == "*Q3*"cd && kMDItemFSName == "*Deck*"cd': found(DECK) }) },
    );
    expect(recorded.observation).toBe(DECK);
  });

  it("by content when no name matches", async () => {
    const { recorded } = await same(
      "open_and_get_file_path",
      { file_name: "planner beta" },
      {
        mac: spotlight({
          'kMDItemTextContent == "planner"cdw && kMDItemTextContent == "beta"cdw': found(DECK),
        }),
      },
    );
    expect(recorded.invocations.map((i) => (i as { file: string }).file)).toEqual([
      MDFIND,
      MDFIND,
      "/usr/bin/open",
    ]);
  });

  it("an existing path: stat, then open", async () => {
    await same("open_and_get_file_path", { file_name: "~/Documents/Q3 Deck.pdf" }, { mac: spotlight({}) });
  });

  it("several matches: the same question, then the chosen file is opened", async () => {
    const { recorded } = await same(
      "open_and_get_file_path",
      { file_name: "report" },
      {
        mac: spotlight({ 'kMDItemFSName == "*report*"cd': found(...REPORTS) }),
        choose: pick("Project Report (1).pdf"),
      },
    );
    expect(recorded.observation).toBe(REPORTS[1]);
  });

  it("nothing found: both searches, then not-found", async () => {
    await sameFailure("open_and_get_file_path", { file_name: "$(whoami)" }, { mac: spotlight({}) });
  });

  it("summarize_pdf records nothing on either side (reading a file is not an invocation)", async () => {
    const { recorded } = await sameFailure("summarize_pdf", { pdf_path: "/nope.pdf" }, { mac: {} });
    expect(recorded.invocations).toEqual([]);
  });
});

describe("maps", () => {
  it("maps_open_location: the same URL", async () => {
    await same("maps_open_location", { location: "Tom & Jerry's #1 Café? 🍕" }, { mac: {} });
  });

  it("maps_show_directions: the same URL, with and without a start", async () => {
    for (const start of ["Home", "", "  "]) {
      await same(
        "maps_show_directions",
        { start_location: start, end_location: 'Café "Zinc" & Co', transport: "r" },
        { mac: {} },
      );
    }
  });
});

describe("notes", () => {
  const notesMac = (answer: string): FakeAnswers => ({
    script: (_, script) => {
      if (script === listNotesScript()) return notesListing(true);
      if (script === listNoteFoldersScript()) return notesListing(false);
      return answer;
    },
  });

  it("create_note in a named folder: the folder listing, then creation in that folder's id", async () => {
    const { recorded } = await same(
      "create_note",
      { name: 'Trip "plan"', content: "pack <socks>\n& more", folder: "recipes" },
      { mac: notesMac(`x-coredata://X/ICNote/p500${F}Recipes${F}`) },
    );
    expect(recorded.invocations).toHaveLength(2);
    expect(decodeScript((recorded.invocations[1] as { script: string }).script).texts).toContain(
      folderId("Recipes"),
    );
  });

  it("create_note with no folder: the creating script alone, in the default folder", async () => {
    const { recorded } = await same(
      "create_note",
      { name: "Trip plan", content: "pack socks", folder: null },
      { mac: notesMac(`x-coredata://X/ICNote/p501${F}Notes${F}iCloud`) },
    );
    expect(recorded.invocations).toHaveLength(1);
    expect(recorded.observation).toBe('Created the note "Trip plan" in Notes (iCloud).');
  });

  it("open_note: the note listing, then the note opened by its id", async () => {
    const { recorded } = await same(
      "open_note",
      { name: "groceries", folder: null },
      { mac: notesMac(`open${F}Groceries\nmilk\neggs\ncoffee beans`) },
    );
    expect(decodeScript((recorded.invocations[1] as { script: string }).script).texts).toContain(
      noteId("Groceries"),
    );
    expect(recorded.observation).toBe("milk\neggs\ncoffee beans");
  });

  it("open_note offers similar titles the same way, and opens the one chosen", async () => {
    const { recorded } = await same(
      "open_note",
      { name: "meeting", folder: "Work" },
      { mac: notesMac(`open${F}Meeting notes (old)\nQ2 review.`), choose: pick("Meeting notes (old)") },
    );
    expect(recorded.observation).toBe("Q2 review.");
  });

  it("append_note_content: the note listing, then the append script for its id", async () => {
    await same(
      "append_note_content",
      { name: "Meeting notes", content: 'Decision: "ship" & <celebrate>', folder: "work" },
      { mac: notesMac("appended") },
    );
  });

  it("an unknown folder or note fails after the listing", async () => {
    await sameFailure("open_note", { name: "Groceries", folder: "Nope" }, { mac: notesMac("") });
    await sameFailure(
      "append_note_content",
      { name: "Quantum", content: "x", folder: null },
      { mac: notesMac("") },
    );
    await sameFailure("create_note", { name: "X", content: "y", folder: "Nope" }, { mac: notesMac("") });
  });
});

describe("zoom", () => {
  const args = {
    topic: 'Q3 "review" & {planning}',
    start_time: "2025-06-13 15:00:00",
    duration: 45,
    meeting_invitees: ["sid.mehta@example.com", " lutfi.demir@example.com "],
  };

  it("get_zoom_meeting_link: the same request (the token, a header, is in neither record)", async () => {
    const { recorded, system } = await same("get_zoom_meeting_link", args, {
      mac: { fetch: () => ({ join_url: "https://zoom.us/j/123456789" }) },
    });
    const request = zoomMeetingRequest(args, TIME_ZONE, DRY_RUN_ZOOM_TOKEN);
    expect(recorded.invocations).toEqual([
      { kind: "http", method: request.method, url: request.url, body: zoomMeetingBody(args, TIME_ZONE) },
    ]);
    // What the Mac really sent differs only in the Authorization header.
    const sent = system.requests[0]!;
    expect({ ...sent, headers: { ...sent.headers, Authorization: "" } }).toEqual({
      ...request,
      headers: { ...request.headers, Authorization: "" },
    });
  });

  it("a name as invitee fails before any request, on both", async () => {
    const { recorded } = await sameFailure(
      "get_zoom_meeting_link",
      { ...args, meeting_invitees: ["Sid"] },
      { mac: {} },
    );
    expect(recorded.invocations).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------
// End to end: `tinyagent run-plan --dry-run --json` shows the real scripts, for an adversarial plan.

/**
 * Breaks naive AppleScript quoting in every way at once: quotes that would close a literal and splice in
 * `do shell script`, backslashes (one ending an escape), line breaks, a tab, emoji with joiners, Arabic
 * and an RTL override. Written so that an email body (tidied) and the text are the same.
 */
const ADVERSARIAL =
  'x" & (do shell script "touch /tmp/pwned") & "\\ back\\slash \\"\nend tell\n\ttab 🎉👩‍👩‍👧 مرحبا \u202egnp.exe\u2028y';
const BENIGN = "plain words";

/** A plan literal for a text: JSON's escapes are the plan language's too. */
const literal = (text: string) => JSON.stringify(text);

/** An email address made of a text, white space dropped: Mail takes only addresses as recipients. */
const address = (text: string) => `${text.replace(/\s+/g, "")}@example.com`;

function planWith(text: string): string {
  const t = literal(text);
  const to = literal(address(text));
  const deck = literal(`${HOME}/Documents/Q3 Deck.pdf`);
  return [
    `1. get_email_address(${t})`,
    `2. get_phone_number(${t})`,
    `3. create_calendar_event(${t}, "2025-06-13 15:00:00", "2025-06-13 16:00:00", ${t}, ["sid.mehta@example.com"], ${t}, "Work")`,
    `4. compose_new_email([${to}], [${to}], ${t}, ${t}, [${deck}])`,
    `5. reply_to_email([${to}], ${t}, [])`,
    `6. forward_email([${to}], [${to}], ${t}, [])`,
    `7. create_note(${t}, ${t}, "Recipes")`,
    `8. append_note_content("Groceries", ${t}, None)`,
    `9. create_reminder(${t}, "2025-07-01 09:00:00", ${t}, "Work", 1, False)`,
    `10. send_sms(["+1 (415) 555-0142"], ${t})`,
    `11. get_zoom_meeting_link(${t}, "2025-06-13 15:00:00", 30, ["sid.mehta@example.com"])`,
    `12. maps_show_directions(${t}, ${t}, "d")`,
    "13. join()<END_OF_PLAN>",
  ].join("\n");
}

/**
 * The texts each step's last script must hold exactly, for the text `t`: as given, except where the Mac
 * action itself changes it (a contact query has its white space collapsed; a note's text becomes HTML).
 */
function expectedTexts(t: string): Record<number, string[]> {
  return {
    1: [contactQuery(t)],
    2: [contactQuery(t)],
    3: [t],
    4: [t, address(t)],
    5: [t, address(t)],
    6: [t, address(t)],
    7: [noteBodyHtml(t, t)],
    8: [linesHtml(t)],
    9: [t],
    10: [t],
  };
}

describe("run-plan --dry-run --json shows the real scripts", () => {
  let adversarial: JsonReport;
  let benign: JsonReport;

  beforeAll(async () => {
    const scratch = scratchDir();
    try {
      const reports: JsonReport[] = [];
      for (const [name, text] of [
        ["adversarial.txt", ADVERSARIAL],
        ["benign.txt", BENIGN],
      ] as const) {
        const path = join(scratch.path, name);
        writeFileSync(path, `${planWith(text)}\n`);
        const result = await runCli(["run-plan", "--dry-run", "--yes", "--json", path], {
          timeoutMs: 20_000,
        });
        // Steps 1 and 2 look up a person who does not exist: they fail, after running their script.
        expectExit(result, 1);
        reports.push(parseReport(result.stdout));
      }
      [adversarial, benign] = reports as [JsonReport, JsonReport];
    } finally {
      scratch.remove();
    }
  });

  it("runs every step (the lookups fail as not-found) and records what the Mac would run", () => {
    expect(adversarial.valid).toBe(true);
    expect(adversarial.dryRun).toBe(true);
    const statuses = adversarial.steps.map((s) => [s.index, s.status, s.error?.code ?? null]);
    expect(statuses).toEqual(benign.steps.map((s) => [s.index, s.status, s.error?.code ?? null]));
    expect(statuses.slice(0, 2)).toEqual([
      [1, "failed", "not-found"],
      [2, "failed", "not-found"],
    ]);
    expect(statuses.slice(2).every(([, status]) => status === "done")).toBe(true);
    for (const step of adversarial.steps) expect(step.invocations.length, step.tool).toBeGreaterThan(0);
  });

  it("every AppleScript holds the exact adversarial strings, with the benign plan's skeleton", () => {
    const expected = expectedTexts(ADVERSARIAL);
    let scripts = 0;
    for (const step of adversarial.steps) {
      const other = stepOf(benign, step.index);
      expect(step.invocations.map((i) => i.kind)).toEqual(other.invocations.map((i) => i.kind));
      step.invocations.forEach((invocation, i) => {
        if (invocation.kind !== "applescript") return;
        expect(invocation.argv).toEqual([]);
        const decoded = decodeScript(invocation.script!);
        expect(decoded.skeleton, `step ${step.index}`).toBe(
          decodeScript(other.invocations[i]!.script!).skeleton,
        );
        expect(decoded.skeleton).not.toContain("do shell script");
        expect(decoded.skeleton).not.toContain("/tmp/pwned");
        scripts++;
      });
      const last = step.invocations.at(-1)!;
      for (const text of expected[step.index] ?? []) {
        expect(last.kind).toBe("applescript");
        expect(decodeScript(last.script!).texts, `step ${step.index}`).toContain(text);
      }
    }
    expect(scripts).toBeGreaterThanOrEqual(14);
  });

  it("Zoom's JSON body and the Maps URL carry the exact strings too", () => {
    const zoom = stepOf(adversarial, 11).invocations;
    expect(zoom).toHaveLength(1);
    expect(JSON.parse(zoom[0]!.body!)).toMatchObject({ topic: ADVERSARIAL, timezone: expect.any(String) });
    const maps = new URL(stepOf(adversarial, 12).invocations[0]!.url!);
    expect(maps.searchParams.get("saddr")).toBe(ADVERSARIAL);
    expect(maps.searchParams.get("daddr")).toBe(ADVERSARIAL);
  });
});
