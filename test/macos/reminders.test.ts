import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import {
  addReminder,
  createReminderScript,
  listReminderListsScript,
  parseReminderLists,
  priorityLabel,
  reminderDue,
  type CreateReminderArgs,
} from "../../src/tools/macos/reminders";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { FakeSystem, fakeContext } from "./fake-system";

const ARGS: CreateReminderArgs = {
  name: "Call Sid",
  due_date: "2025-03-01 09:30:00",
  notes: "About Q3",
  list_name: "work",
  priority: 1,
  all_day: false,
};

const LISTS = ["Reminders", "Groceries", "Work"];

const listing = (names: string[]) => names.map((name) => name + RECORD).join("");

/** A fake Mac whose Reminders holds `lists` (default "Reminders") and answers creation with `created`. */
function remindersMac(lists: string[] = LISTS, created?: (script: string) => string) {
  return new FakeSystem({
    script: (app, script) => {
      expect(app).toBe("Reminders");
      if (script === listReminderListsScript()) return listing(lists);
      if (script.includes("make new reminder")) {
        if (created) return created(script);
        const name = /set targetList to list (\d+)/.exec(script);
        const listName = name ? lists[Number(name[1]) - 1]! : "Reminders";
        return `created${FIELD}${listName}${FIELD}x-apple-reminder://R1`;
      }
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

describe("Reminders scripts (golden)", () => {
  it("lists the lists", () => {
    expect(listReminderListsScript()).toBe(
      [
        'tell application "Reminders"',
        "\tset listNames to name of every list",
        "end tell",
        "set recordSeparator to character id 30",
        'set output to ""',
        "repeat with i from 1 to count of listNames",
        "\tset output to output & (item i of listNames) & recordSeparator",
        "end repeat",
        "return output",
      ].join("\n"),
    );
  });

  it("creates a reminder with a due time, notes and priority in a chosen list", () => {
    expect(createReminderScript(ARGS, { index: 3, name: "Work" })).toBe(
      [
        "set dueDate to current date",
        "set day of dueDate to 1",
        "set year of dueDate to 2025",
        "set month of dueDate to 3",
        "set day of dueDate to 1",
        "set hours of dueDate to 9",
        "set minutes of dueDate to 30",
        "set seconds of dueDate to 0",
        "set fieldSeparator to character id 31",
        'tell application "Reminders"',
        "\tset targetList to list 3",
        "\tset listName to name of targetList",
        "\tconsidering case",
        '\t\tif listName is not "Work" then return "changed" & fieldSeparator & listName',
        "\tend considering",
        '\tset newReminder to make new reminder at end of reminders of targetList with properties {name:"Call Sid", body:"About Q3", priority:1, due date:dueDate}',
        '\treturn "created" & fieldSeparator & listName & fieldSeparator & (id of newReminder)',
        "end tell",
      ].join("\n"),
    );
  });

  it("creates an all-day reminder in the default list, time 0, without empty notes", () => {
    expect(
      createReminderScript(
        { ...ARGS, due_date: "2025-03-01", notes: "", list_name: "", priority: 5 },
        "default",
      ),
    ).toBe(
      [
        "set dueDate to current date",
        "set day of dueDate to 1",
        "set year of dueDate to 2025",
        "set month of dueDate to 3",
        "set day of dueDate to 1",
        "set hours of dueDate to 0",
        "set minutes of dueDate to 0",
        "set seconds of dueDate to 0",
        "set fieldSeparator to character id 31",
        'tell application "Reminders"',
        "\tset targetList to default list",
        "\tset listName to name of targetList",
        '\tset newReminder to make new reminder at end of reminders of targetList with properties {name:"Call Sid", priority:5, allday due date:dueDate}',
        '\treturn "created" & fieldSeparator & listName & fieldSeparator & (id of newReminder)',
        "end tell",
      ].join("\n"),
    );
  });

  it("writes no date at all when there is none", () => {
    for (const due_date of [null, "", "  "]) {
      const script = createReminderScript({ ...ARGS, due_date, all_day: true, priority: 0 }, "default");
      expect(script.startsWith("set fieldSeparator to character id 31\n")).toBe(true);
      expect(script).not.toContain("dueDate");
      expect(script).toContain('{name:"Call Sid", body:"About Q3", priority:0}');
    }
  });

  it("all_day turns a date and time into a whole day at time 0", () => {
    const script = createReminderScript({ ...ARGS, all_day: true }, "default");
    expect(script).toContain(
      "set hours of dueDate to 0\nset minutes of dueDate to 0\nset seconds of dueDate to 0",
    );
    expect(script).toContain("allday due date:dueDate}");
    expect(script).not.toContain(", due date:");
  });

  it("reads due dates", () => {
    expect(reminderDue({ due_date: "2025-03-01T09:30", all_day: false })).toMatchObject({
      kind: "time",
      at: { year: 2025, month: 3, day: 1, hour: 9, minute: 30, second: 0 },
    });
    expect(reminderDue({ due_date: "2025-03-01", all_day: false }).kind).toBe("day");
    expect(reminderDue({ due_date: null, all_day: true }).kind).toBe("none");
    expect(() => reminderDue({ due_date: "2025-02-30", all_day: false })).toThrow(ToolError);
  });

  it("maps priorities as Reminders shows them", () => {
    expect([0, 1, 4, 5, 6, 9].map(priorityLabel)).toEqual(["none", "high", "high", "medium", "low", "low"]);
  });
});

describe("Reminders scripts keep every text argument as data (injection fuzz)", () => {
  type Case = { name: string; build: (text: string) => string; skipsBlank?: boolean };
  const CASES: Case[] = [
    {
      name: "name",
      build: (text) => createReminderScript({ ...ARGS, name: text }, { index: 3, name: "Work" }),
    },
    {
      name: "notes",
      build: (text) => createReminderScript({ ...ARGS, notes: text }, { index: 3, name: "Work" }),
      skipsBlank: true,
    },
    { name: "list name", build: (text) => createReminderScript(ARGS, { index: 3, name: text }) },
    { name: "name, default list", build: (text) => createReminderScript({ ...ARGS, name: text }, "default") },
  ];
  const BENIGN = "benign text";

  function check(c: Case, text: string): void {
    if (c.skipsBlank && text.trim() === "") {
      expect(c.build(text)).toBe(c.build(""));
      return;
    }
    const benign = decodeScript(c.build(BENIGN));
    const decoded = decodeScript(c.build(text));
    expect(decoded.skeleton).toBe(benign.skeleton);
    expect(decoded.texts).toEqual(benign.texts.map((t) => (t === BENIGN ? text : t)));
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

describe("create_reminder on a fake Mac", () => {
  it("creates the reminder in the named list (any case), with due time and priority", async () => {
    const mac = remindersMac();
    const ctx = fakeContext(mac);
    const observation = await addReminder(ARGS, ctx);
    expect(observation).toBe(
      'Created the reminder "Call Sid" in Work, due 2025-03-01 09:30:00, high priority (1). Reminder id: x-apple-reminder://R1',
    );
    expect(mac.scripts.map((s) => s.script)).toEqual([
      listReminderListsScript(),
      createReminderScript(ARGS, { index: 3, name: "Work" }),
    ]);
    expect(ctx.invocations).toHaveLength(2);
  });

  it("uses Reminders' default list in one script when no list is named", async () => {
    const mac = remindersMac();
    const observation = await addReminder(
      { ...ARGS, list_name: " ", due_date: "2025-03-01", priority: 9, notes: "" },
      fakeContext(mac),
    );
    expect(observation).toBe(
      'Created the reminder "Call Sid" in Reminders (your default list), due 2025-03-01 (all day), low priority (9). Reminder id: x-apple-reminder://R1',
    );
    expect(mac.scripts).toHaveLength(1);
    expect(mac.scripts[0]!.script).toContain("set targetList to default list");
  });

  it("says nothing of a due date or priority when there is none", async () => {
    const mac = remindersMac();
    const observation = await addReminder(
      { ...ARGS, list_name: "", due_date: null, priority: 0 },
      fakeContext(mac),
    );
    expect(observation).toBe(
      'Created the reminder "Call Sid" in Reminders (your default list). Reminder id: x-apple-reminder://R1',
    );
  });

  it("names the lists when the named one does not exist", async () => {
    const mac = remindersMac();
    const error = await failure(addReminder({ ...ARGS, list_name: "Errands" }, fakeContext(mac)));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      'There is no Reminders list named "Errands". Lists: Reminders, Groceries, Work. Use one of these, or leave the list empty for your default list.',
    );
    expect(mac.scripts).toHaveLength(1);
    expect(error.invocations).toHaveLength(1);
  });

  it("fails before anything runs for a bad due date or priority", async () => {
    const mac = remindersMac();
    const bad = [
      { ...ARGS, due_date: "tomorrow" },
      { ...ARGS, priority: 10 },
      { ...ARGS, priority: 1.5 },
    ];
    for (const args of bad) {
      const error = await failure(addReminder(args, fakeContext(mac)));
      expect(error.code).toBe("failed");
    }
    expect(mac.scripts).toEqual([]);
  });

  describe("several lists with the same name", () => {
    const TWINS = ["Work", "Reminders", "work"];

    it("takes the exact-case match when only one matches exactly", async () => {
      const mac = remindersMac(TWINS);
      const ctx = fakeContext(mac);
      await addReminder({ ...ARGS, list_name: "Work" }, ctx);
      expect(ctx.choices).toEqual([]);
      expect(mac.scripts[1]!.script).toContain("set targetList to list 1");
    });

    it("asks which one, and uses the answer", async () => {
      const mac = remindersMac(TWINS);
      const ctx = fakeContext(mac, { choose: () => "3" });
      const observation = await addReminder({ ...ARGS, list_name: "WORK" }, ctx);
      expect(ctx.choices[0]!.options.map((o) => o.value)).toEqual(["1", "3"]);
      expect(ctx.choices[0]!.question).toBe(
        'Several Reminders lists are named "WORK". Which one should the reminder go in?',
      );
      expect(mac.scripts[1]!.script).toContain("set targetList to list 3");
      expect(observation).toContain(" in work,");
    });

    it("gives an ambiguity error, creating nothing, when the person does not choose", async () => {
      const mac = remindersMac(TWINS);
      const error = await failure(addReminder({ ...ARGS, list_name: "WORK" }, fakeContext(mac)));
      expect(error.code).toBe("ambiguous");
      expect(error.message).toBe(
        `Several lists in Reminders are named "WORK" (numbers 1, 3 among them). Choose one when asked, or rename one of them in Reminders.`,
      );
      expect(mac.scripts).toHaveLength(1);
    });
  });

  it("creates nothing and says so when the lists changed between listing and creating", async () => {
    const mac = remindersMac(LISTS, () => `changed${FIELD}Errands`);
    const error = await failure(addReminder(ARGS, fakeContext(mac)));
    expect(error.code).toBe("failed");
    expect(error.message).toBe(
      `The lists in Reminders changed while this ran (number 3 is now "Errands", not "Work"). Nothing was created: try again.`,
    );
  });

  it("does not pretend success on an answer it does not understand", async () => {
    const mac = remindersMac(LISTS, () => `created${FIELD}Work`);
    const error = await failure(addReminder(ARGS, fakeContext(mac)));
    expect(error.code).toBe("failed");
  });

  it("parses list listings", () => {
    expect(parseReminderLists(listing(LISTS))).toEqual([
      { index: 1, name: "Reminders" },
      { index: 2, name: "Groceries" },
      { index: 3, name: "Work" },
    ]);
    expect(parseReminderLists("")).toEqual([]);
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
        addReminder(
          ARGS,
          fakeContext(failing("execution error: Not authorized to send Apple events to Reminders. (-1743)")),
        ),
      );
      expect(error.code).toBe("permission");
      expect(error.settings).toEqual(SETTINGS.automation);
    });

    it("denied reminders data names the Reminders pane", async () => {
      const error = await failure(
        addReminder(
          { ...ARGS, list_name: "" },
          fakeContext(
            failing(
              "execution error: Reminders got an error: The operation couldn’t be completed. (EKErrorDomain error 29.) (-10000)",
            ),
          ),
        ),
      );
      expect(error.code).toBe("permission");
      expect(error.settings).toEqual(SETTINGS.reminders);
      expect(error.message).toBe(
        "macOS did not let TinyAgent use your reminders. Allow it in System Settings › Privacy & Security › Reminders (for Raycast or your terminal), then try again.",
      );
    });
  });
});
