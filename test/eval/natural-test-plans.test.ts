import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { namesNotInRequest } from "./names-in-request";

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
    expect(namesNotInRequest(requests)).toEqual([]);
  });
});
