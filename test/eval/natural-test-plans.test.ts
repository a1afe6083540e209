import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";

/**
 * The held-out multi-part test set (data/planner/natural-test.jsonl): every plan valid and every contact
 * looked up named in the request itself (or "Me"), so a figure measured on it is about the planner.
 */
const { requests, errors } = readEvalData(readFileSync("data/planner/natural-test.jsonl", "utf8"));

describe("natural test set plans", () => {
  it("reads every line without an error, at least 200 requests", () => {
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(200);
  });

  it("is mostly requests of two or more calls", () => {
    const multi = requests.filter((request) => (request.truth?.plan.steps.length ?? 0) >= 2);
    expect(multi.length / requests.length).toBeGreaterThan(0.8);
  });

  it("looks up only names that appear in the request", () => {
    const missing: string[] = [];
    for (const request of requests) {
      for (const step of request.truth?.plan.steps ?? []) {
        if (step.tool !== "get_phone_number" && step.tool !== "get_email_address") continue;
        const name = step.args[0];
        if (typeof name === "string" && name.toLowerCase() === "me") continue;
        if (typeof name !== "string" || !request.query.toLowerCase().includes(name.toLowerCase()))
          missing.push(`${request.query} → ${step.tool}(${JSON.stringify(name)})`);
      }
    }
    expect(missing).toEqual([]);
  });
});
