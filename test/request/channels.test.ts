import { describe, expect, it } from "vitest";
import { planGrammar } from "../../src/agent/plan/grammar";
import { copiedFrom } from "../../src/agent/request/allowed";
import { contactDetails } from "../../src/agent/request/channels";
import { planLines } from "../../src/agent/request/rules/plan-lines";
import { defaultRegistry } from "../../src/tools/registry";
import { parseGbnf, toRegExp } from "../grammar/gbnf";

describe("the contact details a request needs", () => {
  it("are the channel its words name, or both when they name both or neither", () => {
    expect(contactDetails("what are Sid's and Lutfi's emails")).toEqual(["email-address"]);
    expect(contactDetails("tell Hemi and Wiremu practice is cancelled")).toEqual(["phone-number"]);
    expect(contactDetails("let my sister know I landed")).toEqual(["phone-number"]);
    expect(contactDetails("zoom w/ priya fri 2pm")).toEqual(["email-address"]);
    expect(contactDetails("email Sid and text Lutfi")).toEqual(["phone-number", "email-address"]);
    expect(contactDetails("send Sid the deck")).toEqual(["phone-number", "email-address"]);
    // A message already there is no text to send.
    expect(contactDetails("forward this message to Gráinne and Pádraig")).toEqual(["email-address"]);
    expect(contactDetails("text Kai the message from Ana")).toEqual(["phone-number"]);
  });

  it("hold the grammar's look-ups to that channel, while keeping every other tool", () => {
    const tools = ["get_phone_number", "get_email_address", "compose_new_email"].map((name) =>
      defaultRegistry.get(name)!,
    );
    const accepts = (request: string, step: string) =>
      toRegExp(parseGbnf(planGrammar(tools, { ...copiedFrom(request), maxSteps: 1 }))).test(
        `1. ${step}\n2. join()<END_OF_PLAN>`,
      );
    expect(accepts("what are Sid's emails", 'get_phone_number("Sid")')).toBe(false);
    expect(accepts("what are Sid's emails", 'get_email_address("Sid")')).toBe(true);
    expect(accepts("send Sid the deck", 'get_phone_number("Sid")')).toBe(true);
    // With only a phone look-up selected and an email request, the tool stays: a grammar needs a tool.
    const phoneOnly = [defaultRegistry.get("get_phone_number")!];
    const grammar = planGrammar(phoneOnly, { ...copiedFrom("what are Sid's emails"), maxSteps: 1 });
    expect(toRegExp(parseGbnf(grammar)).test('1. get_phone_number("Sid")\n2. join()<END_OF_PLAN>')).toBe(
      true,
    );
  });
});

describe("each person's channel", () => {
  const tools = ["get_phone_number", "get_email_address", "send_sms", "compose_new_email"].map((name) =>
    defaultRegistry.get(name)!,
  );
  const request = "email Sid the deck and text Ana that I'm late";
  const accepts = (step: string, options = {}) =>
    toRegExp(parseGbnf(planGrammar(tools, { ...copiedFrom(request), maxSteps: 1, ...options }))).test(
      `1. ${step}\n2. join()<END_OF_PLAN>`,
    );

  it("holds each look-up to the people the request reaches by that channel", () => {
    expect(accepts('get_email_address("Sid")')).toBe(true);
    expect(accepts('get_phone_number("Ana")')).toBe(true);
    expect(accepts('get_phone_number("Sid")')).toBe(false);
    expect(accepts('get_email_address("Ana")')).toBe(false);
    // Without per-person channels (another request), either look-up of either person.
    const both = toRegExp(
      parseGbnf(planGrammar(tools, { ...copiedFrom("send Sid and Ana the deck"), maxSteps: 1 })),
    );
    expect(both.test('1. get_phone_number("Sid")\n2. join()<END_OF_PLAN>')).toBe(true);
  });

  it("holds a forced look-up of someone missing to their channel too", () => {
    const forced = (step: string) =>
      toRegExp(
        parseGbnf(planGrammar(tools, { ...copiedFrom(request), maxSteps: 2, lookUp: ["Sid", "Ana"] })),
      ).test(`1. ${step}\n2. join()<END_OF_PLAN>`);
    expect(forced('get_email_address("Sid")')).toBe(true);
    expect(forced('get_phone_number("Ana")')).toBe(true);
    expect(forced('get_phone_number("Sid")')).toBe(false);
    expect(forced('send_sms(["+1 555 0100"], "late")')).toBe(false);
  });

  it("makes a repeated look-up the next person of that channel, never one of the other", () => {
    // Ana is named first, but she is texted: the repeat of Sid becomes Bo.
    const lines = planLines(copiedFrom("text Ana that I'm late and email Sid and Bo the deck"), tools, 12)!;
    const out: string[] = [];
    for (const line of ['1. get_email_address("Sid")\n', '2. get_email_address("Sid")\n'])
      lines.push(line, true, (text) => out.push(text));
    expect(out.join("")).toBe('1. get_email_address("Sid")\n2. get_email_address("Bo")\n');
  });
});

describe("a request that writes out every address it sends to", () => {
  const tools = ["get_email_address", "open_and_get_file_path", "compose_new_email", "create_reminder"].map(
    (name) => defaultRegistry.get(name)!,
  );

  it("needs no look-up, so its grammar offers none", () => {
    const request =
      "email the team roster to u10parents@lists.riverfc.org, and remind me friday night to wash the jerseys";
    const copied = copiedFrom(request);
    expect(copied.people).toEqual([]);
    expect(copied.contactDetails).toEqual([]);
    const grammar = toRegExp(parseGbnf(planGrammar(tools, copied)));
    expect(grammar.test('1. get_email_address("Friday")\n2. join()<END_OF_PLAN>')).toBe(false);
    expect(
      grammar.test(
        '1. open_and_get_file_path("team roster")\n2. compose_new_email(["u10parents@lists.riverfc.org"], [], "Team roster", "Team roster", ["$1"])\n3. join()<END_OF_PLAN>',
      ),
    ).toBe(true);
  });

  it("still looks up the person's own address when it says 'myself'", () => {
    const copied = copiedFrom("email jordan.lee@gmail.com the carpool schedule file and copy myself");
    expect(copied.people).toEqual(["Me"]);
    expect(copied.contactDetails).toEqual(["email-address"]);
  });
});

describe("a request that reaches nobody", () => {
  it("offers no look-up: no recipient and no word that sends, asks for details or brings someone along", () => {
    expect(
      copiedFrom("can you put the half marathon on april 27 at 7am in my calendar, its at Golden Gate Park")
        .contactDetails,
    ).toEqual([]);
    expect(
      copiedFrom("schedule Budget Review friday 3pm for 30 min in the Blue Room").contactDetails,
    ).toEqual([]);
  });

  it("still offers them for a word that reaches someone, or a one-letter typo of one", () => {
    expect(copiedFrom("whats zeynep's emial").contactDetails).not.toEqual([]);
    expect(copiedFrom("Messge Mrs. DeShawn the key points").contactDetails).not.toEqual([]);
    expect(copiedFrom("txet my roommate the game starts at 7:00").contactDetails).not.toEqual([]);
    expect(copiedFrom("put lunch on my calendar with Aroha").contactDetails).not.toEqual([]);
  });
});
