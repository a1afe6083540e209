import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePlan, PlanStreamParser, type PlanItem } from "../../src/agent/plan/parse";
import { END_OF_PLAN } from "../../src/agent/plan/plan";
import { chunksOf, codes, FIXTURES, fixture, SEED, splitAt, streamChunks } from "./helpers";

const kinds = (items: readonly PlanItem[]) =>
  items.map((item) =>
    item.kind === "step"
      ? `step ${item.step.index}`
      : item.kind === "join"
        ? `join ${item.join.index}`
        : item.problem.code,
  );

/** A few texts beyond the fixtures that exercise problems, thoughts, CRLF and blank lines. */
const TEXTS = [
  ...FIXTURES.map(fixture),
  fixture("mixed-literals.txt").replace(/\n/g, "\r\n"),
  `Thought: a\n\n1. get_email_address("Sid")\nnonsense here\n2. f(x=1)\n3. g("unclosed\nThought: b\n4. join("x")\n5. join()${END_OF_PLAN}`,
  `1. get_email_address("Sid")\n2. join()\n3. send_sms(["1"], "x")\nThought: stray`,
  `1. create_note("😀 \\ud83d\\ude00 שלום", "", None)\n2. join()\n${END_OF_PLAN}\n`,
  "",
  "\n\n",
  "no plan at all",
];

describe("PlanStreamParser gives the same result as parsePlan", () => {
  it.each(TEXTS.map((text, i) => [i, text] as const))("text %i, for every chunk size", (_, text) => {
    const expected = parsePlan(text);
    for (let size = 1; size <= Math.max(1, text.length); size++) {
      const { plan, problems } = streamChunks(chunksOf(text, size));
      expect({ plan, problems }, `chunk size ${size}`).toEqual(expected);
    }
  });

  it("for random splits of the fixtures (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TEXTS), fc.array(fc.nat(400), { maxLength: 40 }), (text, cuts) => {
        const { plan, problems } = streamChunks(splitAt(text, cuts));
        expect({ plan, problems }).toEqual(parsePlan(text));
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("the items pushed plus those from finish() are exactly the plan's steps, join and problems, in order", () => {
    for (const text of TEXTS) {
      const { plan, problems, pushed, finalItems } = streamChunks(chunksOf(text, 3));
      const items = [...pushed.flat(), ...finalItems];
      expect(items.filter((i) => i.kind === "step").map((i) => (i.kind === "step" ? i.step : null))).toEqual(
        plan.steps,
      );
      expect(
        items.filter((i) => i.kind === "problem").map((i) => (i.kind === "problem" ? i.problem : null)),
      ).toEqual(problems);
      expect(items.filter((i) => i.kind === "join").map((i) => (i.kind === "join" ? i.join : null))).toEqual(
        plan.join ? [plan.join] : [],
      );
    }
  });

  // Regression test (fixed parser bug).
  it("line numbers after an early-emitted join line match parsePlan", () => {
    const text = `1. join()${END_OF_PLAN}\nextra`;
    const { problems } = streamChunks(chunksOf(text, 1));
    expect(problems).toEqual(parsePlan(text).problems); // parsePlan: after-end on line 2
  });

  // Regression test (fixed parser bug).
  it("<END_OF_PLAN> inside a string argument does not cut a streamed line", () => {
    const text = `1. create_note("x", "the marker is <END_OF_PLAN> ok", None)\n2. join()${END_OF_PLAN}`;
    expect(parsePlan(text).problems).toEqual([]);
    const { plan, problems } = streamChunks(chunksOf(text, 1));
    expect(problems).toEqual([]);
    expect(plan.steps).toHaveLength(1);
  });

  // Regression test (fixed parser bug).
  it("text after <END_OF_PLAN> on the join line streams like it parses", () => {
    const text = `1. get_email_address("Sid")\n2. join()${END_OF_PLAN} Done!\n`;
    const { plan, problems } = streamChunks(chunksOf(text, 1));
    expect({ plan, problems }).toEqual(parsePlan(text));
  });
});

describe("PlanStreamParser emits each line as soon as it is complete", () => {
  it("emits a step on the newline that ends its line, and not before", () => {
    const text = `Thought: t\n1. get_email_address("Sid")\n\n2. send_sms(["$1"], "hi")\n3. join()${END_OF_PLAN}`;
    const parser = new PlanStreamParser();
    const emittedAt: Array<[number, string[]]> = [];
    [...text].forEach((char, offset) => {
      const items = parser.push(char);
      if (items.length > 0) emittedAt.push([offset, kinds(items)]);
    });
    const endOf = (s: string) => text.indexOf(s) + s.length;
    expect(emittedAt).toEqual([
      [endOf(`1. get_email_address("Sid")\n`) - 1, ["step 1"]],
      [endOf(`2. send_sms(["$1"], "hi")\n`) - 1, ["step 2"]],
      [text.length - 1, ["join 3"]],
    ]);
    expect(parser.finish().items).toEqual([]);
  });

  it("a complete call without its newline is not emitted yet", () => {
    const parser = new PlanStreamParser();
    expect(parser.push(`1. get_email_address("Sid")`)).toEqual([]);
    expect(parser.push("  ")).toEqual([]);
    const items = parser.push("\r\n");
    expect(kinds(items)).toEqual(["step 1"]);
    expect(items[0]).toMatchObject({ step: { index: 1, tool: "get_email_address", args: ["Sid"], line: 1 } });
  });

  it("emits every complete line of one chunk, in order", () => {
    const parser = new PlanStreamParser();
    const items = parser.push(
      `1. get_email_address("Sid")\nbad line\n2. get_phone_number("Ann")\n3. send_sms(`,
    );
    expect(kinds(items)).toEqual(["step 1", "syntax", "step 2"]);
    expect(kinds(parser.push(`["$2"], "hi")\n`))).toEqual(["step 3"]);
  });

  it("emits `join()<END_OF_PLAN>` from push() without a trailing newline", () => {
    const parser = new PlanStreamParser();
    parser.push(`1. get_email_address("Sid")\n2. join()<END_OF`);
    const items = parser.push("_PLAN>");
    expect(kinds(items)).toEqual(["join 2"]);
    const { plan, items: rest } = parser.finish();
    expect(rest).toEqual([]);
    expect(plan).toMatchObject({ ended: true, join: { index: 2, line: 2 } });
  });

  it("does not emit `join()` alone before its line ends, since <END_OF_PLAN> may still follow", () => {
    const parser = new PlanStreamParser();
    expect(parser.push("1. join()")).toEqual([]);
    expect(kinds(parser.push("\n"))).toEqual(["join 1"]);
  });

  it("problems are emitted when their line completes", () => {
    const parser = new PlanStreamParser();
    expect(parser.push(`1. get_email_address("Sid"`)).toEqual([]);
    const items = parser.push("\n");
    expect(items).toEqual([
      { kind: "problem", problem: expect.objectContaining({ code: "syntax", line: 1 }) },
    ]);
  });

  it("finish() reads the last unterminated line and reports a stray thought", () => {
    const parser = new PlanStreamParser();
    parser.push(`Thought: x\n`);
    const { items, plan, problems } = parser.finish();
    expect(kinds(items)).toEqual(["stray-thought"]);
    expect(plan.steps).toEqual([]);
    expect(codes(problems)).toEqual(["stray-thought"]);

    const other = new PlanStreamParser();
    other.push(`1. get_email_address("Sid")`);
    expect(kinds(other.finish().items)).toEqual(["step 1"]);
  });

  it("refuses use after finish()", () => {
    const parser = new PlanStreamParser();
    parser.finish();
    expect(() => parser.push("1. f()\n")).toThrow(/after finish/);
    expect(() => parser.finish()).toThrow(/twice/);
  });
});
