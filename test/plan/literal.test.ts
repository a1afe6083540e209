import { describe, expect, it } from "vitest";
import { LiteralSyntaxError, readArgumentList, readLiteral } from "../../src/agent/plan/literal";

function literalError(text: string): LiteralSyntaxError {
  try {
    readLiteral(text);
  } catch (error) {
    expect(error).toBeInstanceOf(LiteralSyntaxError);
    return error as LiteralSyntaxError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be rejected`);
}

describe("readLiteral: keywords", () => {
  it.each([
    ["True", true],
    ["False", false],
    ["None", null],
    ["true", true],
    ["false", false],
    ["null", null],
    ["  None  ", null],
  ])("%j reads as %j", (text, value) => {
    expect(readLiteral(text)).toBe(value);
  });

  it.each(["TRUE", "tRue", "none", "NULL", "NaN", "Infinity", "undefined", "x", "os", "__import__"])(
    "%j is not a literal",
    (text) => {
      const error = literalError(text);
      expect(error.reason).toContain("is not a literal");
      expect(error.offset).toBe(0);
    },
  );
});

describe("readLiteral: numbers", () => {
  it.each([
    ["0", 0],
    ["42", 42],
    ["-7", -7],
    ["+5", 5],
    ["3.25", 3.25],
    [".5", 0.5],
    ["5.", 5],
    ["1e3", 1000],
    ["1.5E-2", 0.015],
    ["-2.5e+1", -25],
  ])("%j reads as %j", (text, value) => {
    expect(readLiteral(text)).toBe(value);
  });

  it("keeps the sign of -0", () => {
    expect(Object.is(readLiteral("-0"), -0)).toBe(true);
  });

  it.each(["1e999", "-1e999"])("%j is out of range rather than Infinity", (text) => {
    expect(literalError(text).reason).toBe("number out of range");
  });

  it.each(["0x10", "1_000", "12abc", "1e", "-", "+", "."])("%j is a malformed number", (text) => {
    expect(() => readLiteral(text)).toThrow(LiteralSyntaxError);
  });

  it("rejects a second value after the first", () => {
    expect(literalError("1 2").reason).toBe("unexpected text after the value");
  });
});

describe("readLiteral: strings", () => {
  it.each([
    [`"plain"`, "plain"],
    [`'single'`, "single"],
    [`""`, ""],
    [`''`, ""],
    [`"it's"`, "it's"],
    [`'say "hi"'`, 'say "hi"'],
    [String.raw`"a\nb"`, "a\nb"],
    [String.raw`'a\tb'`, "a\tb"],
    [String.raw`"a\rb"`, "a\rb"],
    [String.raw`"back\\slash"`, "back\\slash"],
    [String.raw`"q\"q"`, 'q"q'],
    [String.raw`'q\'q'`, "q'q"],
    [String.raw`"q\'q"`, "q'q"],
    [String.raw`'q\"q'`, 'q"q'],
    [String.raw`"\/"`, "/"],
    [String.raw`"\b\f\v\a\0"`, "\b\f\v\x07\0"],
    [String.raw`"\u00e9"`, "é"],
    [String.raw`"\u00E9"`, "é"],
    [String.raw`"\x41\x7a"`, "Az"],
    [String.raw`"\U0001F600"`, "😀"],
    [String.raw`"\ud83d\ude00"`, "😀"],
    [String.raw`"\ud800"`, "\ud800"],
    [String.raw`"\d+"`, "\\d+"],
    [`"emoji 👩‍👩‍👧 and 中文"`, "emoji 👩‍👩‍👧 and 中文"],
    [`"שלום עולם"`, "שלום עולם"],
    [`"مرحبا \u202e"`, "مرحبا \u202e"],
    [`"tab\there"`, "tab\there"],
  ])("%s reads as %j", (text, value) => {
    expect(readLiteral(text)).toBe(value);
  });

  it("a surrogate pair written as two \\u escapes is one code point", () => {
    const value = readLiteral(String.raw`"\ud83d\ude00"`) as string;
    expect([...value]).toHaveLength(1);
    expect(value.codePointAt(0)).toBe(0x1f600);
  });

  it.each([
    [`"unclosed`, "string is not closed on this line"],
    [`'mismatched"`, "string is not closed on this line"],
    [`"line\nbreak"`, "string is not closed on this line"],
    [String.raw`"\u12"`, "expected 4 hex digits"],
    [String.raw`"\xZZ"`, "expected 2 hex digits"],
    [String.raw`"\U00110000"`, "escape beyond the last Unicode code point"],
    // As in Python, where "C:\Users" is a SyntaxError: \U needs 8 hex digits.
    [String.raw`"C:\Users\me"`, "expected 8 hex digits"],
  ])("%j is rejected: %s", (text, reason) => {
    expect(literalError(text).reason).toBe(reason);
  });

  it("an unclosed string is reported at its opening quote", () => {
    expect(literalError(`  "abc`).offset).toBe(2);
  });

  it("a string ending in a lone backslash is rejected", () => {
    expect(() => readLiteral('"abc\\')).toThrow(LiteralSyntaxError);
  });
});

describe("readLiteral: lists and dicts", () => {
  it("reads nested lists with trailing commas and spaces", () => {
    expect(readLiteral("[1, [2, [3, []]], 'x' , ]")).toEqual([1, [2, [3, []]], "x"]);
  });

  it("reads an empty list and a list of keywords", () => {
    expect(readLiteral("[]")).toEqual([]);
    expect(readLiteral("[True, None, false]")).toEqual([true, null, false]);
  });

  it("reads dicts with quoted keys, keeping __proto__ as a plain own key", () => {
    const value = readLiteral(`{"a": 1, 'b': [None], "__proto__": {"x": 2},}`) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["a", "b", "__proto__"]);
    expect(value["__proto__"]).toEqual({ x: 2 });
    expect(({} as Record<string, unknown>)["x"]).toBeUndefined(); // nothing leaked into Object.prototype
  });

  it.each([
    ["[1, 2", 'missing "]"'],
    ["[1 2]", 'expected "," or "]" in a list'],
    ["{a: 1}", "dictionary keys must be quoted strings"],
    ['{"a" 1}', 'expected ":" after a dictionary key'],
    ['{"a": 1', 'missing "}"'],
    ["(1, 2)", 'unexpected character "("'],
    ["[,]", 'unexpected character ","'],
  ])("%j is rejected: %s", (text, reason) => {
    expect(literalError(text).reason).toBe(reason);
  });

  it("accepts moderately deep nesting", () => {
    expect(readLiteral("[".repeat(20) + "]".repeat(20))).toBeDefined();
  });

  it("rejects absurd nesting with a syntax error, not a stack overflow", () => {
    const error = literalError("[".repeat(100_000));
    expect(error.reason).toMatch(/nested more than \d+ deep/);
  });
});

describe("readArgumentList", () => {
  it("reads positional arguments and returns the offset after the closing parenthesis", () => {
    const text = `f("a", 1, [True]) tail`;
    const args = readArgumentList(text, 2);
    expect(args.values).toEqual(["a", 1, [true]]);
    expect(args.named).toEqual([]);
    expect(text.slice(args.end)).toBe(" tail");
  });

  it("reads an empty argument list", () => {
    expect(readArgumentList("f( )", 2)).toEqual({ values: [], end: 4, named: [] });
  });

  it("allows a trailing comma", () => {
    expect(readArgumentList(`f("a", "b",)`, 2).values).toEqual(["a", "b"]);
  });

  it("reports named arguments but still reads their values", () => {
    const args = readArgumentList(`f(name="Sid", 2, folder = None)`, 2);
    expect(args.named).toEqual(["name", "folder"]);
    expect(args.values).toEqual(["Sid", 2, null]);
  });

  it("does not take a comparison `x == 1` for a named argument", () => {
    expect(() => readArgumentList("f(x == 1)", 2)).toThrow(/"x" is not a literal/);
  });

  it.each([
    [`f("a"`, "missing closing parenthesis"],
    [`f("a" "b")`, 'expected "," or ")"'],
    [`f("a",`, "expected a value, found the end of the line"],
    [`f(,)`, 'unexpected character ","'],
  ])("%j is rejected: %s", (text, reason) => {
    expect(() => readArgumentList(text, 2)).toThrow(reason);
  });

  it("never evaluates code: a call expression is a syntax error", () => {
    const g = globalThis as { __planPwned?: boolean };
    delete g.__planPwned;
    const attempts = [
      `f(__import__('os').system('touch /tmp/pwned'), "", None)`,
      `f((() => { globalThis.__planPwned = true; return "x" })())`,
      "f(`${globalThis.__planPwned = true}`)",
      `f(eval("globalThis.__planPwned = true"))`,
      `f(globalThis.__planPwned = true)`,
    ];
    for (const text of attempts) {
      expect(() => readArgumentList(text, 2), text).toThrow(LiteralSyntaxError);
    }
    expect(g.__planPwned).toBeUndefined();
  });
});
