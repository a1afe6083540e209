import { describe, expect, it } from "vitest";
import { DistinctLookups } from "../../src/agent/plan/distinct-lookups";
import { sendingTools } from "../../src/agent/plan/grammar";
import { LookupCoverage } from "../../src/agent/plan/lookup-coverage";
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

  it("refuses to move on from look-ups while a recipient is missing", () => {
    const coverage = new LookupCoverage(["Hemi", "Wiremu"], SENDING);
    expect(coverage.missingBefore('1. get_phone_number("Hemi")')).toEqual([]);
    coverage.keep('1. get_phone_number("Hemi")\n');
    expect(coverage.missingBefore('2. send_sms(["$1"], "practice is off")\n')).toEqual(["Wiremu"]);
    expect(coverage.missingBefore("2. join()<END_OF_PLAN>")).toEqual(["Wiremu"]);
    coverage.keep('2. get_phone_number("wiremu")\n');
    expect(coverage.missingBefore('3. send_sms(["$1", "$2"], "practice is off")\n')).toEqual([]);
  });

  it("refuses a step that sends before anyone is looked up, and lets other steps be", () => {
    const coverage = new LookupCoverage(["priya"], SENDING);
    expect(coverage.missingBefore('1. open_note("Launch", None)\n')).toEqual([]);
    expect(
      coverage.missingBefore('1. get_zoom_meeting_link("Sync", "2024-06-07 14:00:00", 60, [])\n'),
    ).toEqual(["priya"]);
    expect(coverage.missingBefore("1. join()<END_OF_PLAN>")).toEqual([]);
  });

  it("asks nothing when the request names no recipient, or of text that is no step", () => {
    const coverage = new LookupCoverage([], SENDING);
    coverage.keep('1. get_email_address("Ana")\n');
    expect(coverage.missingBefore('2. compose_new_email(["$1"], [], "Hi", "Hi", [])\n')).toEqual([]);
    const other = new LookupCoverage(["Ana"], SENDING);
    other.keep('1. get_email_address("Bo")\n');
    expect(other.missingBefore("  \n")).toEqual([]);
    expect(other.missingBefore('2. compose_new_email(["$1"], [], "Hi", "Hi", [])\n')).toEqual(["Ana"]);
  });

  it("reads escaped names as the grammar writes them", () => {
    const coverage = new LookupCoverage(['Zoë "Z" Ünal'], SENDING);
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
