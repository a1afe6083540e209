import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dateArguments, dateChoices } from "../../src/agent/request/dates";

// The evaluation's request time: Monday 2024-06-03 09:00 in UTC.
const NOW = new Date(Date.UTC(2024, 5, 3, 9, 0, 0));
const choices = (request: string) => dateChoices(request, NOW, "UTC");
const first = (request: string) => choices(request)[0];

// Always last: an event or Zoom call with no day starts now and lasts 60 minutes.
const NOW_DEFAULTS = ["2024-06-03 09:00:00", "2024-06-03 10:00:00"];

const WELL_FORMED = /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/;

/** A value is a real calendar date and time, not only the right shape ("2024-02-30" is not). */
function isRealDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?$/.exec(value);
  if (!match) return false;
  const [y, mo, d, h = 0, mi = 0, s = 0] = match.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(y!, mo! - 1, d!, h, mi, s));
  return (
    date.getUTCFullYear() === y &&
    date.getUTCMonth() === mo! - 1 &&
    date.getUTCDate() === d &&
    date.getUTCHours() === h &&
    date.getUTCMinutes() === mi &&
    date.getUTCSeconds() === s
  );
}

describe("the choice list", () => {
  it("offers a day without a time as the day, 09:00-10:00, all day, then now", () => {
    expect(choices("remind me Friday")).toEqual([
      "2024-06-07",
      "2024-06-07 09:00:00",
      "2024-06-07 10:00:00",
      "2024-06-07 00:00:00",
      "2024-06-07 23:59:59",
      ...NOW_DEFAULTS,
    ]);
  });

  it("offers a time as the start, the start plus 60 minutes, the day, then now", () => {
    expect(choices("tmr at 3")).toEqual([
      "2024-06-04 15:00:00",
      "2024-06-04 16:00:00",
      "2024-06-04",
      ...NOW_DEFAULTS,
    ]);
  });

  it("puts a range's end right after its start", () => {
    expect(choices("block 2-4 tmrw")).toEqual([
      "2024-06-04 14:00:00",
      "2024-06-04 16:00:00",
      "2024-06-04 15:00:00",
      "2024-06-04",
      ...NOW_DEFAULTS,
    ]);
  });

  it("adds the length the request gives, from the start and from now", () => {
    expect(choices("meeting friday at 10 for 30 min")).toEqual([
      "2024-06-07 10:00:00",
      "2024-06-07 11:00:00",
      "2024-06-07 10:30:00",
      "2024-06-07",
      ...NOW_DEFAULTS,
      "2024-06-03 09:30:00",
    ]);
    expect(choices("zoom for 2 hours")).toEqual([...NOW_DEFAULTS, "2024-06-03 11:00:00"]);
  });

  it("lists phrases in the order the request gives them", () => {
    expect(choices("meet friday at 3 and call mom monday at 10")).toEqual([
      "2024-06-07 15:00:00",
      "2024-06-07 16:00:00",
      "2024-06-07",
      "2024-06-10 10:00:00",
      "2024-06-10 11:00:00",
      "2024-06-10",
      ...NOW_DEFAULTS,
    ]);
  });

  it("offers the reminder's due time when it is to come a while before the event", () => {
    const list = choices(
      "Put Atlas workshop on my calendar July 7 at quarter to 7 and remind me a week before",
    );
    expect(list.slice(0, 3)).toEqual(["2024-07-07 18:45:00", "2024-07-07 19:45:00", "2024-06-30 18:45:00"]);
    expect(choices("review thursday at 10:30, remind me the night before")).toContain("2024-06-05 20:00:00");
    expect(choices("offsite the 13th at 3pm; remind me the day before")).toContain("2024-06-12 15:00:00");
  });

  it("has no duplicates", () => {
    const list = choices("12-1pm monday");
    expect(list).toEqual([...new Set(list)]);
    expect(list.slice(0, 2)).toEqual(["2024-06-10 12:00:00", "2024-06-10 13:00:00"]);
  });

  it("is only the now-defaults when the request has no date", () => {
    expect(choices("text mom that I'm running late")).toEqual(NOW_DEFAULTS);
  });

  it("reads the clock in the given time zone", () => {
    // 09:00 UTC is 05:00 in New York (EDT); "at 3" there is 15:00 local.
    expect(dateChoices("at 3", NOW, "America/New_York")).toEqual([
      "2024-06-03 15:00:00",
      "2024-06-03 16:00:00",
      "2024-06-03",
      "2024-06-03 05:00:00",
      "2024-06-03 06:00:00",
    ]);
  });
});

describe("days", () => {
  it.each([
    ["Friday", "2024-06-07"],
    ["on fri", "2024-06-07"],
    ["this Friday", "2024-06-07"],
    ["Monday", "2024-06-10"], // today is Monday: the next one
    ["next Friday", "2024-06-14"],
    ["next tues", "2024-06-11"],
    ["Friday next week", "2024-06-14"],
    ["next week", "2024-06-10"],
    ["this weekend", "2024-06-08"],
    ["next weekend", "2024-06-15"],
    ["tmrw", "2024-06-04"],
    ["tomorrow", "2024-06-04"],
    ["weds", "2024-06-05"],
    ["thurs", "2024-06-06"],
    ["sat", "2024-06-08"],
    ["day after tomorrow", "2024-06-05"],
    ["the day after tomorrow", "2024-06-05"],
    ["the 14th", "2024-06-14"],
    ["the 2nd", "2024-07-02"], // past this month: next month
    ["march 3", "2025-03-03"], // past this year: next year
    ["June 30th", "2024-06-30"],
    ["in 2 weeks", "2024-06-17"],
    ["in 5 days", "2024-06-08"],
    ["a week from today", "2024-06-10"],
  ])("%s is %s", (request, day) => {
    expect(first(request)).toBe(day);
  });

  it("lets a date of the month win over a weekday that disagrees", () => {
    expect(first("Saturday the 14th at 4 PM")).toBe("2024-06-14 16:00:00");
  });

  it("offers both today and next month for today's date of the month", () => {
    const list = choices("on the 3rd at 2pm");
    expect(list.indexOf("2024-06-03 14:00:00")).toBe(0);
    expect(list).toContain("2024-07-03 14:00:00");
  });
});

describe("times", () => {
  it.each([
    ["at 3", "2024-06-03 15:00:00"], // 1-7 without am/pm is afternoon
    ["at 7", "2024-06-03 19:00:00"],
    ["at 8", "2024-06-03 08:00:00"], // 8-11 is morning
    ["at 11", "2024-06-03 11:00:00"],
    ["at 12", "2024-06-03 12:00:00"],
    ["3:30", "2024-06-03 15:30:00"],
    ["at 07:30 tomorrow", "2024-06-04 07:30:00"], // a 24-hour clock keeps its hour
    ["tomorrow at 6:15am", "2024-06-04 06:15:00"],
    ["sun 9a", "2024-06-09 09:00:00"],
    ["tonight at 8", "2024-06-03 20:00:00"],
    ["at 9 tonight", "2024-06-03 21:00:00"],
    ["tonight", "2024-06-03 20:00:00"],
    ["tomorrow morning", "2024-06-04 09:00:00"],
    ["at lunch on monday", "2024-06-10 12:00:00"],
    ["noon tomorrow", "2024-06-04 12:00:00"],
    ["friday afternoon", "2024-06-07 15:00:00"],
    ["eod friday", "2024-06-07 17:00:00"],
    ["by end of day tomorrow", "2024-06-04 17:00:00"],
    ["tomorrow evening", "2024-06-04 19:00:00"],
    ["at quarter to 7 tomorrow", "2024-06-04 18:45:00"],
    ["half past 3 on friday", "2024-06-07 15:30:00"],
    ["tomorrow four", "2024-06-04 16:00:00"],
    ["eleven thirty on friday", "2024-06-07 11:30:00"],
    ["in 2 hours", "2024-06-03 11:00:00"],
    ["in 90 minutes", "2024-06-03 10:30:00"],
    ["in thirty minutes", "2024-06-03 09:30:00"],
    ["in half an hour", "2024-06-03 09:30:00"],
    ["thursday night", "2024-06-06 20:00:00"],
    ["remind me tomorrow night", "2024-06-04 20:00:00"],
    ["wed night", "2024-06-05 20:00:00"],
  ])("%s starts at %s", (request, start) => {
    expect(first(request)).toBe(start);
  });

  it.each([
    ["from 2 to 4pm friday", "2024-06-07 14:00:00", "2024-06-07 16:00:00"],
    ["from 10 to 11:30 tomorrow", "2024-06-04 10:00:00", "2024-06-04 11:30:00"],
    ["12-1pm monday", "2024-06-10 12:00:00", "2024-06-10 13:00:00"],
    ["11-1 on friday", "2024-06-07 11:00:00", "2024-06-07 13:00:00"],
    ["December 22nd 12-2pm", "2024-12-22 12:00:00", "2024-12-22 14:00:00"],
    ["5 days from now 9-11am", "2024-06-08 09:00:00", "2024-06-08 11:00:00"],
    // Not the year 2010.
    ["volunteer orientation june 22 10-noon", "2024-06-22 10:00:00", "2024-06-22 12:00:00"],
  ])("%s runs from %s to %s", (request, start, end) => {
    expect(choices(request).slice(0, 2)).toEqual([start, end]);
  });

  it("reads a time with no day on the day named before it, and then on today", () => {
    expect(choices("tomorrow: car pickup at 8, coffee with Hollis at 10")).toEqual(
      expect.arrayContaining(["2024-06-04 08:00:00", "2024-06-04 10:00:00"]),
    );
    const list = choices("moving day is saturday! text Bruno to come at 8am");
    expect(list.indexOf("2024-06-08 08:00:00")).toBeGreaterThanOrEqual(0);
    expect(list.indexOf("2024-06-08 08:00:00")).toBeLessThan(list.indexOf("2024-06-03 08:00:00"));
    // Before any day, and counted from now, a time stays today's.
    expect(first("remind me at 4 and book friday")).toBe("2024-06-03 16:00:00");
    expect(choices("dinner friday, and remind me in 2 hours")).not.toContain("2024-06-07 11:00:00");
  });

  it("does not read a 1:1 meeting as a time", () => {
    expect(first("1:1 with Rizal tonight")).toBe("2024-06-03 20:00:00");
  });

  it("does not take the event called lunch for noon", () => {
    expect(first("Lunch with Kwame this Thursday around 2")).toBe("2024-06-06 14:00:00");
  });
});

describe("hostile or odd input", () => {
  const inputs = [
    "",
    "   ",
    'say "hi" \\ and \\" quote \'s',
    '" & (do shell script "x") & "',
    'remind me friday " & (do shell script "rm -rf ~") & " at 3',
    "line one\nat 3\r\ntomorrow\tat 4",
    "🎉🎉 party tomorrow at 8 🎂",
    "تذكير غدا الساعة ٣ שלום מחר",
    "\u202eyadirf ta 3\u202c",
    "\u0000\u0007 null bytes friday",
    "the 99th of Smarch at 25:61",
    "from 0 to 13",
    "at 3 ".repeat(1250),
    "x".repeat(5000),
  ];

  it.each(inputs.map((input) => [input.slice(0, 40), input]))("survives %j", (_, input) => {
    const list = dateChoices(input, NOW, "UTC");
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.slice(-2)).toEqual(NOW_DEFAULTS);
    for (const value of list) {
      expect(value).toMatch(WELL_FORMED);
      expect(isRealDate(value)).toBe(true);
    }
  });

  it("answers a long request quickly", () => {
    const started = performance.now();
    dateChoices("meet friday at 3 and ".repeat(250), NOW, "UTC");
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("gives only well-formed, real dates for many generated requests", () => {
    const days = ["", "today", "tomorrow", "fri", "next tues", "the 31st", "feb 29", "dec 31", "in 3 weeks"];
    const times = ["", "at 3", "at 11:45pm", "2-4", "noon", "tonight", "in 90 minutes", "quarter to 1"];
    const tails = ["", "for 45 min", "remind me a day before", "for 2 hours"];
    for (const day of days) {
      for (const time of times) {
        for (const tail of tails) {
          for (const value of choices(`book it ${day} ${time} ${tail}`)) {
            expect(value).toMatch(WELL_FORMED);
            expect(isRealDate(value)).toBe(true);
          }
        }
      }
    }
  });
});

describe("dates by role (dateArguments)", () => {
  const args = (request: string) => dateArguments(request, NOW, "UTC");

  it("pairs each start with its own end: the end given, else the length given, else 60 minutes", () => {
    expect(args("dentist next tuesday at 10am").spans).toEqual([
      { start: "2024-06-11 10:00:00", end: "2024-06-11 11:00:00" },
    ]);
    expect(args("block 2-4 tmrw for deep work").spans).toEqual([
      { start: "2024-06-04 14:00:00", end: "2024-06-04 16:00:00" },
    ]);
    expect(args("Budget Review friday 3pm for 30 min").spans).toEqual([
      { start: "2024-06-07 15:00:00", end: "2024-06-07 15:30:00" },
    ]);
    expect(args("haircut friday at like noon").spans).toEqual([
      { start: "2024-06-07 12:00:00", end: "2024-06-07 13:00:00" },
    ]);
  });

  it("starts a day with no time at 09:00, and runs an all-day or multi-day event from 00:00 to 23:59:59", () => {
    expect(args("book club on the 14th").spans).toEqual([
      { start: "2024-06-14 09:00:00", end: "2024-06-14 10:00:00" },
    ]);
    expect(args("add an all-day event on 12/24 called xmas eve").spans).toEqual([
      { start: "2024-12-24 00:00:00", end: "2024-12-24 23:59:59" },
    ]);
    expect(args("mark march 3 to 7 as vacation").spans).toEqual([
      { start: "2025-03-03 00:00:00", end: "2025-03-07 23:59:59" },
    ]);
  });

  it("gives a reminder its time, its bare day, or the lead before the time", () => {
    expect(args("remind me to call mom tomorrow at 6pm").due).toEqual(["2024-06-04 18:00:00"]);
    expect(args("remind me friday to water the plants").due).toEqual(["2024-06-07"]);
    expect(args("remind me 30 min before my 2pm to prep the slides").due).toEqual(["2024-06-03 13:30:00"]);
  });

  it("offers now and an hour later only when the request names no date, and no due date then", () => {
    expect(args("make me a zoom link")).toEqual({
      spans: [{ start: "2024-06-03 09:00:00", end: "2024-06-03 10:00:00" }],
      due: [],
    });
    for (const request of ["zoom with Sid friday 3pm", "lunch tomorrow"])
      expect(args(request).spans.map((span) => span.start)).not.toContain("2024-06-03 09:00:00");
  });

  it("always ends after it starts, for every phrase chrono and the rewrites produce", () => {
    const requests = [
      "meeting 11-1pm thursday",
      "standup at 9:45 for 15 minutes",
      "dinner tonight",
      "offsite from June 10 to June 12",
      "call at 3 on the 3rd",
      "flight thurs 6:15am",
      "review in 2 hours",
    ];
    for (const request of requests)
      for (const { start, end } of args(request).spans)
        expect(end > start, `${request}: ${start} → ${end}`).toBe(true);
  });
});

describe("second thoughts", () => {
  const args = (request: string) => dateArguments(request, NOW, "UTC");

  it("take a corrected date's place, keeping what the correction does not say", () => {
    expect(args("put the review on my calendar friday at 3, actually make that 4pm").spans).toEqual([
      { start: "2024-06-07 16:00:00", end: "2024-06-07 17:00:00" },
    ]);
    expect(args("lunch with Ana thursday at 2 oh wait make it friday same time").spans).toEqual([
      { start: "2024-06-07 14:00:00", end: "2024-06-07 15:00:00" },
    ]);
    expect(args("dentist tomorrow at 9, no wait, change it to 10").due).toEqual(["2024-06-04 10:00:00"]);
    expect(args("zoom with Priya tomorrow 2pm, wait make it 3:30").spans).toEqual([
      { start: "2024-06-04 15:30:00", end: "2024-06-04 16:30:00" },
    ]);
    // The date taken back is no choice on the dates line either.
    expect(choices("put the review on my calendar friday at 3, actually make that 4pm")).not.toContain(
      "2024-06-07 15:00:00",
    );
  });

  it("leave two dates alone when nothing takes the first back", () => {
    expect(choices("call mom tomorrow at 6 and remind me friday to pay rent")).toEqual(
      expect.arrayContaining(["2024-06-04 18:00:00", "2024-06-07"]),
    );
    expect(args("I can't make it tuesday, move the meeting to wednesday at 3").spans).toHaveLength(2);
    expect(args("book a table for 2 people, make it 3 people, tomorrow at 7").spans).toEqual([
      { start: "2024-06-04 19:00:00", end: "2024-06-04 20:00:00" },
    ]);
  });
});

describe("dates by role, on generated requests", () => {
  // An odd minute, so that no date the request names can be "now" by chance.
  const ODD_NOW = new Date(Date.UTC(2024, 5, 3, 9, 17, 0));
  const pieces = [
    "tomorrow",
    "friday",
    "next tues",
    "on the 14th",
    "june 20",
    "at 3",
    "at 11am",
    "2-4",
    "from 10 to 11:30",
    "for 30 min",
    "for 2 hours",
    "all day",
    "tonight",
    "in the morning",
    "actually make that 4pm",
    "wait, make it thursday",
    "30 min before",
    "march 3 to 7",
    "at like noon",
    "and",
    "email Sid",
    "dentist",
  ];

  it("always end after they start, are real dates, and leave out now when the request names a date", () => {
    // (A request names a date when it gives a reminder one: then no event or call starts now.)
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 6 }), (words) => {
        const request = words.join(" ");
        const { spans, due } = dateArguments(request, ODD_NOW, "UTC");
        expect(spans.length).toBeGreaterThan(0);
        for (const { start, end } of spans) {
          expect(isRealDate(start) && isRealDate(end), request).toBe(true);
          expect(end > start, `${request}: ${start} → ${end}`).toBe(true);
        }
        for (const value of due) expect(isRealDate(value), request).toBe(true);
        // A request whose dates line offers a day or time of its own never starts at now.
        if (due.length > 0)
          expect(
            spans.map((span) => span.start),
            request,
          ).not.toContain("2024-06-03 09:17:00");
      }),
      { numRuns: 400, seed: 14 },
    );
  });
});

describe("dates by clause: each step takes the dates of its own part of the request", () => {
  const args = (request: string) => dateArguments(request, NOW, "UTC");

  it("gives a reminder the date of its clause and an event the others", () => {
    const both = args(
      "email the agenda to the board, put the board meeting thursday 6pm on my calendar, and remind me monday morning to send the follow up",
    );
    expect(both.due).toEqual(["2024-06-10 09:00:00"]);
    expect(both.spans).toEqual([{ start: "2024-06-06 18:00:00", end: "2024-06-06 19:00:00" }]);
    const context = args(
      "dinner party saturday 7pm at my place: send Thea a calendar invite, and remind me friday to clean",
    );
    expect(context.due).toEqual(["2024-06-07"]);
    expect(context.spans).toEqual([{ start: "2024-06-08 19:00:00", end: "2024-06-08 20:00:00" }]);
  });

  it("keeps a message's time off the event when the event has its own", () => {
    expect(
      args("moving day is saturday! text Bruno to come at 8am, put it on my calendar 8 to 2").spans,
    ).not.toContainEqual({ start: "2024-06-08 08:00:00", end: "2024-06-08 09:00:00" });
  });

  it("gives every date to both when a clause has none of its own", () => {
    // The reminder's date comes from the event's, by the lead.
    expect(args("put the all-hands on my calendar june 20 at 4pm and remind me the day before").due).toEqual([
      "2024-06-19 16:00:00",
    ]);
    // One date, one action: as before.
    expect(args("remind me at 5 to call mom").spans).toEqual([
      { start: "2024-06-03 17:00:00", end: "2024-06-03 18:00:00" },
    ]);
    expect(args("zoom with Sid friday 3pm and text him the link").due).toEqual(["2024-06-07 15:00:00"]);
  });
});
