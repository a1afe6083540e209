import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { namesNotInRequest } from "./names-in-request";

/**
 * The multi-part dev set (data/planner/natural-dev-multi.jsonl), the one to choose rules and thresholds on
 * for multi-part requests: every plan valid, every contact looked up named in the request itself (or
 * "Me"), and the mix it was written for: mostly requests of two or more calls, some out of domain.
 */
const { requests, errors } = readEvalData(readFileSync("data/planner/natural-dev-multi.jsonl", "utf8"));
const calls = (request: (typeof requests)[number]) => request.truth?.plan.steps.length ?? 0;

describe("natural multi-part dev set plans", () => {
  it("reads every line without an error, at least 150 requests", () => {
    expect(errors).toEqual([]);
    expect(requests.length).toBeGreaterThanOrEqual(150);
  });

  it("is mostly requests of two or more calls, many of three or more", () => {
    expect(requests.filter((request) => calls(request) >= 2).length / requests.length).toBeGreaterThan(0.8);
    expect(requests.filter((request) => calls(request) >= 3).length / requests.length).toBeGreaterThan(0.5);
  });

  it("has at least 150 requests with a plan and at least 15 out of domain (empty plan)", () => {
    expect(requests.filter((request) => request.truth !== undefined).length).toBeGreaterThanOrEqual(150);
    expect(requests.filter((request) => request.truth === undefined).length).toBeGreaterThanOrEqual(15);
  });

  it("writes every date as a date, none in words", () => {
    const inWords = requests.flatMap((request) =>
      (request.truth?.changes ?? []).map((change) => `${request.query} → ${JSON.stringify(change)}`),
    );
    expect(inWords).toEqual([]);
  });

  it("looks up only names that appear in the request", () => {
    expect(namesNotInRequest(requests)).toEqual([]);
  });

  it("looks up each person once per kind", () => {
    const repeated = requests.flatMap((request) => {
      const seen = new Set<string>();
      return (request.truth?.plan.steps ?? []).flatMap((step) => {
        if (step.tool !== "get_phone_number" && step.tool !== "get_email_address") return [];
        const key = `${step.tool}(${String(step.args[0]).toLowerCase()})`;
        if (seen.has(key)) return [`${request.query} → ${key}`];
        seen.add(key);
        return [];
      });
    });
    expect(repeated).toEqual([]);
  });
});
