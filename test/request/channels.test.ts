import { describe, expect, it } from "vitest";
import { planGrammar } from "../../src/agent/plan/grammar";
import { copiedFrom } from "../../src/agent/request/allowed";
import { contactDetails } from "../../src/agent/request/channels";
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
