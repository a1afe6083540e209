import { describe, expect, it } from "vitest";
import { allToolsSelector } from "../../src/agent/agent";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { summarize } from "../../src/agent/eval/metrics";
import { runEval } from "../../src/agent/eval/run-eval";
import { looksLikePlanText } from "../../src/agent/eval/written-text";
import { modelTextWriter } from "../../src/agent/text-writer";
import { defaultRegistry } from "../../src/tools/registry";
import { ScriptedPlanner } from "../commands/helpers";

const PLAN = `1. get_email_address("Sid")
2. compose_new_email(["$1"], [], "Launch", "the launch moved to friday", [])
3. join()<END_OF_PLAN>`;

describe("tinyagent eval --writer: what the planner's model writes as email bodies", () => {
  it("tells plan text from prose", () => {
    expect(
      looksLikePlanText('1 to talk about the newsletter", [])\n2. get_phone_number("Professor Prin")'),
    ).toBe(true);
    expect(looksLikePlanText("Hi Sid, see ${1}")).toBe(true);
    expect(looksLikePlanText("Hi Sid,\n\nThe launch moved to Friday. See you then!\n\nBest")).toBe(false);
    expect(looksLikePlanText("Meeting at 3. Bring the Q3 deck (v2).")).toBe(false);
  });

  it("asks the writer for each draft's body from the plan's words, and counts bodies that read as plan text", async () => {
    const { requests } = readEvalData(
      JSON.stringify({ query: "email Sid that the launch moved to friday", plan: PLAN }),
    );
    const prompts: string[] = [];
    const answers = [
      '1 to talk about the newsletter", [])\n2. get_phone_number("Prin")',
      "Hi Sid, the launch moved.",
    ];
    for (const answer of answers) {
      const writer = modelTextWriter({
        writeText: async (prompt) => {
          prompts.push(prompt);
          return answer;
        },
      });
      const records = await runEval(requests, {
        planner: new ScriptedPlanner(PLAN),
        selector: allToolsSelector(defaultRegistry),
        registry: defaultRegistry,
        writer,
      });
      expect(records[0]!.written?.map((text) => text.output)).toEqual([answer]);
      const { writing } = summarize(records);
      expect(writing).toEqual({ texts: 1, planText: answer === answers[0] ? 1 : 0, failed: 0 });
    }
    expect(prompts[0]).toContain("What to say: the launch moved to friday");
    expect(prompts[0]).toContain("Subject: Launch");
  });

  it("measures nothing without --writer, and counts a writer that fails", async () => {
    const { requests } = readEvalData(JSON.stringify({ query: "email Sid", plan: PLAN }));
    const options = {
      planner: new ScriptedPlanner(PLAN),
      selector: allToolsSelector(defaultRegistry),
      registry: defaultRegistry,
    };
    expect(summarize(await runEval(requests, options)).writing).toBeUndefined();
    const failing = modelTextWriter({ writeText: () => Promise.reject(new Error("out of memory")) });
    const records = await runEval(requests, {
      ...options,
      planner: new ScriptedPlanner(PLAN),
      writer: failing,
    });
    expect(summarize(records).writing).toEqual({ texts: 1, planText: 0, failed: 1 });
  });
});
