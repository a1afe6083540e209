import { describe, expect, it } from "vitest";
import { readEvalData, requestContext } from "../../src/agent/eval/eval-data";
import { compareKeyArguments, KEY_ARGUMENTS, keyArgumentFacts } from "../../src/agent/eval/key-arguments";
import { scoreRequest, summarize, type RequestRecord, type RequestScore } from "../../src/agent/eval/metrics";
import { percentile } from "../../src/agent/eval/percentile";
import { checkPlan } from "../../src/agent/plan/check";
import { dateKindOf } from "../../src/tools/formats";
import { defaultRegistry } from "../../src/tools/registry";
import { toolParams } from "../../src/tools/tool";
import type { z } from "zod";

const CONTEXT = requestContext("2024-06-03 09:00:00");

function checked(lines: string[]) {
  return checkPlan(lines.join("\n"), defaultRegistry, CONTEXT);
}

const TRUTH = [
  '1. get_email_address("Sid")',
  '2. get_email_address("Lutfi")',
  '3. open_and_get_file_path("Q3 deck")',
  '4. compose_new_email(["$1", "$2"], [], "Q3 deck", "Here it is", ["$3"])',
  '5. create_calendar_event("Q3 review", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", ["$1", "$2"], "", None)',
  "6. join()<END_OF_PLAN>",
];
const TRUTH_TOOLS = [
  "get_email_address",
  "open_and_get_file_path",
  "compose_new_email",
  "create_calendar_event",
];

function score(generated: string[] | undefined, selected: readonly string[] = TRUTH_TOOLS): RequestScore {
  return scoreRequest({
    truth: checked(TRUTH),
    truthTools: TRUTH_TOOLS,
    selected,
    generated: generated ? checked(generated) : undefined,
    registry: defaultRegistry,
  });
}

describe("plan success (DAG isomorphism)", () => {
  it("counts a plan with steps in another order, other wording and other numbers as a success", () => {
    const result = score([
      '1. open_and_get_file_path("the Q3 deck")',
      '2. get_email_address("lutfi")',
      '3. get_email_address("SID")',
      '4. create_calendar_event("Review", "Friday at 3pm", "Friday at 4pm", "", ["$3", "$2"], "", None)',
      '5. compose_new_email(["$2", "$3"], [], "Deck", "Attached", ["$1"])',
      "6. join()<END_OF_PLAN>",
    ]);
    expect(result.success).toBe(true);
    expect(result.valid).toBe(true);
    // Names without case, recipients as sets, "Friday at 3pm" resolved from Monday 2024-06-03.
    expect(result.keyArguments).toEqual({ matched: 7, total: 7, missing: [] });
    expect(result.argumentsExact).toBe(true);
  });

  it("fails a plan whose dependencies differ, though it calls the same tools", () => {
    const result = score([
      '1. get_email_address("Sid")',
      '2. get_email_address("Lutfi")',
      '3. open_and_get_file_path("Q3 deck")',
      '4. compose_new_email(["$1", "$2"], [], "Q3 deck", "Here it is", [])',
      '5. create_calendar_event("Q3 review", "2024-06-07 15:00:00", "2024-06-07 16:00:00", "", ["$1", "$2"], "", None)',
      "6. join()<END_OF_PLAN>",
    ]);
    expect(result.valid).toBe(true);
    expect(result.success).toBe(false);
    expect(result.toolSetMatch).toBe(true);
    expect(result.argumentsExact).toBe(false);
  });

  it("fails a plan with a different tool on one step, and one with a step missing", () => {
    const reply = [...TRUTH];
    reply[3] = '4. forward_email(["$1", "$2"], [], "Here it is", ["$3"])';
    expect(score(reply)).toMatchObject({ success: false, toolSetMatch: false });
    expect(score([...TRUTH.slice(0, 4), "5. join()<END_OF_PLAN>"])).toMatchObject({
      success: false,
      toolSetMatch: false,
    });
  });

  it("never counts an invalid plan as a success, even when its DAG matches", () => {
    const wrongCount = [...TRUTH];
    wrongCount[2] = '3. open_and_get_file_path("Q3 deck", "extra")';
    const result = score(wrongCount);
    expect(result.valid).toBe(false);
    expect(result.success).toBe(false);
  });

  it("scores no plan at all as a failure with every key argument missing", () => {
    const result = score(undefined, []);
    expect(result).toMatchObject({
      valid: false,
      success: false,
      toolSetMatch: false,
      toolHits: 0,
      toolsSelected: 0,
    });
    expect(result.keyArguments.matched).toBe(0);
    expect(result.keyArguments.total).toBe(7);
  });
});

describe("key arguments", () => {
  it("reports a wrong contact name (and every recipient list it reaches) and a wrong date", () => {
    const result = score([
      '1. get_email_address("Sidney")',
      '2. get_email_address("Lutfi")',
      '3. open_and_get_file_path("Q3 deck")',
      '4. compose_new_email(["$1", "$2"], [], "Q3 deck", "Here it is", ["$3"])',
      '5. create_calendar_event("Q3 review", "2024-06-07 15:30:00", "2024-06-07 16:00:00", "", ["$2", "$1"], "", None)',
      "6. join()<END_OF_PLAN>",
    ]);
    expect(result.success).toBe(true);
    expect(result.argumentsExact).toBe(false);
    expect(result.keyArguments.total).toBe(7);
    // The name, then everything that refers to Sid (two recipient lists), and the start date.
    expect(result.keyArguments.missing).toEqual([
      "get_email_address.name=sid",
      "compose_new_email.recipients=[get_email_address(name=lutfi), get_email_address(name=sid)]",
      "create_calendar_event.start_date=2024-06-07 15:00:00",
      "create_calendar_event.invitees=[get_email_address(name=lutfi), get_email_address(name=sid)]",
    ]);
    expect(result.keyArguments.matched).toBe(3);
  });

  it("treats None and [] as the same empty recipient list", () => {
    const names = (tool: string) => toolParams(defaultRegistry.get(tool)!).map((p) => p.name);
    const a = keyArgumentFacts(checked(['1. reply_to_email(None, "ok", [])', "2. join()"]).plan, names);
    const b = keyArgumentFacts(checked(['1. reply_to_email([], "ok", [])', "2. join()"]).plan, names);
    expect(a).toEqual(["reply_to_email.cc=[]"]);
    expect(b).toEqual(a);
  });

  it("compares facts as multisets: a duplicate fact does not match twice", () => {
    expect(compareKeyArguments(["a", "a", "b"], ["a", "b", "c"])).toEqual({
      matched: 2,
      total: 3,
      missing: ["a"],
      extra: ["c"],
    });
  });

  it("lists every date parameter of the 16 tools, and only real parameters", () => {
    for (const tool of defaultRegistry.tools) {
      const params = toolParams(tool);
      for (const param of params) {
        const isDate = dateKindOf(tool.args.shape[param.name] as z.ZodType) !== undefined;
        expect(KEY_ARGUMENTS[tool.name]?.[param.name] === "date", `${tool.name}.${param.name}`).toBe(isDate);
      }
      for (const name of Object.keys(KEY_ARGUMENTS[tool.name] ?? {}))
        expect(params.map((p) => p.name)).toContain(name);
    }
  });
});

describe("summary", () => {
  function record(overrides: Partial<RequestRecord>): RequestRecord {
    return {
      line: 1,
      query: "q",
      outcome: "plan",
      outOfDomain: false,
      selected: [],
      score: null,
      plan: "",
      valid: true,
      problems: [],
      error: null,
      stats: null,
      firstStepMs: null,
      totalMs: 10,
      selectMs: 0,
      ...overrides,
    };
  }

  it("computes micro-averaged tool recall and precision, success over in-domain requests and validity over plans", () => {
    const hit = score(TRUTH);
    const partial = score(undefined, ["get_email_address", "send_sms"]);
    const summary = summarize([
      record({ score: hit, totalMs: 100 }),
      record({ score: partial, outcome: "no-tools", valid: null, plan: null }),
      record({ score: score(['1. get_email_address("Sid")', "2. join()"]), totalMs: 300 }),
      record({ outOfDomain: true, outcome: "no-tools", valid: null, plan: null }),
      record({ outOfDomain: true, valid: false, totalMs: 200 }),
    ]);
    expect(summary).toMatchObject({
      requests: 5,
      inDomain: 3,
      outOfDomain: 2,
      outOfDomainRejected: 1,
      planned: 3,
    });
    expect(summary.successRate).toBeCloseTo(1 / 3);
    expect(summary.validityRate).toBeCloseTo(2 / 3);
    // Needed 4 + 4 + 4 tools; hit 4 + 1 + 4; selected 4 + 2 + 4.
    expect(summary.toolRecall).toBeCloseTo(9 / 12);
    expect(summary.toolPrecision).toBeCloseTo(9 / 10);
    expect(summary.keyArgumentAccuracy).toBeCloseTo((7 + 0 + 1) / 21);
    expect(summary.totalMs).toEqual({ p50: 200, p95: 300 });
    // Success by the ground truth's length: all three in-domain requests have five calls.
    expect(summary.byLength).toEqual({
      "1": { requests: 0, successes: 0 },
      "2": { requests: 0, successes: 0 },
      "3": { requests: 0, successes: 0 },
      "4+": { requests: 3, successes: 1 },
      "3+": { requests: 3, successes: 1 },
    });
  });

  it("buckets success by the ground truth's number of calls", () => {
    const truthOf = (lines: string[]) => ({ truth: checked(lines), truthTools: [], selected: [] });
    const one = ['1. get_phone_number("Sid")', "2. join()<END_OF_PLAN>"];
    const three = [
      '1. get_phone_number("Sid")',
      '2. get_phone_number("Ana")',
      '3. send_sms(["$1", "$2"], "Late")',
      "4. join()<END_OF_PLAN>",
    ];
    const scored = (truth: string[], generated: string[]) =>
      scoreRequest({ ...truthOf(truth), generated: checked(generated), registry: defaultRegistry });
    const summary = summarize([
      record({ score: scored(one, one) }),
      record({ score: scored(three, three) }),
      record({ score: scored(three, one) }),
    ]);
    expect(summary.byLength?.["1"]).toEqual({ requests: 1, successes: 1 });
    expect(summary.byLength?.["3"]).toEqual({ requests: 2, successes: 1 });
    expect(summary.byLength?.["3+"]).toEqual({ requests: 2, successes: 1 });
    expect(summary.byLength?.["4+"]).toEqual({ requests: 0, successes: 0 });
  });

  it("takes percentiles by nearest rank", () => {
    const values = Array.from({ length: 20 }, (_, i) => 20 - i);
    expect(percentile(values, 0.5)).toBe(10);
    expect(percentile(values, 0.95)).toBe(19);
    expect(percentile([], 0.5)).toBeUndefined();
  });
});

describe("evaluation files", () => {
  it("names each malformed line and what is wrong, and still reads the others", () => {
    const text = [
      JSON.stringify({
        query: "text mom I'm late",
        plan: '1. get_phone_number("Mom")\n2. send_sms(["$1"], "late")\n3. join()',
      }),
      "{not json",
      JSON.stringify({ query: "email Sid", tools: ["get_email_address"] }),
      "",
      JSON.stringify({ query: "x", plan: '1. fly_to_moon("now")\n2. join()' }),
      JSON.stringify({ query: "y", plan: "", tools: ["teleport"] }),
      JSON.stringify({ query: "what's the weather", plan: "" }),
      JSON.stringify({
        query: "z",
        plan: "1. create_note('a', 'b', None)\n2. join()",
        now: "2024-02-30 10:00",
      }),
      JSON.stringify(["query"]),
    ].join("\n");
    const { requests, errors } = readEvalData(text);
    expect(requests.map((r) => r.line)).toEqual([1, 7]);
    expect(requests[0]!.tools).toEqual(["get_phone_number", "send_sms"]);
    expect(requests[1]!.truth).toBeUndefined();
    expect(errors.map((e) => e.line)).toEqual([2, 3, 5, 6, 8, 9]);
    expect(errors[0]!.message).toMatch(/^not JSON/);
    expect(errors[1]!.message).toBe('"plan" is missing');
    expect(errors[2]!.message).toMatch(/ground-truth plan is invalid: .*fly_to_moon/);
    expect(errors[3]!.message).toMatch(/unknown tools.*teleport/);
    expect(errors[4]!.message).toMatch(/not a date/);
    expect(errors[5]!.message).toMatch(/JSON object/);
  });

  it("stops after --limit lines, malformed ones included", () => {
    const line = JSON.stringify({ query: "note", plan: "1. create_note('a', 'b', None)\n2. join()" });
    const { requests, errors } = readEvalData([line, "oops", line, line].join("\n"), { limit: 3 });
    expect(requests).toHaveLength(2);
    expect(errors).toHaveLength(1);
  });
});

describe("names and dates exactness", () => {
  const score = (truth: string[], plan: string[]) =>
    scoreRequest({
      truth: checked(truth),
      truthTools: TRUTH_TOOLS,
      selected: TRUTH_TOOLS,
      generated: checked(plan),
      registry: defaultRegistry,
    });

  it("says per request whether every look-up name and every date is the ground truth's", () => {
    const right = score(
      TRUTH,
      TRUTH.map((line) => line.replace('"Sid"', '"sid"')),
    );
    expect(right).toMatchObject({ namesExact: true, datesExact: true });
    const wrongName = score(
      TRUTH,
      TRUTH.map((line) => line.replace('"Lutfi"', '"Lufti"')),
    );
    expect(wrongName).toMatchObject({ namesExact: false, datesExact: true });
    const wrongDate = score(
      TRUTH,
      TRUTH.map((line) => line.replace("2024-06-07 15:00:00", "2024-06-07 03:00:00")),
    );
    expect(wrongDate).toMatchObject({ namesExact: true, datesExact: false });
  });

  it("counts only requests whose ground truth has that kind of argument", () => {
    const noDates = ['1. get_phone_number("Ayu")', '2. send_sms(["$1"], "hi")', "3. join()<END_OF_PLAN>"];
    const result = score(noDates, noDates);
    expect(result.namesExact).toBe(true);
    expect(result.datesExact).toBeUndefined();
  });
});
