import { describe, expect, it } from "vitest";
import {
  hasInterpolation,
  referencesIn,
  substituteReferences,
  wholeReference,
} from "../../src/agent/plan/references";

describe("wholeReference", () => {
  it.each([
    ["$1", 1],
    ["${1}", 1],
    ["$12", 12],
    ["${12}", 12],
    ["$007", 7],
  ])("%j refers to step %i", (text, index) => {
    expect(wholeReference(text)).toBe(index);
  });

  it.each([
    "$1,200",
    "$20 for pizza",
    " $1",
    "$1 ",
    "$",
    "${}",
    "${1",
    "$1}",
    "${a}",
    "$-1",
    "$1.5",
    "1",
    "see ${2}",
    "$$1",
  ])("%j is plain text", (text) => {
    expect(wholeReference(text)).toBeUndefined();
  });

  it.each([1, null, true, ["$1"], { a: "$1" }])("non-string %j is not a reference", (value) => {
    expect(wholeReference(value)).toBeUndefined();
  });
});

describe("referencesIn", () => {
  it("finds whole and interpolated references in nested values, sorted without repeats", () => {
    expect(
      referencesIn(["$3", ["${1}", ["see ${2} and ${3}"]], { k: "$4", n: ["${5}"] }, 7, null, "$1,200"]),
    ).toEqual([1, 2, 3, 4, 5]);
  });

  it("sorts numerically, not as text", () => {
    expect(referencesIn(["$10", "$9", "${100}"])).toEqual([9, 10, 100]);
  });

  it("a bare $N inside text is money, not a reference", () => {
    expect(referencesIn("bring $20 for pizza, total $1,200")).toEqual([]);
  });

  it("returns nothing for values without references", () => {
    expect(referencesIn([1, true, null, "", "text", []])).toEqual([]);
  });
});

describe("hasInterpolation", () => {
  it.each([
    ["see ${2}", true],
    ["${2}", true],
    ["$2", false],
    ["$2 and ${x}", false],
    ["plain", false],
  ])("%j -> %s", (text, expected) => {
    expect(hasInterpolation(text)).toBe(expected);
  });
});

describe("substituteReferences", () => {
  const results: Record<number, string> = { 1: "sid@example.com", 2: "https://zoom.us/j/1", 3: "$2 ${1}" };
  const resultOf = (index: number) => {
    const result = results[index];
    if (result === undefined) throw new Error(`asked for step ${index}`);
    return result;
  };

  it("replaces whole references with the result", () => {
    expect(substituteReferences("$1", resultOf)).toBe("sid@example.com");
    expect(substituteReferences("${2}", resultOf)).toBe("https://zoom.us/j/1");
  });

  it("interpolates ${N} inside text and leaves money alone", () => {
    expect(substituteReferences("Join ${2} and bring $20 ($1,200 budget) to ${1}", resultOf)).toBe(
      "Join https://zoom.us/j/1 and bring $20 ($1,200 budget) to sid@example.com",
    );
  });

  it("does not substitute again inside a substituted result", () => {
    expect(substituteReferences("$3", resultOf)).toBe("$2 ${1}");
    expect(substituteReferences("x ${3}", resultOf)).toBe("x $2 ${1}");
  });

  it("works through lists and dicts, keeping other values", () => {
    expect(substituteReferences(["$1", ["${2}"], { to: "$1", n: 5 }, null, true, 3], resultOf)).toEqual([
      "sid@example.com",
      ["https://zoom.us/j/1"],
      { to: "sid@example.com", n: 5 },
      null,
      true,
      3,
    ]);
  });

  it("does not modify its input", () => {
    const value = ["$1", { a: ["${2}"] }];
    const copy = structuredClone(value);
    substituteReferences(value, resultOf);
    expect(value).toEqual(copy);
  });

  it("asks only for the steps referred to", () => {
    const asked: number[] = [];
    substituteReferences(["$1", "plain $20", "${2}"], (index) => {
      asked.push(index);
      return "r";
    });
    expect(asked).toEqual([1, 2]);
  });
});
