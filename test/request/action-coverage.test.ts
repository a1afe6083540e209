import { describe, expect, it } from "vitest";
import { planGrammar } from "../../src/agent/plan/grammar";
import { copiedFrom } from "../../src/agent/request/allowed";
import { clausesOf } from "../../src/agent/request/clauses";
import { askedTimes, askedTools, ruledOutTools } from "../../src/agent/request/asked-tools";
import { planLines } from "../../src/agent/request/rules/plan-lines";
import { defaultRegistry } from "../../src/tools/registry";
import { parseGbnf, toRegExp } from "../grammar/gbnf";

const tools = ["create_reminder", "create_calendar_event", "send_sms", "get_phone_number"].map((name) =>
  defaultRegistry.get(name)!,
);

describe("the clauses of a request", () => {
  const kinds = (text: string) =>
    clausesOf(text).map((clause) => `${clause.kind}: ${text.slice(clause.start, clause.end).trim()}`);

  it("split at sentence ends and before an action joined by a comma, 'and' or 'then'", () => {
    expect(
      kinds(
        "dinner party saturday 7pm: send thea a calendar invite, text caspar the code, and remind me friday to clean",
      ),
    ).toEqual([
      "context: dinner party saturday 7pm",
      "event: send thea a calendar invite",
      "other: text caspar the code",
      "reminder: remind me friday to clean",
    ]);
    expect(kinds("first email dmitri the draft second put a call tomorrow at 4 on my calendar")).toEqual([
      "other: first email dmitri the draft",
      "event: put a call tomorrow at 4 on my calendar",
    ]);
  });

  it("do not split at a verb that is not joined to what comes before", () => {
    expect(kinds("remind me to text kwame happy birthday on the 30th")).toEqual([
      "reminder: remind me to text kwame happy birthday on the 30th",
    ]);
  });
});

describe("the actions a request plainly asks for", () => {
  it("are a reminder, a calendar event and a text, each once, in order", () => {
    expect(
      askedTools(
        "put the board meeting thursday 6pm on my calendar, and remind me monday to send the follow up",
      ),
    ).toEqual(["create_calendar_event", "create_reminder"]);
    expect(askedTools("text Bruno to come at 8am, put it on my calendar 8 to 2 and text Tariq too")).toEqual([
      "send_sms",
      "create_calendar_event",
    ]);
  });

  it("are none when a word only talks about them", () => {
    expect(askedTools("email Dr. Okafor asking to move our meeting to 2pm")).toEqual(["compose_new_email"]);
    expect(askedTools("remind me to text Kwame happy birthday")).toEqual(["create_reminder"]);
  });
});

describe("a join while an asked-for action has no step", () => {
  const request = "put the review friday 3pm on my calendar and remind me thursday to prep";

  it("is refused once, and the next round starts with the missing tool", () => {
    const lines = planLines(copiedFrom(request), tools, 12)!;
    const out: string[] = [];
    const emit = (text: string) => out.push(text);
    expect(
      lines.push(
        '1. create_calendar_event("review", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", [], "", None)\n',
        true,
        emit,
      ),
    ).toBe(true);
    lines.push("2. join()<END_OF_PLAN>", true, emit);
    expect(lines.end(true, emit)).toBe(false);
    expect(lines.takeNextStep().startWith).toBe("create_reminder");
    expect(lines.takeNextStep().startWith).toBeUndefined();
    expect(out.join("")).not.toContain("join");
    // Asked for once: a model that still joins is let be.
    lines.push("2. join()<END_OF_PLAN>", true, emit);
    expect(lines.end(true, emit)).toBe(true);
  });

  it("is let be when the tool is not selected, or the plan has no room for another step", () => {
    const noReminder = planLines(copiedFrom(request), tools.slice(1), 12)!;
    noReminder.push(
      '1. create_calendar_event("review", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", [], "", None)\n',
      true,
      () => {},
    );
    noReminder.push("2. join()<END_OF_PLAN>", true, () => {});
    expect(noReminder.end(true, () => {})).toBe(true);
    const full = planLines(copiedFrom(request), tools, 1)!;
    full.push('1. send_sms(["+1 555 0100"], "prep")\n', true, () => {});
    full.push("2. join()<END_OF_PLAN>", true, () => {});
    expect(full.end(true, () => {})).toBe(true);
  });

  it("has a grammar whose next step can only be that tool", () => {
    const grammar = toRegExp(
      parseGbnf(planGrammar(tools, { ...copiedFrom(request), startStep: 2, startWith: "create_reminder" })),
    );
    expect(grammar.test("2. join()<END_OF_PLAN>")).toBe(false);
    expect(grammar.test('2. send_sms(["+1 555 0100"], "prep")\n3. join()<END_OF_PLAN>')).toBe(false);
    expect(grammar.test('2. create_reminder("prep", "", "", "", 0, True)\n3. join()<END_OF_PLAN>')).toBe(
      true,
    );
  });
});

describe("a document the request sends or finds", () => {
  it("asks for the file look-up", () => {
    expect(askedTools("find the keynote slides and email them to Sandeep")).toEqual([
      "open_and_get_file_path",
      "compose_new_email",
    ]);
    expect(askedTools("email game_film_june1.mp4 to Coach Whitfield and text Rhys that it's sent")).toEqual([
      "compose_new_email",
      "open_and_get_file_path",
      "send_sms",
    ]);
    expect(askedTools("reply to Keith with the signed contract attached")).toEqual([
      "open_and_get_file_path",
    ]);
  });

  it("does not, for a link, an address or a message with no document", () => {
    expect(
      askedTools("mail maria@example.com the link to the album https://photos.app.goo.gl/8kQz2"),
    ).toEqual([]);
    expect(askedTools("email Rosa that it'll be in by end of day")).toEqual(["compose_new_email"]);
    expect(askedTools("text Dana the photo booth address")).toEqual(["send_sms"]);
  });

  it("holds an email back until the file is looked up, once", () => {
    const selected = ["open_and_get_file_path", "compose_new_email", "get_email_address"].map((name) =>
      defaultRegistry.get(name)!,
    );
    const lines = planLines(copiedFrom("email Sandeep the keynote slides"), selected, 12)!;
    const out: string[] = [];
    const emit = (text: string) => out.push(text);
    lines.push('1. get_email_address("Sandeep")\n', true, emit);
    lines.push('2. compose_new_email(["$1"], [], "slides", "slides", [])\n', true, emit);
    // A line is judged when the next one starts.
    expect(lines.push("3. join()<END_OF_PLAN>", true, emit)).toBe(false);
    expect(lines.takeNextStep().startWith).toBe("open_and_get_file_path");
    expect(out.join("")).toBe('1. get_email_address("Sandeep")\n');
    // A join is never held back for a file: the email it was for is written by then.
    lines.push('2. open_and_get_file_path("keynote slides")\n', true, emit);
    lines.push('3. compose_new_email(["$1"], [], "slides", "slides", ["$2"])\n', true, emit);
    lines.push("4. join()<END_OF_PLAN>", true, emit);
    expect(lines.end(true, emit)).toBe(true);
  });
});

describe("a look-up that only repeats one written before", () => {
  const selected = ["get_phone_number", "send_sms", "get_zoom_meeting_link"].map((name) =>
    defaultRegistry.get(name)!,
  );
  const request = "set up a zoom sunday at 6pm and text the link to Priyanka and Devika";

  it("is refused when nobody is left to look up, and the step is written without that tool", () => {
    const lines = planLines(copiedFrom(request), selected, 12)!;
    const emit = () => {};
    lines.push('1. get_phone_number("Priyanka")\n2. get_phone_number("Devika")\n', true, emit);
    lines.push('3. get_phone_number("priyanka")\n', true, emit);
    expect(lines.push("4. ", true, emit)).toBe(false);
    expect(lines.takeNextStep().startWithout).toBe("get_phone_number");
    expect(lines.written).toBe('1. get_phone_number("Priyanka")\n2. get_phone_number("Devika")\n');
  });

  it("has a grammar whose next step is any other call, or the join", () => {
    const grammar = toRegExp(
      parseGbnf(
        planGrammar(selected, { ...copiedFrom(request), startStep: 3, startWithout: "get_phone_number" }),
      ),
    );
    expect(grammar.test('3. get_phone_number("Priyanka")\n4. join()<END_OF_PLAN>')).toBe(false);
    expect(grammar.test('3. send_sms(["$1", "$2"], "sunday")\n4. join()<END_OF_PLAN>')).toBe(true);
    expect(grammar.test("3. join()<END_OF_PLAN>")).toBe(true);
  });
});

describe("an email the request asks to write", () => {
  it("is asked for by 'email' as a verb, not as a noun", () => {
    expect(askedTools("email Rosa that it'll be in by end of day")).toEqual(["compose_new_email"]);
    expect(askedTools("email address for Agnieszka Kowalczyk?")).toEqual([]);
    expect(askedTools("contact info for Yusuf Demir, number and email pls")).toEqual([]);
    expect(askedTools("I need Thandiwe's phone and email")).toEqual([]);
    expect(askedTools("reply to this and email Sid too")).toEqual(["compose_new_email"]);
    expect(askedTools("email the reply to Sid back, forward it")).toEqual([]);
  });
});

describe("notes, maps, Zoom calls and summaries the request asks for", () => {
  it("are asked for by the words that plainly make them", () => {
    expect(askedTools("add basil needs repotting to my Garden note")).toEqual(["append_note_content"]);
    expect(askedTools("make a new note for the offsite agenda")).toEqual(["create_note"]);
    expect(askedTools("walking directions from the dorm to the Engineering Library")).toEqual([
      "maps_show_directions",
    ]);
    expect(askedTools("save the address in a note and show it on the map")).toEqual([
      "create_note",
      "maps_open_location",
    ]);
    expect(askedTools("schedule a zoom with Whitney at 2 tomorrow")).toEqual(["get_zoom_meeting_link"]);
    expect(askedTools("summarize the lease pdf")).toEqual(["summarize_pdf"]);
  });

  it("are not asked for by words that only talk about them", () => {
    expect(askedTools("open the note called Passwords in my Private folder")).toEqual([]);
    expect(askedTools("set a reminder to join the zoom at 3")).toEqual(["create_reminder"]);
    expect(askedTools("forward this to Gráinne, and add a note saying please action by Friday")).toEqual([]);
  });
});

describe("an action written more often than the request asks for it", () => {
  const selected = [
    "get_email_address",
    "compose_new_email",
    "create_reminder",
    "send_sms",
    "get_phone_number",
  ].map((name) => defaultRegistry.get(name)!);
  const emit = () => {};

  it("is counted clause by clause or word by word, whichever is more; 'both' or 'each' ask for any number", () => {
    // The tools asked for (a tool ruled out has most 0: see below).
    const most = (request: string) =>
      Object.fromEntries(
        [...askedTimes(request)].filter(([, t]) => t.most > 0).map(([tool, t]) => [tool, t.most]),
      );
    expect(most("text Dana the address, and text Luis the code, then email Ana")).toEqual({
      send_sms: 2,
      compose_new_email: 1,
    });
    expect(most("text Dana and Luis the address")).toEqual({ send_sms: 1 });
    // One clause, two messages by their words.
    expect(most("text Dana the address and text Luis the code")).toEqual({ send_sms: 2 });
    expect(most("dentist at 8:30 and zoom at 4pm. put both on the calendar").create_calendar_event).toBe(
      Infinity,
    );
    // One clause often asks for several reminders, files or summaries.
    expect(most("remind me to call Ana")).toEqual({ create_reminder: Infinity });
  });

  it("rules out an event when the request asks for a Zoom call and nothing for a calendar", () => {
    const event = (request: string) => askedTimes(request).get("create_calendar_event");
    expect(
      event("schedule a zoom with Whitney at 2 tomorrow, hmm make that 2:30, and email her the link"),
    ).toEqual({ least: 0, most: 0 });
    expect(askedTools("schedule a zoom with Whitney at 2 tomorrow")).toEqual(["get_zoom_meeting_link"]);
    // An event scheduled with a call, a calendar or a hold named: the event stays open.
    expect(event("schedule Sync with Lorenzo thursday 9 with a zoom link")).toBeUndefined();
    expect(event("Book the interview at 1:30, and I need a zoom link for the user study")).toBeUndefined();
    expect(event("zoom with Rafael thurs 4pm, stick it in my calendar")?.least).toBe(1);
  });

  it("rules out a Zoom call when no word asks for one online", () => {
    const zoom = (request: string) => askedTimes(request).get("get_zoom_meeting_link");
    expect(zoom("set up a 1:1 with Agnieszka next monday 2pm on my calendar")).toEqual({ least: 0, most: 0 });
    expect(zoom("new zom meeting: user study, tomorrow 7:30pm")).not.toEqual({ least: 0, most: 0 });
    expect(zoom("put the review on my calendar and send everyone the video link")).toBeUndefined();
  });

  it("rules out a forward or a reply when no word forwards or answers an email", () => {
    const ruledOut = (request: string) => ruledOutTools(request);
    expect(ruledOut("what's Yusuf's email? also send him the contract")).toEqual(
      expect.arrayContaining(["forward_email", "reply_to_email"]),
    );
    expect(ruledOut("pass this email along to my accountant")).not.toContain("forward_email");
    expect(ruledOut("repy to Sarah saying yes")).not.toContain("reply_to_email");
    expect(ruledOut("start a new note for the Kyoto trip with the hotel confirmation")).toContain(
      "open_note",
    );
    expect(ruledOut("opne the Recipes note")).not.toContain("open_note");
    expect(
      ruledOut("add my daughter's piano recital to my calendar for Saturday the 14th at 4 PM"),
    ).toContain("create_reminder");
    expect(ruledOut("set up a rwminder: check the calendar for the offsite")).not.toContain(
      "create_reminder",
    );
  });

  it("asks for a reminder per thing a reminder clause lists", () => {
    const least = (request: string) => askedTimes(request).get("create_reminder")?.least;
    expect(least("remind me at 8pm to take my antibiotics, and again tomorrow at 8am")).toBe(2);
    expect(
      least("remind me to pick up the dry cleaning at 5:30 and to buy a card for Kiri on thursday"),
    ).toBe(2);
    expect(least("remind me to buy bread and milk")).toBe(1);
  });

  it("counts 'send a text', 'draft an email' and 'show me where' as asking", () => {
    expect(askedTools("send a text to 415-555-0199 saying your table is ready")).toEqual(["send_sms"]);
    expect(askedTools("send my husband a text that it's done")).toEqual(["send_sms"]);
    expect(askedTools("Please draft an email to Dr. Okafor asking to move our meeting")).toEqual([
      "compose_new_email",
    ]);
    expect(askedTools("show me where St. Anne's is")).toEqual(["maps_open_location"]);
    expect(askedTools("send Ana my thanks")).toEqual([]);
  });

  it("is asked for again at the join while a listed reminder is missing, once per missing reminder", () => {
    const request = "remind me at 8pm to take my antibiotics, and again tomorrow at 8am";
    const reminders = [defaultRegistry.get("create_reminder")!];
    const lines = planLines(copiedFrom(request), reminders, 12)!;
    lines.push(
      '1. create_reminder("Take my antibiotics", "2024-06-04 08:00:00", "", "", 0, False)\n',
      true,
      emit,
    );
    expect(lines.push("2. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(lines.end(true, emit)).toBe(false);
    expect(lines.takeNextStep()).toEqual({ startWith: "create_reminder" });
    expect(lines.push("2. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(lines.end(true, emit)).toBe(true);
  });

  it("is refused, and the step is written without that tool", () => {
    const request =
      "email Professor Huang to ask for an extension on the lab report till friday, cc my lab partner Felix";
    const lines = planLines(copiedFrom(request), selected, 12)!;
    lines.push('1. get_email_address("Professor Huang")\n2. get_email_address("Felix")\n', true, emit);
    lines.push(
      '3. compose_new_email(["$1"], ["$2"], "Lab report", "Extension on the lab report", [])\n',
      true,
      emit,
    );
    expect(lines.push('4. compose_new_email(["$2"], [], "Lab report", "Extension", [])\n', true, emit)).toBe(
      false,
    );
    expect(lines.takeNextStep()).toEqual({ startWithout: "compose_new_email" });
    expect(lines.steps).toBe(3);
  });

  it("is let be while the request asks for more, and for reminders, which one clause may ask twice", () => {
    const request =
      "text Dana the address, and text Luis the code, remind me at 8pm to call and again at 9pm";
    const lines = planLines(copiedFrom(request), selected, 12)!;
    const plan =
      '1. get_phone_number("Dana")\n2. send_sms(["$1"], "The address")\n3. get_phone_number("Luis")\n' +
      '4. send_sms(["$3"], "The code")\n5. create_reminder("Call", "2024-06-03 20:00:00", "", "", 0, False)\n' +
      '6. create_reminder("Call", "2024-06-03 21:00:00", "", "", 0, False)\n';
    expect(lines.push(plan, true, emit)).toBe(true);
    expect(lines.steps).toBe(6);
    expect(lines.push('7. send_sms(["$1"], "The code")\n', true, emit)).toBe(false);
    expect(lines.takeNextStep()).toEqual({ startWithout: "send_sms" });
  });
});
