import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { resolveModel } from "../../src/agent/model/model-store";
import { LlamaPlanner } from "../../src/agent/planner/llama-planner";
import { plannerPrompt } from "../../src/agent/prompt/planner-prompt";
import { defaultRegistry } from "../../src/tools/registry";

/**
 * The shipped TinyAgent-micro through LlamaPlanner with its decoding rules: whatever the selected tools
 * and the request's channel, every plan ends, valid. A look-up the grammar cannot write (the request's
 * words name only the other channel) is never asked for: asking for it made the planner refuse the same
 * line until the token limit, leaving a plan cut off mid-call.
 */
let planner: LlamaPlanner;
const saved = process.env.TINYAGENT_MICRO_MODEL;

beforeAll(async () => {
  delete process.env.TINYAGENT_MICRO_MODEL;
  planner = await LlamaPlanner.forModel(await resolveModel("micro"), { maxThreads: 1, gpu: false });
}, 60_000);

afterAll(async () => {
  if (saved !== undefined) process.env.TINYAGENT_MICRO_MODEL = saved;
  await planner?.dispose();
});

async function planText(request: string, names: string[]): Promise<string> {
  const tools = names.map((name) => defaultRegistry.get(name)!);
  const now = new Date("2024-06-03T09:00:00Z");
  const prompt = plannerPrompt("micro", { tools, request, now, timeZone: "UTC" });
  const run = planner.plan({ prompt, tools, request, context: { now, timeZone: "UTC" }, maxTokens: 400 });
  let text = "";
  for await (const chunk of run.text) text += chunk;
  expect((await run.done).stopReason).toBe("end-of-plan");
  return text;
}

describe("TinyAgent-micro's decoding rules", () => {
  it("finish a valid plan when the only look-up selected is of a channel the request does not name", async () => {
    const cases: [string, string[]][] = [
      ["text Sid that the plan changed", ["get_email_address", "send_sms"]],
      [
        "Find out from Dmitri Rodríguez whether they want pizza or tacos. And schedule Apartment viewing 8 October from 1pm to 2:30pm.",
        ["get_phone_number", "create_calendar_event", "send_sms"],
      ],
    ];
    for (const [request, names] of cases) {
      const text = await planText(request, names);
      const checked = checkPlan(text, defaultRegistry.subset(names));
      expect(checked.problems, text).toEqual([]);
      expect(text).toContain("join()<END_OF_PLAN>");
    }
  }, 60_000);

  it("pass a look-up's result on by its kind: an SMS goes to phone numbers only", async () => {
    const text = await planText(
      "make a zoom for my tutoring session w/ Arjun tonight 7pm and text him the link",
      ["get_phone_number", "get_zoom_meeting_link", "send_sms"],
    );
    const { plan } = checkPlan(text, defaultRegistry);
    const tools = new Map(plan.steps.map((step) => [`$${step.index}`, step.tool]));
    const sms = plan.steps.find((step) => step.tool === "send_sms");
    expect(sms, text).toBeDefined();
    for (const item of sms!.args[0] as string[])
      expect(tools.get(item) ?? "literal", text).toBe("get_phone_number");
    expect(tools.get(sms!.args[1] as string), text).toBe("get_zoom_meeting_link");
  }, 60_000);
});
