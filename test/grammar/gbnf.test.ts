import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  assertNoRecursion,
  classRanges,
  formatGbnf,
  parseGbnf,
  sample,
  seededRng,
  toRegExp,
  type Grammar,
  type Node,
} from "./gbnf";

const SEED = 20_240_611;

/** Whether `rule` of a one-grammar text accepts `sentence`, through the regular expression. */
function matches(grammarText: string, sentence: string, rule = "root"): boolean {
  return toRegExp(parseGbnf(grammarText), rule).test(sentence);
}

/**
 * An independent matcher for the tests: the set of positions (in code points) where `node` can end when it
 * starts at `start`. Used as an oracle for toRegExp on random grammars.
 */
function ends(grammar: Grammar, node: Node, chars: readonly string[], start: number): Set<number> {
  switch (node.type) {
    case "literal": {
      const want = [...node.value];
      return want.every((c, i) => chars[start + i] === c) ? new Set([start + want.length]) : new Set();
    }
    case "class": {
      const c = chars[start];
      if (c === undefined) return new Set();
      const code = c.codePointAt(0)!;
      const listed = node.ranges.some(([low, high]) => low <= code && code <= high);
      return listed !== node.negated ? new Set([start + 1]) : new Set();
    }
    case "any":
      return start < chars.length ? new Set([start + 1]) : new Set();
    case "ref":
      return ends(grammar, grammar.rules.get(node.name)!, chars, start);
    case "sequence": {
      let positions = new Set([start]);
      for (const item of node.items) {
        positions = new Set([...positions].flatMap((p) => [...ends(grammar, item, chars, p)]));
      }
      return positions;
    }
    case "alternatives":
      return new Set(node.options.flatMap((option) => [...ends(grammar, option, chars, start)]));
    case "repeat": {
      // Past min + length iterations nothing new can be reached (extra iterations would be empty).
      const limit = Math.min(node.max ?? Infinity, node.min + chars.length + 1);
      const result = new Set<number>(node.min === 0 ? [start] : []);
      let current = new Set([start]);
      for (let count = 1; count <= limit && current.size > 0; count++) {
        current = new Set([...current].flatMap((p) => [...ends(grammar, node.node, chars, p)]));
        if (count >= node.min) current.forEach((p) => result.add(p));
      }
      return result;
    }
  }
}

function oracleAccepts(grammar: Grammar, sentence: string, rule = "root"): boolean {
  const chars = [...sentence];
  return ends(grammar, grammar.rules.get(rule)!, chars, 0).has(chars.length);
}

describe("parseGbnf", () => {
  it("reads literals, classes, groups, alternatives, quantifiers and references", () => {
    const grammar = parseGbnf(
      [
        `root ::= "a\\n\\"\\\\\\x41\\u00e9\\U0001F600" item{2,3} (x | "y")* [^a-c\\]\\x00-\\x1f]? x{2,} x{4} x+`,
        `item ::= [a-z_0-9] | .`,
        `x ::= "x"`,
      ].join("\n"),
    );
    expect([...grammar.rules.keys()]).toEqual(["root", "item", "x"]);
    const root = grammar.rules.get("root")!;
    expect(root.type).toBe("sequence");
    const items = (root as Extract<Node, { type: "sequence" }>).items;
    expect(items[0]).toEqual({ type: "literal", value: 'a\n"\\Aé😀' });
    expect(items[1]).toEqual({ type: "repeat", node: { type: "ref", name: "item" }, min: 2, max: 3 });
    expect(items[2]).toMatchObject({
      type: "repeat",
      min: 0,
      max: undefined,
      node: { type: "alternatives" },
    });
    expect(items[3]).toEqual({
      type: "repeat",
      min: 0,
      max: 1,
      node: {
        type: "class",
        negated: true,
        ranges: [
          [0x61, 0x63],
          [0x5d, 0x5d],
          [0, 0x1f],
        ],
      },
    });
    expect(items[4]).toMatchObject({ type: "repeat", min: 2, max: undefined });
    expect(items[5]).toMatchObject({ type: "repeat", min: 4, max: 4 });
    expect(items[6]).toMatchObject({ type: "repeat", min: 1, max: undefined });
    expect(grammar.rules.get("item")).toEqual({
      type: "alternatives",
      options: [
        {
          type: "class",
          negated: false,
          ranges: [
            [0x61, 0x7a],
            [0x5f, 0x5f],
            [0x30, 0x39],
          ],
        },
        { type: "any" },
      ],
    });
  });

  it("allows comments, blank lines, CRLF and newlines inside groups and after | as llama.cpp does", () => {
    const grammar = parseGbnf(
      '# a comment\r\n\r\nroot ::= ( "a" # inside\n  | "b"\n ) tail\r\ntail ::=\n  "c" |\n  "d"   # end\n',
    );
    expect(formatGbnf(grammar)).toBe('root ::= ("a" | "b") tail\ntail ::= "c" | "d"\n');
  });

  it("keeps a - at the end of a class literal and reads [] and [^] as nothing and anything", () => {
    expect(classRanges(parseGbnf("root ::= [a-]").rules.get("root") as never)).toEqual([
      [0x2d, 0x2d],
      [0x61, 0x61],
    ]);
    expect(matches('root ::= [] | "x"', "x")).toBe(true);
    expect(matches("root ::= []", "")).toBe(false);
    expect(matches("root ::= [^]", "\n")).toBe(true);
  });

  it.each([
    ["a missing root", 'start ::= "a"', /no root/],
    ["an undefined rule", 'root ::= "a" missing', /undefined rule missing/],
    ["a duplicate rule", 'root ::= "a"\nroot ::= "b"', /defined twice/],
    ["an underscore in a name (not a llama.cpp name character)", 'root ::= a_b\na_b ::= "x"', /::=|newline/],
    ["an unterminated literal", 'root ::= "abc', /unterminated literal/],
    ["an unterminated class", "root ::= [abc", /unterminated character class/],
    ["an unknown escape", 'root ::= "\\q"', /unknown escape/],
    ["a short hex escape", 'root ::= "\\x4"', /2 hex digits/],
    ["an escape past U+10FFFF", 'root ::= "\\U00110000"', /last Unicode code point/],
    ["a negative repetition bound", 'root ::= "a"{0,-1}', /expecting "}"/],
    ["a repetition with max < min", 'root ::= "a"{3,2}', /max < min/],
    ["a quantifier with nothing before it", "root ::= *", /expecting an item/],
    ["an unclosed group", 'root ::= ("a" | "b"', /expecting "\)"/],
    ["a stray parenthesis", 'root ::= "a")', /newline/],
    ["a rule body continued on the next line outside a group", 'root ::= "a"\n  "b"', /rule name/],
    ["a missing ::=", 'root = "a"', /::=/],
    ["a range out of order", "root ::= [z-a]", /out of order/],
  ])("rejects %s", (_, text, message) => {
    expect(() => parseGbnf(text)).toThrow(message);
  });
});

describe("toRegExp", () => {
  const cases: Array<[string, string[], string[]]> = [
    ['root ::= "a.b*c" "(" "$" "^"', ["a.b*c($^"], ["axbbc($^", "a.b*c", "a.bc($^"]],
    [
      'root ::= "ab" [c-e]+ ("x" | "yz"){2}',
      ["abcxx", "abcdeyzx", "abeeyzyz"],
      ["abxx", "abcx", "abcxxx", "abfxx"],
    ],
    ['root ::= "a"{3}', ["aaa"], ["aa", "aaaa", ""]],
    ['root ::= "a"{2,}', ["aa", "aaaaaaaaaa"], ["a", ""]],
    ['root ::= "a"{0,2} "b"?', ["", "a", "aab", "b"], ["aaa", "bb", "aaab"]],
    ["root ::= .", ["x", "\n", "é", "😀", "日"], ["", "xy", "😀😀"]],
    [
      'root ::= [^"\\\\$\\x00-\\x1f]',
      ["a", "{", "é", "日", "😀", "א", "\u2028", "\x7f"],
      ['"', "\\", "$", "\n", "\x00", "\x1f", "", "ab"],
    ],
    ['root ::= ["\\\\/bfnrt]', ['"', "\\", "/", "b", "t"], ["a", "\\\\", ""]],
    ['root ::= "\\\\" "u" [0-9a-fA-F]{4}', ["\\u00e9", "\\uABCD"], ["\\u00g9", "\\u12345", "u0000"]],
    ['root ::= x | y\nx ::= "x" y?\ny ::= "y"', ["x", "y", "xy"], ["yx", "xx", ""]],
    ['root ::= ""', [""], ["a"]],
  ];
  it.each(cases)("%s accepts and rejects the expected strings", (text, accepted, rejected) => {
    const regex = toRegExp(parseGbnf(text));
    expect(regex.flags).toContain("u");
    for (const s of accepted) expect(regex.test(s), JSON.stringify(s)).toBe(true);
    for (const s of rejected) expect(regex.test(s), JSON.stringify(s)).toBe(false);
  });

  it("compiles any rule, not only root", () => {
    expect(matches('root ::= "a" b\nb ::= "b"+', "bbb", "b")).toBe(true);
  });

  it("throws on direct and indirect recursion, also from sample()", () => {
    const direct = parseGbnf('root ::= "a" root?');
    const indirect = parseGbnf('root ::= "(" inner ")"\ninner ::= "x" | root');
    expect(() => toRegExp(direct)).toThrow(/recursive rule: root -> root/);
    expect(() => toRegExp(indirect)).toThrow(/recursive rule: root -> inner -> root/);
    expect(() => sample(indirect, seededRng(1))).toThrow(/recursive/);
    // A rule used twice is not recursion.
    expect(() => assertNoRecursion(parseGbnf('root ::= a a\na ::= b b\nb ::= "b"'))).not.toThrow();
  });
});

describe("sample", () => {
  const grammars = {
    text: String.raw`root ::= "\"" body? "\""
char ::= [^"\\$\x00-\x1f] | "\\" (["\\/bfnrt] | "u" hex hex hex hex)
dollar ::= "$" ([^"\\{$\x00-\x1f] | "\\" ["\\/bfnrt])
hex ::= [0-9a-fA-F]
body ::= char (char | dollar){0,40} "$"? | "$" | "$" [0-9]{1,6} ([^"\\$0-9\x00-\x1f] | dollar) (char | dollar){0,38}
`,
    numbers: 'root ::= ([1-9] [0-9]{0,3} | "0") ("," root2)*\nroot2 ::= [0-9]+ | .',
    unicode: "root ::= [é日😀א-ת]{1,5} [^\\x00-\\x7f]* [\\u0600-\\u06ff]",
  };

  it.each(Object.entries(grammars))("draws only sentences the %s grammar's regex accepts", (_, text) => {
    const grammar = parseGbnf(text);
    const regex = toRegExp(grammar);
    const rng = seededRng(SEED);
    for (let i = 0; i < 500; i++) {
      const sentence = sample(grammar, rng, { longChance: 0.1 });
      expect(regex.test(sentence), JSON.stringify(sentence)).toBe(true);
    }
  });

  it("is reproducible from its seed", () => {
    const grammar = parseGbnf(grammars.text);
    const draw = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 20 }, () => sample(grammar, rng));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it("keeps counts small by default but sometimes draws long repetitions and unusual characters", () => {
    const grammar = parseGbnf("root ::= [^\\x00-\\x1f]{0,200}");
    const rng = seededRng(SEED);
    const lengths: number[] = [];
    const chars = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const sentence = sample(grammar, rng, { longChance: 0.05 });
      lengths.push([...sentence].length);
      for (const c of sentence) chars.add(c);
    }
    const short = lengths.filter((n) => n <= 5).length;
    expect(short).toBeGreaterThan(1500);
    expect(Math.max(...lengths)).toBeGreaterThan(100);
    for (const c of ["é", "日", "😀", "א", "ع"]) expect(chars.has(c), c).toBe(true);
    expect([...chars].some((c) => c.codePointAt(0)! > 0xffff && !["😀", "👍", "𝄞"].includes(c))).toBe(true);
    // Never a lone surrogate: llama.cpp works on UTF-8, where those do not exist.
    expect([...chars].some((c) => /^[\ud800-\udfff]$/.test(c))).toBe(false);
  });

  it("uses `choose` to steer alternatives, with the rule the alternatives are written in", () => {
    const grammar = parseGbnf('root ::= "a" (end | more)\nmore ::= "b" ("c" | "d")\nend ::= "."');
    const seen: string[] = [];
    const sentence = sample(grammar, seededRng(1), {
      choose: (rule, count) => {
        seen.push(`${rule}/${count}`);
        return count - 1;
      },
    });
    expect(sentence).toBe("abd");
    expect(seen).toEqual(["root/2", "more/2"]);
  });

  it("respects the bounds of every repetition, including long draws", () => {
    const grammar = parseGbnf('root ::= "<" "a"{3,7} "b"{2,} "c"* ">"');
    const rng = seededRng(SEED);
    for (let i = 0; i < 300; i++) {
      const s = sample(grammar, rng, { longChance: 0.5, maxUnbounded: 10 });
      expect(s).toMatch(/^<a{3,7}b{2,12}c{0,10}>$/);
    }
  });
});

// Random small grammars over a few characters: the regex, the oracle and the sampler must agree.
const ALPHABET = ["a", "b", "😀"];
const codeOf = (c: string) => c.codePointAt(0)!;

function nodeArbitrary(refs: readonly string[]): fc.Arbitrary<Node> {
  const leaves: Array<fc.Arbitrary<Node>> = [
    fc
      .array(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 2 })
      .map((cs): Node => ({ type: "literal", value: cs.join("") })),
    fc
      .record({
        negated: fc.boolean(),
        chars: fc.uniqueArray(fc.constantFrom(...ALPHABET), { minLength: 1, maxLength: 2 }),
      })
      .map(({ negated, chars }): Node => ({
        type: "class",
        negated,
        ranges: chars.map((c): [number, number] => [codeOf(c), codeOf(c)]),
      })),
    fc.constant<Node>({ type: "class", negated: false, ranges: [[codeOf("a"), codeOf("b")]] }),
    fc.constant<Node>({ type: "any" }),
    ...(refs.length > 0 ? [fc.constantFrom(...refs).map((name): Node => ({ type: "ref", name }))] : []),
  ];
  const { node } = fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      ...leaves,
      fc
        .array(tie("node"), { minLength: 2, maxLength: 3 })
        .map((items): Node => ({ type: "sequence", items })),
      fc
        .array(tie("node"), { minLength: 2, maxLength: 3 })
        .map((options): Node => ({ type: "alternatives", options })),
      fc
        .record({ node: tie("node"), min: fc.nat(2), extra: fc.option(fc.nat(2), { nil: undefined }) })
        .map(({ node, min, extra }): Node => ({
          type: "repeat",
          node,
          min,
          max: extra === undefined ? undefined : min + extra,
        })),
    ),
  }));
  return node;
}

const grammarArbitrary: fc.Arbitrary<Grammar> = fc
  .tuple(nodeArbitrary(["helper", "leaf"]), nodeArbitrary(["leaf"]), nodeArbitrary([]))
  .map(([root, helper, leaf]) => ({
    rules: new Map([
      ["root", root],
      ["helper", helper],
      ["leaf", leaf],
    ]),
  }));

/** Every string over the alphabet up to `length` characters. */
function allStrings(length: number): string[] {
  let layer = [""];
  const all = [""];
  for (let i = 0; i < length; i++) {
    layer = layer.flatMap((s) => ALPHABET.map((c) => s + c));
    all.push(...layer);
  }
  return all;
}

describe("toolkit against an independent matcher on random grammars", () => {
  const strings = allStrings(4);

  it("toRegExp accepts exactly what the position-set matcher accepts", () => {
    fc.assert(
      fc.property(grammarArbitrary, (grammar) => {
        const regex = toRegExp(grammar);
        for (const s of strings) {
          if (regex.test(s) !== oracleAccepts(grammar, s)) {
            throw new Error(`disagree on ${JSON.stringify(s)} for\n${formatGbnf(grammar)}`);
          }
        }
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("formatGbnf writes text that parses back to the same grammar", () => {
    fc.assert(
      fc.property(grammarArbitrary, (grammar) => {
        expect(parseGbnf(formatGbnf(grammar))).toEqual(grammar);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("sample() draws sentences that both the regex and the matcher accept", () => {
    fc.assert(
      fc.property(grammarArbitrary, fc.integer(), (grammar, seed) => {
        const regex = toRegExp(grammar);
        const rng = seededRng(seed);
        for (let i = 0; i < 10; i++) {
          const s = sample(grammar, rng, { longChance: 0.2, maxUnbounded: 5 });
          expect(regex.test(s), JSON.stringify(s)).toBe(true);
          expect(oracleAccepts(grammar, s), JSON.stringify(s)).toBe(true);
        }
      }),
      // A class like [^a] cannot be sampled only when it is empty, which these grammars never are.
      { seed: SEED, numRuns: 200 },
    );
  });
});
