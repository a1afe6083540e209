import { describe, expect, it } from "vitest";
import { allToolsSelector } from "../../src/agent/agent";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { runReplanScenario, summarizeReplan, worldFor } from "../../src/agent/eval/replan-scenario";
import type { PlanRequest, Planner, PlanningRun } from "../../src/agent/planner/planner";
import { checkPlan } from "../../src/agent/plan/check";
import { defaultRegistry } from "../../src/tools/registry";
import { replanSummaryText } from "../../src/cli/eval-command";
import { ScriptedPlanner } from "../commands/helpers";

/**
 * `tinyagent eval --replan` over the real pipeline: requests with ground truth, plans written by a
 * planner that answers each request with a given text (micro's prompt style, so second plans come from
 * the rule-based repair), run in the recording backend with the world the truth needs.
 */
class PerRequestPlanner implements Planner {
  readonly name = "per request";
  readonly promptStyle = "micro" as const;
  constructor(private readonly plans: Record<string, string>) {}
  plan(request: PlanRequest): PlanningRun {
    const text = this.plans[request.request ?? ""];
    if (text === undefined) throw new Error(`no plan for ${request.request}`);
    return new ScriptedPlanner(text).plan(request);
  }
  async dispose(): Promise<void> {}
}

const LINES = [
  // Right the first time.
  { query: "what's Ravi Kumar's number", plan: `1. get_phone_number("Ravi Kumar")\n2. join()<END_OF_PLAN>` },
  // A title kept: fixed by the second plan.
  {
    query: "text Dr. Ravi Kumar I'm late",
    plan: `1. get_phone_number("Ravi Kumar")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
  },
  // A filler word looked up as a person: no rule fits, not done.
  { query: "what's Ana's email", plan: `1. get_email_address("Ana")\n2. join()<END_OF_PLAN>` },
  // Out of domain: not a run.
  { query: "what is the meaning of life", plan: "" },
];

const PLANS: Record<string, string> = {
  "what's Ravi Kumar's number": `1. get_phone_number("Ravi Kumar")\n2. join()<END_OF_PLAN>`,
  "text Dr. Ravi Kumar I'm late": `1. get_phone_number("Dr. Ravi Kumar")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
  "what's Ana's email": `1. get_email_address("What")\n2. join()<END_OF_PLAN>`,
};

describe("the replan scenario", () => {
  it("counts runs done with the first plan, planned again, and done in the end", async () => {
    const { requests, errors } = readEvalData(LINES.map((line) => JSON.stringify(line)).join("\n"));
    expect(errors).toEqual([]);
    const records = await runReplanScenario(requests, {
      planner: new PerRequestPlanner(PLANS),
      selector: allToolsSelector(defaultRegistry),
      registry: defaultRegistry,
    });
    expect(records.map((r) => [r.query, r.firstDone, r.fixable, r.replanned, r.done])).toEqual([
      ["what's Ravi Kumar's number", true, false, false, true],
      ["text Dr. Ravi Kumar I'm late", false, true, true, true],
      ["what's Ana's email", false, true, false, false],
    ]);
    expect(records[1]!.reason).toMatch(/Now looking for “Ravi Kumar” instead of “Dr\. Ravi Kumar”\.$/u);
    expect(records[2]!.failure).toBe(
      'get_email_address: not-found: No contact named "What" in Contacts. Check the spelling, or give their email address.',
    );
    const summary = summarizeReplan(records);
    expect(summary).toEqual({ runs: 3, doneFirst: 1, fixable: 2, replanned: 1, fixed: 1, done: 2 });
    expect(replanSummaryText(summary, "micro")).toBe(
      [
        "Replan scenario, micro: 3 runs in the recording backend",
        "  done with the first plan: 1 (33.3 %)",
        "  first plan failed in a fixable way: 2; planned again: 1; done after that: 1",
        "  request done in the end: 2 (66.7 %)",
      ].join("\n"),
    );
  });

  it("builds a world with what the truth looks up, keeping the fixture's people", () => {
    const truth = checkPlan(
      `1. get_email_address("Sid")\n2. get_phone_number("Thandiwe Nkosi")\n3. open_and_get_file_path("Board report")\n4. create_calendar_event("Dinner", "2024-06-03 19:00:00", "2024-06-03 20:00:00", "", [], "", "Family")\n5. join()<END_OF_PLAN>`,
      defaultRegistry,
    ).plan;
    const world = worldFor(truth);
    expect(world.contacts.filter((c) => c.firstName === "Sid")).toHaveLength(1);
    expect(world.contacts.at(-1)).toMatchObject({ firstName: "Thandiwe", lastName: "Nkosi" });
    expect(world.files.at(-1)!.path).toBe("/Users/alex/Documents/Board report.pdf");
    expect(world.calendars.map((c) => c.name)).toContain("Family");
  });
});
