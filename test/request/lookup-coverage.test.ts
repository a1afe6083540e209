import { describe, expect, it } from "vitest";
import { DistinctLookups } from "../../src/agent/request/rules/distinct-lookups";
import { sendingTools } from "../../src/agent/plan/grammar";
import { LookupCoverage } from "../../src/agent/request/rules/lookup-coverage";
import { TOOLS } from "../../src/tools/registry";

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

describe("distinct look-ups after a refused line", () => {
  it("drops the text it held, so the step can be written again", () => {
    const rule = new DistinctLookups(["Sid", "Lutfi"]);
    expect(rule.push('1. get_email_address("Sid")\n2. compose_new')).toBe('1. get_email_address("Sid")\n');
    rule.discard();
    expect(rule.push('2. get_email_address("Sid")\n')).toBe('2. get_email_address("Lutfi")\n');
    expect(rule.end()).toBe("");
  });
});
