import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { DistinctLookups } from "../../src/agent/request/rules/distinct-lookups";
import { defaultRegistry } from "../../src/tools/registry";

/** Streams `text` through the rule in chunks of `size` characters and returns what comes out. */
function through(people: string[], text: string, size = 5): string {
  const rule = new DistinctLookups(people);
  let out = "";
  for (let i = 0; i < text.length; i += size) out += rule.push(text.slice(i, i + size));
  return out + rule.end();
}

describe("distinct look-ups", () => {
  it("turns a repeated look-up into the next person the tool has not looked up", () => {
    const plan = [
      '1. get_email_address("Priya")',
      '2. get_email_address("Priya")',
      '3. create_calendar_event("Sync", "2024-06-06 11:00:00", "2024-06-06 12:00:00", "", ["$1", "$2"], "", None)',
      "4. join()<END_OF_PLAN>",
    ].join("\n");
    const out = through(["Priya", "Dev"], plan);
    expect(out).toBe(plan.replace('2. get_email_address("Priya")', '2. get_email_address("Dev")'));
    expect(checkPlan(out, defaultRegistry).valid).toBe(true);
  });

  it("lets each tool look the same person up once, and leaves a repeat alone when nobody is left", () => {
    const plan = [
      '1. get_email_address("Sid")',
      '2. get_phone_number("sid")',
      '3. get_phone_number("Sid")',
      '4. get_phone_number("Sid")',
      "5. join()<END_OF_PLAN>",
    ].join("\n");
    expect(through(["Sid", "Lutfi", "Me"], plan)).toBe(
      plan
        .replace('3. get_phone_number("Sid")', '3. get_phone_number("Lutfi")')
        .replace('get_phone_number("sid")', 'get_phone_number("Sid")'),
    );
  });

  it("writes a name as the request spells it", () => {
    const plan = [
      '1. get_phone_number("bruno")',
      '2. get_phone_number("Tariq")',
      "3. join()<END_OF_PLAN>",
    ].join("\n");
    expect(through(["Bruno", "Tariq"], plan)).toBe(plan.replace('"bruno"', '"Bruno"'));
  });

  it("passes every other line through unchanged, whatever the chunking", () => {
    const plan = 'Thought: x\n1. send_sms(["555"], "get_email_address(\\"A\\")")\n2. join()<END_OF_PLAN>';
    for (const size of [1, 3, 1000]) expect(through(["A", "B"], plan, size)).toBe(plan);
  });

  it("writes a replacement name with the plan's escapes", () => {
    const plan = '1. get_phone_number("Zoë")\n2. get_phone_number("Zoë")\n3. join()<END_OF_PLAN>';
    expect(through(["Zoë", 'Ana "AJ" Jones'], plan)).toBe(
      '1. get_phone_number("Zoë")\n2. get_phone_number("Ana \\"AJ\\" Jones")\n3. join()<END_OF_PLAN>',
    );
  });
});
