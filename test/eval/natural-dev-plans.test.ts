import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";

/**
 * The natural dev set's ground-truth plans (data/planner/natural-dev.jsonl) must stay what the tool labels
 * (data/toolrag/natural-dev.jsonl) say: the same requests in the same order, every plan valid, calling
 * exactly the labelled tools, and every contact looked up named in the request
 * itself (or "Me").
 */
const labels = readFileSync("data/toolrag/natural-dev.jsonl", "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as { query: string; tools: string[] });
const text = readFileSync("data/planner/natural-dev.jsonl", "utf8");
const { requests, errors } = readEvalData(text);

describe("natural dev set plans", () => {
  it("reads every line without an error", () => {
    expect(errors).toEqual([]);
  });

  it("has one plan per labelled request, in the same order", () => {
    expect(requests.map((request) => request.query)).toEqual(labels.map((label) => label.query));
  });

  it("calls exactly the labelled tools", () => {
    const mismatches = requests
      .map((request, i) => ({ query: request.query, plan: request.tools, label: labels[i]?.tools }))
      .filter(({ plan, label }) => plan.join(",") !== (label ?? []).join(","));
    expect(mismatches).toEqual([]);
  });

  it("looks up only names that appear in the request", () => {
    const missing: string[] = [];
    for (const request of requests) {
      for (const step of request.truth?.plan.steps ?? []) {
        if (step.tool !== "get_phone_number" && step.tool !== "get_email_address") continue;
        const name = step.args[0];
        // "Me" is the person asking ("email myself", "text me"), the one name a request need not spell out.
        if (typeof name === "string" && name.toLowerCase() === "me") continue;
        if (typeof name !== "string" || !request.query.toLowerCase().includes(name.toLowerCase()))
          missing.push(`${request.query} → ${step.tool}(${JSON.stringify(name)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
