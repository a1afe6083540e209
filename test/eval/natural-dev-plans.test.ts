import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readEvalData } from "../../src/agent/eval/eval-data";
import { namesNotInRequest } from "./names-in-request";

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
    expect(namesNotInRequest(requests)).toEqual([]);
  });
});
