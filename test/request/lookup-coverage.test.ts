import { describe, expect, it } from "vitest";
import { DistinctLookups } from "../../src/agent/request/rules/distinct-lookups";
import { sendingTools } from "../../src/agent/plan/grammar";
import { LookupCoverage } from "../../src/agent/request/rules/lookup-coverage";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import { planGrammar } from "../../src/agent/plan/grammar";
import { copiedFrom } from "../../src/agent/request/allowed";
import { planLines } from "../../src/agent/request/rules/plan-lines";
import { parseGbnf, toRegExp } from "../grammar/gbnf";

const SENDING = new Set(sendingTools(TOOLS).map((tool) => tool.name));

describe("look-up coverage", () => {
  it("knows which tools send to or invite people", () => {
    expect([...SENDING].sort()).toEqual([
      "compose_new_email",
      "create_calendar_event",
      "forward_email",
      "get_zoom_meeting_link",
      "reply_to_email",
      "send_sms",
    ]);
  });

  it("refuses to send while someone on the same list is missing", () => {
    const coverage = new LookupCoverage([["Hemi", "Wiremu"]], SENDING);
    expect(coverage.missingBefore('1. get_phone_number("Hemi")')).toEqual([]);
    coverage.keep('1. get_phone_number("Hemi")\n');
    expect(coverage.missingBefore('2. send_sms(["$1"], "practice is off")\n')).toEqual(["Wiremu"]);
    expect(coverage.missingBefore("2. join()<END_OF_PLAN>")).toEqual(["Wiremu"]);
    // A step that sends nothing may come between look-ups.
    expect(coverage.missingBefore('2. open_note("Practice", None)\n')).toEqual([]);
    coverage.keep('2. get_phone_number("wiremu")\n');
    expect(coverage.missingBefore('3. send_sms(["$1", "$2"], "practice is off")\n')).toEqual([]);
    expect(coverage.missingBefore("4. join()<END_OF_PLAN>")).toEqual([]);
  });

  it("lets one message go before the next list is looked up, but not the join", () => {
    const coverage = new LookupCoverage([["Zawadi"], ["Mustafa"]], SENDING);
    coverage.keep('1. get_email_address("Zawadi")\n');
    expect(coverage.missingBefore('2. compose_new_email(["$1"], [], "Late", "Late", [])\n')).toEqual([]);
    expect(coverage.missingBefore("3. join()<END_OF_PLAN>")).toEqual(["Mustafa"]);
  });

  it("does not join before looking up the people whose details the request asks for", () => {
    const coverage = new LookupCoverage([["Tariq"]], SENDING, ["Tariq"]);
    expect(coverage.missingBefore('1. create_note("Tariq", "number", None)\n')).toEqual([]);
    expect(coverage.missingBefore("2. join()<END_OF_PLAN>")).toEqual(["Tariq"]);
    coverage.keep('2. get_phone_number("Tariq")\n');
    expect(coverage.missingBefore("3. join()<END_OF_PLAN>")).toEqual([]);
    // Recipients who are only sent to wait for a step that sends, as before.
    expect(new LookupCoverage([["Sid"]], SENDING).missingBefore("1. join()<END_OF_PLAN>")).toEqual([]);
  });

  it("refuses a step that sends before anyone is looked up, for the request's first list", () => {
    const coverage = new LookupCoverage([["priya", "kenji"], ["ana"]], SENDING);
    expect(coverage.missingBefore('1. open_note("Launch", None)\n')).toEqual([]);
    expect(
      coverage.missingBefore('1. get_zoom_meeting_link("Sync", "2024-06-07 14:00:00", 60, [])\n'),
    ).toEqual(["priya", "kenji"]);
    // A plan that looks nobody up may end: the request may only mention them.
    expect(coverage.missingBefore("1. join()<END_OF_PLAN>")).toEqual([]);
  });

  it("asks nothing when the request names no recipient, or of text that is no step", () => {
    const coverage = new LookupCoverage([], SENDING);
    coverage.keep('1. get_email_address("Ana")\n');
    expect(coverage.missingBefore('2. compose_new_email(["$1"], [], "Hi", "Hi", [])\n')).toEqual([]);
    const other = new LookupCoverage([["Ana"]], SENDING);
    other.keep('1. get_email_address("Bo")\n');
    expect(other.missingBefore("  \n")).toEqual([]);
    expect(other.missingBefore("2. join()<END_OF_PLAN>")).toEqual(["Ana"]);
  });

  it("reads escaped names as the grammar writes them", () => {
    const coverage = new LookupCoverage([['Zoë "Z" Ünal']], SENDING);
    coverage.keep('1. get_email_address("Zoë \\"Z\\" Ünal")\n');
    expect(coverage.missingBefore("2. join()<END_OF_PLAN>")).toEqual([]);
  });
});

describe("look-up coverage by channel", () => {
  const tools = [
    "get_phone_number",
    "get_email_address",
    "send_sms",
    "compose_new_email",
    "create_calendar_event",
  ].map((name) => defaultRegistry.get(name)!);
  const emit = () => {};

  it("looks up someone the request reaches two ways with each tool, before the send that needs it", () => {
    const request =
      "text my landlord Mr. Greene that the heater burst, email him the photo water_heater.jpg too";
    const lines = planLines(copiedFrom(request), tools, 12)!;
    lines.push('1. get_phone_number("Mr. Greene")\n2. send_sms(["$1"], "The heater burst")\n', true, emit);
    expect(lines.push('3. compose_new_email([], [], "Heater", "Photo", [])\n', true, emit)).toBe(false);
    expect(lines.takeNextStep()).toEqual({ lookUp: ["Mr. Greene"], lookUpWith: "get_email_address" });
    lines.push('3. get_email_address("Mr. Greene")\n', true, emit);
    expect(lines.push('4. compose_new_email(["$3"], [], "Heater", "Photo", [])\n', true, emit)).toBe(true);
    expect(lines.steps).toBe(4);
  });

  it("asks before the join, once per person and tool, and only for who was looked up at all", () => {
    const request =
      "text Dario and Camila that we open at 11, put a staff meeting at 10 on the calendar, invite them both";
    const lines = planLines(copiedFrom(request), tools, 12)!;
    const plan =
      '1. get_phone_number("Dario")\n2. get_phone_number("Camila")\n3. send_sms(["$1", "$2"], "We open at 11")\n';
    expect(lines.push(plan, true, emit)).toBe(true);
    expect(lines.push("4. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(lines.end(true, emit)).toBe(false);
    expect(lines.takeNextStep()).toEqual({ lookUp: ["Dario", "Camila"], lookUpWith: "get_email_address" });
    // Asked once: a model that will not write them may still end, once the event it was asked for is written.
    expect(lines.push("4. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(lines.end(true, emit)).toBe(false);
    expect(lines.takeNextStep()).toEqual({ startWith: "create_calendar_event" });
    expect(lines.push("4. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(lines.end(true, emit)).toBe(true);
    // Nobody looked up yet: the channel rule asks nothing (the action rule wants the text first).
    const fresh = planLines(copiedFrom(request), tools, 12)!;
    expect(fresh.push("1. join()<END_OF_PLAN>", true, emit)).toBe(true);
    expect(fresh.end(true, emit)).toBe(false);
    expect(fresh.takeNextStep()).toEqual({ startWith: "send_sms" });
  });

  it("has a grammar whose next step can only be that tool's look-up of those people", () => {
    const request =
      "text my landlord Mr. Greene that the heater burst, email him the photo water_heater.jpg too";
    const options = {
      ...copiedFrom(request),
      startStep: 3,
      lookUp: ["Mr. Greene"],
      lookUpWith: "get_email_address",
    };
    const grammar = toRegExp(parseGbnf(planGrammar(tools, options)));
    expect(grammar.test('3. get_email_address("Mr. Greene")\n4. join()<END_OF_PLAN>')).toBe(true);
    expect(grammar.test('3. get_phone_number("Mr. Greene")\n4. join()<END_OF_PLAN>')).toBe(false);
  });
});

describe("distinct look-ups after a refused line", () => {
  it("drops the text it held, so the step can be written again", () => {
    const rule = new DistinctLookups(["Sid", "Lutfi"]);
    expect(rule.push('1. get_email_address("Sid")\n2. compose_new')).toBe('1. get_email_address("Sid")\n');
    rule.discard();
    expect(rule.push('2. get_email_address("Sid")\n')).toBe('2. get_email_address("Lutfi")\n');
    expect(rule.end()).toBe("");
  });
});
