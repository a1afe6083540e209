import { describe, expect, it } from "vitest";
import { copiedFrom } from "../../src/agent/request/allowed";
import { ResultFlow } from "../../src/agent/request/rules/result-flow";
import { TOOLS } from "../../src/tools/registry";

/** Passes lines through the rule as the planner does: rewrite, then keep. */
function flow(request: string, lines: string[]): string[] {
  const copied = copiedFrom(request);
  const rule = new ResultFlow(TOOLS, request, copied.recipients ?? [], copied.askedAbout ?? []);
  return lines.map((line) => {
    const kept = rule.rewrite(`${line}\n`);
    rule.keep(kept);
    return kept.trimEnd();
  });
}

describe("results flow where they belong (ResultFlow)", () => {
  it("keeps only phone numbers among an SMS's recipients, each once", () => {
    expect(
      flow("make a zoom for my tutoring session w/ Arjun tonight 7pm and text him the link", [
        '1. get_phone_number("Arjun")',
        '2. get_zoom_meeting_link("Tutoring session", "2024-06-03 19:00:00", 60, [])',
        '3. send_sms(["$1", "$1", "$1", "$2"], "The link")',
      ]).at(-1),
    ).toBe('3. send_sms(["$1"], "$2")');
  });

  it("sends to no step whose result is no address: an event, a note", () => {
    expect(
      flow("find out from Dmitri and schedule the viewing", [
        '1. create_calendar_event("Viewing", "2024-10-08 13:00:00", "2024-10-08 14:30:00", "", [], "", None)',
        '2. send_sms(["$1"], "Pizza or tacos")',
      ]).at(-1),
    ).toBe('2. send_sms([], "Pizza or tacos")');
  });

  it("keeps email addresses for mail and invites, file paths for attachments, and what the request wrote", () => {
    const lines = flow("email Sid and ana@example.com the Q3 deck", [
      '1. get_phone_number("Sid")',
      '2. get_email_address("Sid")',
      '3. open_and_get_file_path("Q3 deck")',
      '4. compose_new_email(["$1", "$2", "ana@example.com"], [], "Q3 deck", "The Q3 deck", ["$3", "$2"])',
    ]);
    expect(lines.at(-1)).toBe(
      '4. compose_new_email(["$2", "ana@example.com"], [], "Q3 deck", "The Q3 deck", ["$3"])',
    );
  });

  it("passes on a summary no step has used instead of the model's own words", () => {
    const lines = flow("summarize the lease pdf and email it to Ana", [
      '1. open_and_get_file_path("lease")',
      '2. summarize_pdf("$1")',
      '3. get_email_address("Ana")',
      '4. compose_new_email(["$3"], [], "Lease", "The lease pdf", [])',
    ]);
    expect(lines.at(-1)).toBe('4. compose_new_email(["$3"], [], "Lease", "$2", [])');
  });

  it("passes a link on again only when the request asks for it, and leaves other text alone", () => {
    const asked = flow("zoom with Kenji at 9, put it on my calendar and text Kenji the link", [
      '1. get_zoom_meeting_link("Kenji", "2024-06-04 09:00:00", 60, [])',
      '2. create_calendar_event("Kenji", "2024-06-04 09:00:00", "2024-06-04 10:00:00", "", [], "", None)',
      '3. get_phone_number("Kenji")',
      '4. send_sms(["$3"], "The link")',
    ]);
    expect(asked[1]).toContain('[], "$1", None)');
    expect(asked[3]).toBe('4. send_sms(["$3"], "$1")');
    const unasked = flow("zoom with Kenji at 9 and put it on my calendar, then text Mia I'm late", [
      '1. get_zoom_meeting_link("Kenji", "2024-06-04 09:00:00", 60, [])',
      '2. create_calendar_event("Kenji", "2024-06-04 09:00:00", "2024-06-04 10:00:00", "", [], "$1", None)',
      '3. get_phone_number("Mia")',
      '4. send_sms(["$3"], "I\'m late")',
    ]);
    expect(unasked[3]).toBe('4. send_sms(["$3"], "I\'m late")');
  });

  it("sends to the whole list the request names, and not to someone it only asks about", () => {
    expect(
      flow("email Priya and Dev the Q2 roadmap deck", [
        '1. get_email_address("Priya")',
        '2. open_and_get_file_path("Q2 roadmap deck")',
        '3. get_email_address("Dev")',
        '4. compose_new_email(["$1"], [], "Q2 roadmap deck", "Here it is", ["$2"])',
      ]).at(-1),
    ).toBe('4. compose_new_email(["$1", "$3"], [], "Q2 roadmap deck", "Here it is", ["$2"])');
    expect(
      flow("what's my dad's cell? oh and text my brother Kofi to call dad too", [
        '1. get_phone_number("dad")',
        '2. get_phone_number("Kofi")',
        '3. send_sms(["$1", "$2"], "Call dad too")',
      ]).at(-1),
    ).toBe('3. send_sms(["$2"], "Call dad too")');
    // Two lists, two messages: one list's people do not join the other's message.
    expect(
      flow("email Sid the deck and email Ana the notes", [
        '1. get_email_address("Sid")',
        '2. get_email_address("Ana")',
        '3. compose_new_email(["$1"], [], "Deck", "Deck", [])',
      ]).at(-1),
    ).toBe('3. compose_new_email(["$1"], [], "Deck", "Deck", [])');
  });

  it("passes thoughts, the join and lines it cannot read unchanged", () => {
    const lines = ["Thought: look up Sid", "1. get_phone_number(", "2. join()<END_OF_PLAN>"];
    expect(flow("text Sid", lines)).toEqual(lines);
  });
});

describe("a result written where its kind does not belong", () => {
  it("is replaced by the result the text carries: the meeting link, not an address, in an event's notes", () => {
    expect(
      flow(
        "I'm interviewing Priscilla at 1pm tomorrow on zoom, put it on my calendar, and email her the link",
        [
          '1. get_email_address("Priscilla")',
          '2. get_zoom_meeting_link("Interview", "2024-06-04 13:00:00", 60, ["$1"])',
          '3. create_calendar_event("Interview", "2024-06-04 13:00:00", "2024-06-04 14:00:00", "", [], "$1", None)',
        ],
      ).at(-1),
    ).toBe(
      '3. create_calendar_event("Interview", "2024-06-04 13:00:00", "2024-06-04 14:00:00", "", [], "$2", None)',
    );
  });

  it("goes to the step's list that takes it: a file in an email's body is its attachment", () => {
    expect(
      flow("email dr.mensah@riversidehealth.org my insurance card scan", [
        '1. open_and_get_file_path("insurance card")',
        '2. compose_new_email(["dr.mensah@riversidehealth.org"], [], "Insurance card", "$1", [])',
      ]).at(-1),
    ).toBe('2. compose_new_email(["dr.mensah@riversidehealth.org"], [], "Insurance card", "", ["$1"])');
  });

  it("stays when it has no kind: an opened note's text", () => {
    expect(
      flow("open the notes from the Acme call and email them to Rosa", [
        '1. open_note("Acme call", None)',
        '2. get_email_address("Rosa")',
        '3. compose_new_email(["$2"], [], "Acme call", "$1", [])',
      ]).at(-1),
    ).toBe('3. compose_new_email(["$2"], [], "Acme call", "$1", [])');
  });
});

describe("a reminder's notes", () => {
  it("do not repeat a summary another step passes on already", () => {
    expect(
      flow(
        "summarize the lease pdf and email the summary to Oksana, then set a reminder to sign by the 20th",
        [
          '1. open_and_get_file_path("lease")',
          '2. summarize_pdf("$1")',
          '3. get_email_address("Oksana")',
          '4. compose_new_email(["$3"], [], "Lease", "$2", [])',
          '5. create_reminder("Sign", "2024-06-20", "$2", "", 0, True)',
        ],
      ).at(-1),
    ).toBe('5. create_reminder("Sign", "2024-06-20", "", "", 0, True)');
  });

  it("carry a summary nothing else passes on", () => {
    expect(
      flow("summarize the syllabus and remind me of the first assignment due date", [
        '1. open_and_get_file_path("syllabus")',
        '2. summarize_pdf("$1")',
        '3. create_reminder("First assignment", "", "", "", 0, False)',
      ]).at(-1),
    ).toBe('3. create_reminder("First assignment", "", "$2", "", 0, False)');
  });
});
