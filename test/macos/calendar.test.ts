import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarEvent,
  appleScriptDateLines,
  createCalendarEventScript,
  listCalendarsScript,
  parseCalendars,
  showCalendarEvent,
  showCalendarEventScript,
  type CreateCalendarEventArgs,
} from "../../src/tools/macos/calendar";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { FakeSystem, fakeContext } from "./fake-system";

const ARGS: CreateCalendarEventArgs = {
  title: "Q3 review",
  start_date: "2025-02-14 15:00:00",
  end_date: "2025-02-14 16:30:00",
  location: "Room 4",
  invitees: ["sid@example.com", " lutfi@example.com "],
  notes: "Bring the deck",
  calendar: "work",
};

const CALENDARS = [
  ["Home", "true"],
  ["Work", "true"],
  ["Holidays", "false"],
  ["Birthdays", "false"],
];

/** What osascript prints for a listing: records of fields. */
const records = (rows: string[][]) => rows.map((row) => row.join(FIELD) + RECORD).join("");

/** A fake Mac whose Calendar holds `calendars` and answers the creating script with `created`. */
function calendarMac(calendars: string[][] = CALENDARS, created = `created${FIELD}EVENT-UID-1`) {
  return new FakeSystem({
    script: (app, script) => {
      expect(app).toBe("Calendar");
      if (script === listCalendarsScript()) return records(calendars);
      if (script.includes("make new event")) return created;
      throw new Error(`unexpected script:\n${script}`);
    },
  });
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe("Calendar scripts (golden)", () => {
  it("lists calendars with their writable flag", () => {
    expect(listCalendarsScript()).toBe(
      [
        'tell application "Calendar"',
        "\tset calendarNames to name of every calendar",
        "\tset writableFlags to writable of every calendar",
        "end tell",
        "set fieldSeparator to character id 31",
        "set recordSeparator to character id 30",
        'set output to ""',
        "repeat with i from 1 to count of calendarNames",
        "\tset output to output & (item i of calendarNames) & fieldSeparator & ((item i of writableFlags) as text) & recordSeparator",
        "end repeat",
        "return output",
      ].join("\n"),
    );
  });

  it("creates an event with dates from components, location, notes and attendees", () => {
    expect(createCalendarEventScript(ARGS, { index: 2, name: "Work" })).toBe(
      [
        "set startDate to current date",
        "set day of startDate to 1",
        "set year of startDate to 2025",
        "set month of startDate to 2",
        "set day of startDate to 14",
        "set hours of startDate to 15",
        "set minutes of startDate to 0",
        "set seconds of startDate to 0",
        "set endDate to current date",
        "set day of endDate to 1",
        "set year of endDate to 2025",
        "set month of endDate to 2",
        "set day of endDate to 14",
        "set hours of endDate to 16",
        "set minutes of endDate to 30",
        "set seconds of endDate to 0",
        "set fieldSeparator to character id 31",
        'tell application "Calendar"',
        "\tset targetCalendar to calendar 2",
        "\tset calendarName to name of targetCalendar",
        "\tconsidering case",
        '\t\tif calendarName is not "Work" then return "changed" & fieldSeparator & calendarName',
        "\tend considering",
        '\tset newEvent to make new event at end of events of targetCalendar with properties {summary:"Q3 review", start date:startDate, end date:endDate, location:"Room 4", description:"Bring the deck"}',
        '\tmake new attendee at end of attendees of newEvent with properties {email:"sid@example.com"}',
        '\tmake new attendee at end of attendees of newEvent with properties {email:"lutfi@example.com"}',
        '\treturn "created" & fieldSeparator & (uid of newEvent)',
        "end tell",
      ].join("\n"),
    );
  });

  it("leaves out an empty or missing location and notes, and blank invitees", () => {
    const script = createCalendarEventScript(
      { ...ARGS, location: null, notes: " ", invitees: ["", "  "] },
      { index: 1, name: "Home" },
    );
    expect(script).toContain(
      '\tset newEvent to make new event at end of events of targetCalendar with properties {summary:"Q3 review", start date:startDate, end date:endDate}\n\treturn "created"',
    );
    expect(script).not.toContain("attendee");
    expect(
      createCalendarEventScript(
        { ...ARGS, location: "", notes: null, invitees: [] },
        { index: 1, name: "Home" },
      ),
    ).toBe(script);
  });

  it("opens an event by its uid with Calendar's show command", () => {
    expect(showCalendarEventScript("EVENT-UID-1")).toBe(
      [
        'tell application "Calendar"',
        "\trepeat with i from 1 to count of calendars",
        '\t\tset found to (every event of calendar i whose uid is "EVENT-UID-1")',
        "\t\tif found is not {} then",
        "\t\t\tshow item 1 of found",
        "\t\t\tactivate",
        '\t\t\treturn "shown"',
        "\t\tend if",
        "\tend repeat",
        '\treturn "missing"',
        "end tell",
      ].join("\n"),
    );
  });

  it("sets the day to 1 before year and month, so no month can overflow (Feb 29 in a leap year)", () => {
    const at = { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, hasTime: true };
    expect(appleScriptDateLines("d", at)).toEqual([
      "set d to current date",
      "set day of d to 1",
      "set year of d to 2024",
      "set month of d to 2",
      "set day of d to 29",
      "set hours of d to 23",
      "set minutes of d to 59",
      "set seconds of d to 58",
    ]);
    expect(appleScriptDateLines("d", at, true).slice(-3)).toEqual([
      "set hours of d to 0",
      "set minutes of d to 0",
      "set seconds of d to 0",
    ]);
    expect(() => appleScriptDateLines("d to 1\nset x", at)).toThrow();
  });
});

describe("Calendar scripts keep every text argument as data (injection fuzz)", () => {
  const TARGET = { index: 2, name: "Work" };
  type Case = { name: string; build: (text: string) => string; skipsBlank?: boolean; trims?: boolean };
  const CASES: Case[] = [
    { name: "title", build: (text) => createCalendarEventScript({ ...ARGS, title: text }, TARGET) },
    {
      name: "location",
      build: (text) => createCalendarEventScript({ ...ARGS, location: text }, TARGET),
      skipsBlank: true,
    },
    {
      name: "notes",
      build: (text) => createCalendarEventScript({ ...ARGS, notes: text }, TARGET),
      skipsBlank: true,
    },
    {
      name: "invitee",
      build: (text) => createCalendarEventScript({ ...ARGS, invitees: [text] }, TARGET),
      skipsBlank: true,
      trims: true,
    },
    {
      name: "calendar name",
      build: (text) => createCalendarEventScript(ARGS, { index: 2, name: text }),
    },
    { name: "event uid", build: (text) => showCalendarEventScript(text) },
  ];
  const BENIGN = "benign text";

  /** The decoded script must equal the benign one with the benign text replaced by exactly `text`. */
  function check(c: Case, text: string): void {
    const kept = c.trims ? text.trim() : text;
    if (c.skipsBlank && text.trim() === "") {
      expect(c.build(text)).toBe(c.build(""));
      return;
    }
    const benign = decodeScript(c.build(BENIGN));
    const decoded = decodeScript(c.build(text));
    expect(decoded.skeleton).toBe(benign.skeleton);
    expect(decoded.texts).toEqual(benign.texts.map((t) => (t === BENIGN ? kept : t)));
  }

  for (const c of CASES) {
    it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 50), text]))(
      `${c.name}: %s`,
      (_, text) => check(c, text),
    );

    it(`${c.name}: any string (property)`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 60 }),
            fc.string({ unit: "grapheme", maxLength: 30 }),
          ),
          (text) => check(c, text),
        ),
        { numRuns: 300, seed: 14 },
      );
    });
  }
});

describe("create_calendar_event on a fake Mac", () => {
  it("creates the event in the named calendar (any case) and reports where, with the uid", async () => {
    const mac = calendarMac();
    const ctx = fakeContext(mac);
    const observation = await addCalendarEvent(ARGS, ctx);
    expect(observation).toBe(
      'Created the event "Q3 review" on 2025-02-14 15:00:00 to 2025-02-14 16:30:00 in the Work calendar, inviting sid@example.com, lutfi@example.com. Event id: EVENT-UID-1',
    );
    expect(mac.scripts.map((s) => s.script)).toEqual([
      listCalendarsScript(),
      createCalendarEventScript(ARGS, { index: 2, name: "Work" }),
    ]);
    expect(ctx.invocations).toHaveLength(2);
    expect(ctx.choices).toEqual([]);
  });

  it("uses the first writable calendar when none is named, and says so", async () => {
    const mac = calendarMac([
      ["Holidays", "false"],
      ["Family", "true"],
      ["Work", "true"],
    ]);
    const observation = await addCalendarEvent(
      { ...ARGS, calendar: null, invitees: [], location: "" },
      fakeContext(mac),
    );
    expect(observation).toBe(
      'Created the event "Q3 review" on 2025-02-14 15:00:00 to 2025-02-14 16:30:00 in the Family calendar (no calendar was named, so the first one that takes new events was used). Event id: EVENT-UID-1',
    );
    expect(mac.scripts[1]!.script).toContain("set targetCalendar to calendar 2");
    expect(mac.scripts[1]!.script).toContain('if calendarName is not "Family"');
  });

  it("treats an empty calendar name as the default", async () => {
    const mac = calendarMac();
    await addCalendarEvent({ ...ARGS, calendar: "  " }, fakeContext(mac));
    expect(mac.scripts[1]!.script).toContain("set targetCalendar to calendar 1");
  });

  it("says which calendars exist when the named one does not", async () => {
    const mac = calendarMac();
    const error = await failure(addCalendarEvent({ ...ARGS, calendar: "Travel" }, fakeContext(mac)));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe('There is no calendar named "Travel". Calendars you can add to: Home, Work.');
    expect(mac.scripts).toHaveLength(1);
    expect(error.invocations).toEqual([{ kind: "applescript", script: listCalendarsScript(), argv: [] }]);
  });

  it("refuses a read-only calendar and names the ones that take events", async () => {
    const mac = calendarMac();
    const error = await failure(addCalendarEvent({ ...ARGS, calendar: "holidays" }, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toContain('The calendar "Holidays" is read-only');
    expect(error.message).toContain("Home, Work");
    expect(mac.scripts).toHaveLength(1);
  });

  it("fails clearly when no calendar takes new events", async () => {
    const mac = calendarMac([["Birthdays", "false"]]);
    const error = await failure(addCalendarEvent({ ...ARGS, calendar: null }, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toMatch(/no calendar that new events can be added to/);
  });

  it("fails before anything runs when the event ends before it starts", async () => {
    const mac = calendarMac();
    const error = await failure(
      addCalendarEvent({ ...ARGS, end_date: "2025-02-14 14:59:59" }, fakeContext(mac)),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toContain("would end (2025-02-14 14:59:59) before it starts (2025-02-14 15:00:00)");
    expect(mac.scripts).toEqual([]);
  });

  it("accepts an event that ends when it starts", async () => {
    const mac = calendarMac();
    await addCalendarEvent({ ...ARGS, end_date: ARGS.start_date }, fakeContext(mac));
    expect(mac.scripts).toHaveLength(2);
  });

  it("fails before anything runs for a date that is not one", async () => {
    const mac = calendarMac();
    const error = await failure(addCalendarEvent({ ...ARGS, start_date: "next Friday" }, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toContain('"next Friday" is not a date');
    expect(mac.scripts).toEqual([]);
  });

  it("refuses invitees that are not email addresses, before anything runs", async () => {
    const mac = calendarMac();
    const error = await failure(
      addCalendarEvent({ ...ARGS, invitees: ["Sid", "sid@example.com", "Lutfi K"] }, fakeContext(mac)),
    );
    expect(error.code).toBe("wrong-kind");
    expect(error.message).toBe(
      '"Sid", "Lutfi K" are not email addresses. Look invitees up with get_email_address first. Nothing was created.',
    );
    expect(mac.scripts).toEqual([]);
  });

  describe("several calendars with the same name", () => {
    const TWINS = [
      ["Work", "true"],
      ["Home", "true"],
      ["work", "true"],
      ["WORK", "false"],
    ];

    it("takes the one whose name matches exactly, case included, when only one does", async () => {
      const mac = calendarMac(TWINS);
      const ctx = fakeContext(mac);
      await addCalendarEvent({ ...ARGS, calendar: "work" }, ctx);
      expect(ctx.choices).toEqual([]);
      expect(mac.scripts[1]!.script).toContain("set targetCalendar to calendar 3");
    });

    it("asks which one, and uses the answer", async () => {
      const mac = calendarMac(TWINS);
      const ctx = fakeContext(mac, { choose: (choice) => choice.options[1]!.value });
      const observation = await addCalendarEvent({ ...ARGS, calendar: "WORK" }, ctx);
      expect(ctx.choices).toEqual([
        {
          question: 'Several calendars are named "WORK". Which one should the event go in?',
          options: [
            { label: "Work", value: "1", detail: "number 1 among the calendars in Calendar" },
            { label: "work", value: "3", detail: "number 3 among the calendars in Calendar" },
          ],
        },
      ]);
      expect(mac.scripts[1]!.script).toContain("set targetCalendar to calendar 3");
      expect(mac.scripts[1]!.script).toContain('if calendarName is not "work"');
      expect(observation).toContain("in the work calendar");
    });

    it("gives an ambiguity error, creating nothing, when the person does not choose", async () => {
      for (const answer of [undefined, "2", "not offered"]) {
        const mac = calendarMac(TWINS);
        const error = await failure(
          addCalendarEvent({ ...ARGS, calendar: "WORK" }, fakeContext(mac, { choose: () => answer })),
        );
        expect(error.code).toBe("ambiguous");
        expect(error.message).toBe(
          `Several calendars in Calendar are named "WORK" (numbers 1, 3 among them). Choose one when asked, or rename one of them in Calendar.`,
        );
        expect(mac.scripts).toHaveLength(1);
      }
    });
  });

  it("creates nothing and says so when the calendars changed between listing and creating", async () => {
    const mac = calendarMac(CALENDARS, `changed${FIELD}Travel`);
    const error = await failure(addCalendarEvent(ARGS, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toBe(
      `The calendars in Calendar changed while this ran (number 2 is now "Travel", not "Work"). Nothing was created: try again.`,
    );
    expect(error.invocations).toHaveLength(2);
  });

  it("does not pretend success on an answer it does not understand", async () => {
    const mac = calendarMac(CALENDARS, "");
    const error = await failure(addCalendarEvent(ARGS, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toMatch(/answer TinyAgent does not understand/);
  });

  it("parses listings, including an empty one", () => {
    expect(parseCalendars(records(CALENDARS))).toEqual([
      { index: 1, name: "Home", writable: true },
      { index: 2, name: "Work", writable: true },
      { index: 3, name: "Holidays", writable: false },
      { index: 4, name: "Birthdays", writable: false },
    ]);
    expect(parseCalendars("")).toEqual([]);
    expect(parseCalendars("\n")).toEqual([]);
  });

  describe("permissions", () => {
    const failing = (stderr: string) =>
      new FakeSystem({
        script: (app, script) => {
          throw scriptError(app, stderr, { kind: "applescript", script, argv: [] });
        },
      });

    it("denied Automation names the Automation pane", async () => {
      const error = await failure(
        addCalendarEvent(
          ARGS,
          fakeContext(failing("execution error: Not authorized to send Apple events to Calendar. (-1743)")),
        ),
      );
      expect(error.code).toBe("permission");
      expect(error.settings).toEqual(SETTINGS.automation);
      expect(error.message).toContain("not allowed to control Calendar");
    });

    it.each([
      "execution error: Calendar got an error: The operation couldn’t be completed. (EKErrorDomain error 29.) (-10000)",
      "execution error: Calendar got an error: Access to calendars is denied. (-10000)",
      "execution error: Calendar got an error: This process is not authorized to access calendar data. (-10000)",
    ])("denied calendar data names the Calendars pane: %s", async (stderr) => {
      const error = await failure(addCalendarEvent(ARGS, fakeContext(failing(stderr))));
      expect(error.code).toBe("permission");
      expect(error.settings).toEqual(SETTINGS.calendars);
      expect(error.message).toBe(
        "macOS did not let TinyAgent use your calendars. Allow it in System Settings › Privacy & Security › Calendars (for Raycast or your terminal), then try again.",
      );
      expect(error.invocations).toHaveLength(1);
    });

    it("leaves other failures as they are", async () => {
      const error = await failure(
        addCalendarEvent(
          ARGS,
          fakeContext(failing("execution error: Calendar got an error: Can’t make some data. (-1700)")),
        ),
      );
      expect(error.code).toBe("failed");
      expect(error.settings).toBeUndefined();
    });
  });

  it("opens an event by uid, and says when it is gone", async () => {
    const shown = new FakeSystem({ script: () => "shown" });
    expect(await showCalendarEvent("EVENT-UID-1", fakeContext(shown))).toBe("Opened the event in Calendar.");
    expect(shown.scripts[0]!.script).toBe(showCalendarEventScript("EVENT-UID-1"));
    const missing = new FakeSystem({ script: () => "missing" });
    const error = await failure(showCalendarEvent("EVENT-UID-1", fakeContext(missing)));
    expect(error.code).toBe("not-found");
  });
});
