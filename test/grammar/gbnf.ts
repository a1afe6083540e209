/**
 * A small GBNF toolkit for tests: parse a llama.cpp grammar, turn a (non-recursive) rule into a JS RegExp,
 * and draw random sentences from it. It follows llama.cpp's grammar parser where planGrammar needs it:
 *
 *   name ::= alternatives          one rule per line; names are letters, digits and "-"
 *   "literal"                      escapes \n \r \t \\ \" \[ \] \xHH \uHHHH \UHHHHHHHH
 *   [a-z0-9_] [^"\\\x00-\x1f]      character classes, negated with ^, same escapes
 *   .                              any character
 *   ( ... )  a | b  name           groups, alternation, rule references
 *   x? x* x+ x{m} x{m,} x{m,n}     quantifiers
 *   # comment                      to the end of the line
 *
 * Newlines may appear inside parentheses and after "::=" or "|", as in llama.cpp; elsewhere a newline
 * ends the rule. Deliberately stricter than llama.cpp: a rule defined twice, a range out of order, an escape
 * past U+10FFFF and {m,n} with n < m are errors here (llama.cpp accepts the first three and hangs on the
 * last). llama-parser.test.ts checks that both parsers agree otherwise.
 */
import { mulberry32 } from "../../src/agent/seeded-random";

export type Node =
  | { type: "literal"; value: string }
  | { type: "class"; negated: boolean; ranges: Array<[number, number]> }
  | { type: "any" }
  | { type: "ref"; name: string }
  | { type: "sequence"; items: Node[] }
  | { type: "alternatives"; options: Node[] }
  /** `max` undefined: no upper bound. */
  | { type: "repeat"; node: Node; min: number; max: number | undefined };

export interface Grammar {
  /** Rules in the order they were written. */
  rules: Map<string, Node>;
}

export class GbnfError extends Error {
  override name = "GbnfError";
}

// ---------------------------------------------------------------------------------------------------------
// Parsing

const isWordChar = (c: string | undefined) => c !== undefined && /^[A-Za-z0-9-]$/.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= "0" && c <= "9";

/** Parses GBNF text. Throws a GbnfError on bad syntax, duplicate or undefined rules, and a missing root. */
export function parseGbnf(text: string): Grammar {
  const parser = new Parser(text);
  const rules = parser.parseRules();
  if (!rules.has("root")) throw new GbnfError("the grammar has no root rule");
  for (const [name, body] of rules) {
    for (const reference of referencesOf(body)) {
      if (!rules.has(reference)) throw new GbnfError(`rule ${name} uses undefined rule ${reference}`);
    }
  }
  return { rules };
}

class Parser {
  private pos = 0;

  constructor(private readonly text: string) {}

  parseRules(): Map<string, Node> {
    const rules = new Map<string, Node>();
    this.skipSpace(true);
    while (this.pos < this.text.length) {
      const name = this.parseName();
      this.skipSpace(false);
      if (!this.text.startsWith("::=", this.pos)) this.fail('expecting "::="');
      this.pos += 3;
      this.skipSpace(true);
      const body = this.parseAlternatives(false);
      if (this.peek() === "\r") this.pos += this.text[this.pos + 1] === "\n" ? 2 : 1;
      else if (this.peek() === "\n") this.pos++;
      else if (this.pos < this.text.length) this.fail("expecting a newline or the end of the grammar");
      if (rules.has(name)) throw new GbnfError(`rule ${name} is defined twice`);
      rules.set(name, body);
      this.skipSpace(true);
    }
    return rules;
  }

  private peek(): string | undefined {
    return this.text[this.pos];
  }

  private fail(message: string): never {
    const context = JSON.stringify(this.text.slice(this.pos, this.pos + 30));
    throw new GbnfError(`${message} at offset ${this.pos}: ${context}`);
  }

  /** Skips blanks and comments; newlines too when `newlines` (inside parentheses, after ::= and |). */
  private skipSpace(newlines: boolean): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || (newlines && (c === "\n" || c === "\r"))) this.pos++;
      else if (c === "#") {
        while (this.pos < this.text.length && this.peek() !== "\n" && this.peek() !== "\r") this.pos++;
      } else return;
    }
  }

  private parseName(): string {
    const start = this.pos;
    while (isWordChar(this.peek())) this.pos++;
    if (this.pos === start) this.fail("expecting a rule name");
    return this.text.slice(start, this.pos);
  }

  private parseInt(): number {
    const start = this.pos;
    while (isDigit(this.peek())) this.pos++;
    if (this.pos === start) this.fail("expecting an integer");
    return Number(this.text.slice(start, this.pos));
  }

  private parseAlternatives(nested: boolean): Node {
    const options = [this.parseSequence(nested)];
    while (this.peek() === "|") {
      this.pos++;
      this.skipSpace(true);
      options.push(this.parseSequence(nested));
    }
    return options.length === 1 ? options[0]! : { type: "alternatives", options };
  }

  private parseSequence(nested: boolean): Node {
    const items: Node[] = [];
    for (;;) {
      const c = this.peek();
      if (c === '"') {
        this.pos++;
        let value = "";
        while (this.peek() !== '"') {
          if (this.pos >= this.text.length) this.fail("unterminated literal");
          value += String.fromCodePoint(this.parseChar());
        }
        this.pos++;
        items.push({ type: "literal", value });
      } else if (c === "[") {
        items.push(this.parseClass());
      } else if (c === ".") {
        this.pos++;
        items.push({ type: "any" });
      } else if (isWordChar(c)) {
        items.push({ type: "ref", name: this.parseName() });
      } else if (c === "(") {
        this.pos++;
        this.skipSpace(true);
        const group = this.parseAlternatives(true);
        if (this.peek() !== ")") this.fail('expecting ")"');
        this.pos++;
        items.push(group);
      } else if (c === "*" || c === "+" || c === "?" || c === "{") {
        const last = items.pop();
        if (!last) this.fail(`expecting an item before "${c}"`);
        items.push(this.parseQuantifier(last, nested));
        continue; // parseQuantifier skipped the space after it
      } else {
        break;
      }
      this.skipSpace(nested);
    }
    return items.length === 1 ? items[0]! : { type: "sequence", items };
  }

  private parseQuantifier(node: Node, nested: boolean): Node {
    const c = this.peek();
    this.pos++;
    let min: number;
    let max: number | undefined;
    if (c === "*") [min, max] = [0, undefined];
    else if (c === "+") [min, max] = [1, undefined];
    else if (c === "?") [min, max] = [0, 1];
    else {
      this.skipSpace(nested);
      min = this.parseInt();
      this.skipSpace(nested);
      max = min;
      if (this.peek() === ",") {
        this.pos++;
        this.skipSpace(nested);
        max = isDigit(this.peek()) ? this.parseInt() : undefined;
        this.skipSpace(nested);
      }
      if (this.peek() !== "}") this.fail('expecting "}"');
      this.pos++;
      if (max !== undefined && max < min) this.fail(`repetition {${min},${max}} has max < min`);
    }
    this.skipSpace(nested);
    return { type: "repeat", node, min, max };
  }

  private parseClass(): Node {
    this.pos++; // [
    const negated = this.peek() === "^";
    if (negated) this.pos++;
    const ranges: Array<[number, number]> = [];
    while (this.peek() !== "]") {
      if (this.pos >= this.text.length) this.fail("unterminated character class");
      const low = this.parseChar();
      let high = low;
      if (this.peek() === "-" && this.text[this.pos + 1] !== "]" && this.pos + 1 < this.text.length) {
        this.pos++;
        high = this.parseChar();
        if (high < low) this.fail("character range out of order");
      }
      ranges.push([low, high]);
    }
    this.pos++;
    return { type: "class", negated, ranges };
  }

  /** One character of a literal or class, escapes decoded, as a code point. */
  private parseChar(): number {
    const c = this.peek();
    if (c === undefined) this.fail("unexpected end of the grammar");
    if (c !== "\\") {
      const code = this.text.codePointAt(this.pos)!;
      this.pos += code > 0xffff ? 2 : 1;
      return code;
    }
    const e = this.text[this.pos + 1];
    this.pos += 2;
    const simple: Record<string, string> = {
      n: "\n",
      r: "\r",
      t: "\t",
      "\\": "\\",
      '"': '"',
      "[": "[",
      "]": "]",
    };
    if (e !== undefined && Object.hasOwn(simple, e)) return simple[e]!.codePointAt(0)!;
    const digits = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
    if (digits === 0) {
      this.pos -= 2;
      this.fail("unknown escape");
    }
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) this.fail(`expecting ${digits} hex digits`);
    this.pos += digits;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) this.fail("escape beyond the last Unicode code point");
    return code;
  }
}

/** The rule names a node refers to. */
export function referencesOf(node: Node): Set<string> {
  const found = new Set<string>();
  const visit = (n: Node): void => {
    if (n.type === "ref") found.add(n.name);
    else if (n.type === "sequence") n.items.forEach(visit);
    else if (n.type === "alternatives") n.options.forEach(visit);
    else if (n.type === "repeat") visit(n.node);
  };
  visit(node);
  return found;
}

/** Throws when `rule`, or a rule it uses, refers back to itself (directly or through others). */
export function assertNoRecursion(grammar: Grammar, rule = "root"): void {
  const done = new Set<string>();
  const visit = (name: string, path: string[]): void => {
    if (path.includes(name)) throw new GbnfError(`recursive rule: ${[...path, name].join(" -> ")}`);
    if (done.has(name)) return;
    const body = grammar.rules.get(name);
    if (!body) throw new GbnfError(`undefined rule ${name}`);
    for (const reference of referencesOf(body)) visit(reference, [...path, name]);
    done.add(name);
  };
  visit(rule, []);
}

// ---------------------------------------------------------------------------------------------------------
// Printing (for round trips and for building small grammars in tests)

/** Writes a grammar back as GBNF text, one rule per line, keeping its structure (groups where needed). */
export function formatGbnf(grammar: Grammar): string {
  return [...grammar.rules].map(([name, body]) => `${name} ::= ${formatNode(body, "rule")}\n`).join("");
}

/** Where a node is written: a whole rule, one alternative, one item of a sequence, or under a quantifier. */
type Place = "rule" | "option" | "item" | "quantified";

function formatNode(node: Node, place: Place): string {
  switch (node.type) {
    case "literal":
      return `"${[...node.value].map((c) => escapeChar(c, '"')).join("")}"`;
    case "class": {
      const body = node.ranges
        .map(([low, high]) => {
          const a = escapeChar(String.fromCodePoint(low), "]-^");
          return low === high ? a : `${a}-${escapeChar(String.fromCodePoint(high), "]-^")}`;
        })
        .join("");
      return `[${node.negated ? "^" : ""}${body}]`;
    }
    case "any":
      return ".";
    case "ref":
      return node.name;
    case "sequence": {
      const text = node.items.map((item) => formatNode(item, "item")).join(" ");
      return text === "" || place === "item" || place === "quantified" ? `(${text})` : text;
    }
    case "alternatives": {
      const text = node.options.map((option) => formatNode(option, "option")).join(" | ");
      return place === "rule" ? text : `(${text})`;
    }
    case "repeat": {
      const { min, max } = node;
      const inner = formatNode(node.node, "quantified");
      if (min === 0 && max === undefined) return `${inner}*`;
      if (min === 1 && max === undefined) return `${inner}+`;
      if (min === 0 && max === 1) return `${inner}?`;
      return `${inner}{${min}${max === min ? "" : `,${max ?? ""}`}}`;
    }
  }
}

function escapeChar(c: string, special: string): string {
  const code = c.codePointAt(0)!;
  if (c === "\\" || special.includes(c) || c === '"')
    return `\\${c === "^" || c === "-" ? `x${hex(code, 2)}` : c}`;
  if (c === "[" || c === "]") return `\\${c}`;
  if (code < 0x20 || code === 0x7f) return `\\x${hex(code, 2)}`;
  return c;
}

const hex = (code: number, width: number) => code.toString(16).padStart(width, "0");

// ---------------------------------------------------------------------------------------------------------
// Regular expressions

/**
 * An anchored RegExp (`u` flag) matching exactly the sentences of `rule`, built by inlining every rule it
 * uses. Throws on recursion, which a regular expression cannot express.
 */
export function toRegExp(grammar: Grammar, rule = "root"): RegExp {
  assertNoRecursion(grammar, rule);
  const cache = new Map<string, string>();
  const ruleSource = (name: string): string => {
    let source = cache.get(name);
    if (source === undefined) {
      source = nodeSource(grammar.rules.get(name)!, ruleSource);
      cache.set(name, source);
    }
    return source;
  };
  return new RegExp(`^(?:${ruleSource(rule)})$`, "u");
}

function nodeSource(node: Node, ruleSource: (name: string) => string): string {
  switch (node.type) {
    case "literal":
      return [...node.value].map(regexChar).join("");
    case "class": {
      const body = node.ranges
        .map(([low, high]) => (low === high ? codePoint(low) : `${codePoint(low)}-${codePoint(high)}`))
        .join("");
      return `[${node.negated ? "^" : ""}${body}]`;
    }
    case "any":
      return "[^]";
    case "ref":
      return `(?:${ruleSource(node.name)})`;
    case "sequence":
      return node.items.map((item) => nodeSource(item, ruleSource)).join("");
    case "alternatives":
      return `(?:${node.options.map((option) => nodeSource(option, ruleSource)).join("|")})`;
    case "repeat": {
      const inner = `(?:${nodeSource(node.node, ruleSource)})`;
      return `${inner}{${node.min},${node.max ?? ""}}`;
    }
  }
}

const codePoint = (code: number) => `\\u{${code.toString(16)}}`;
const regexChar = (c: string) => (/^[A-Za-z0-9 ]$/.test(c) ? c : codePoint(c.codePointAt(0)!));

// ---------------------------------------------------------------------------------------------------------
// Sampling

/** A source of random numbers in [0, 1). */
export type Rng = () => number;

/** A small seeded generator, so samples are reproducible from a fast-check integer. */
export const seededRng: (seed: number) => Rng = mulberry32;

export interface SampleOptions {
  /** Chance of one more repetition past the minimum, asked again after each (a geometric count). */
  continueChance?: number;
  /** Chance that a repetition instead takes a count uniformly between its bounds: long strings. */
  longChance?: number;
  /** Upper bound used for unbounded repetitions (`*`, `+`, `{m,}`). */
  maxUnbounded?: number;
  /** Chance that a character class picks one of the unusual characters below (when it allows one). */
  exoticChance?: number;
  /** Chance that a character class picks any code point it allows, uniformly. */
  anyCharChance?: number;
  /** Picks among `count` alternatives written in `rule`; uniform when absent. */
  choose?: (rule: string, count: number, rng: Rng) => number;
}

/** Non-ASCII and otherwise awkward characters a sampled class should sometimes produce. */
export const EXOTIC_CHARS = [
  "é",
  "ß",
  "Ω",
  "ж",
  "日",
  "本",
  "한",
  "😀",
  "👍",
  "𝄞",
  "א", // Hebrew (right to left)
  "ع", // Arabic (right to left)
  "\u200f", // right-to-left mark
  "\u0301", // combining acute accent
  "\u00a0", // no-break space
  "\u2028", // line separator
  "\ufeff", // byte order mark
  "\u0085", // next line (C1 control)
  "\u007f", // delete
].map((c) => c.codePointAt(0)!);

/** A random sentence of `rule`. Alternatives are picked uniformly, repetition counts biased small. */
export function sample(grammar: Grammar, rng: Rng, options: SampleOptions = {}, rule = "root"): string {
  assertNoRecursion(grammar, rule);
  const settings = {
    continueChance: 0.5,
    longChance: 0.05,
    maxUnbounded: 32,
    exoticChance: 0.1,
    anyCharChance: 0.03,
    ...options,
  };
  const out: string[] = [];
  const pickIndex = (count: number) => Math.min(count - 1, Math.floor(rng() * count));
  const visit = (node: Node, ruleName: string): void => {
    switch (node.type) {
      case "literal":
        out.push(node.value);
        return;
      case "class":
        out.push(String.fromCodePoint(pickChar(classRanges(node), rng, settings)));
        return;
      case "any":
        out.push(String.fromCodePoint(pickChar(ALL_CHARS, rng, settings)));
        return;
      case "ref":
        visit(grammar.rules.get(node.name)!, node.name);
        return;
      case "sequence":
        for (const item of node.items) visit(item, ruleName);
        return;
      case "alternatives": {
        const count = node.options.length;
        const index = settings.choose ? settings.choose(ruleName, count, rng) : pickIndex(count);
        visit(node.options[index]!, ruleName);
        return;
      }
      case "repeat": {
        const max = node.max ?? node.min + settings.maxUnbounded;
        let count = node.min;
        if (rng() < settings.longChance) count = node.min + pickIndex(max - node.min + 1);
        else while (count < max && rng() < settings.continueChance) count++;
        for (let i = 0; i < count; i++) visit(node.node, ruleName);
        return;
      }
    }
  };
  visit(grammar.rules.get(rule)!, rule);
  return out.join("");
}

type Ranges = Array<[number, number]>;

const SURROGATES: [number, number] = [0xd800, 0xdfff];
const ALL_CHARS: Ranges = subtract([[0, 0x10ffff]], [SURROGATES]);
const PRINTABLE_ASCII: Ranges = [[0x20, 0x7e]];

/** The code points a class matches, as sorted disjoint ranges, without surrogates (never valid UTF-8). */
export function classRanges(node: Extract<Node, { type: "class" }>): Ranges {
  const listed = normalize(node.ranges);
  return subtract(node.negated ? subtract([[0, 0x10ffff]], listed) : listed, [SURROGATES]);
}

function pickChar(ranges: Ranges, rng: Rng, settings: Required<Omit<SampleOptions, "choose">>): number {
  if (ranges.length === 0) throw new GbnfError("cannot sample a character class that matches nothing");
  const roll = rng();
  const exotic = EXOTIC_CHARS.filter((code) => inRanges(ranges, code));
  if (roll < settings.exoticChance && exotic.length > 0) return exotic[Math.floor(rng() * exotic.length)]!;
  const ascii = intersect(ranges, PRINTABLE_ASCII);
  if (roll < settings.exoticChance + settings.anyCharChance || ascii.length === 0)
    return pickUniform(ranges, rng);
  return pickUniform(ascii, rng);
}

function pickUniform(ranges: Ranges, rng: Rng): number {
  const total = ranges.reduce((sum, [low, high]) => sum + high - low + 1, 0);
  let index = Math.floor(rng() * total);
  for (const [low, high] of ranges) {
    if (index <= high - low) return low + index;
    index -= high - low + 1;
  }
  return ranges[ranges.length - 1]![1];
}

function normalize(ranges: Ranges): Ranges {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Ranges = [];
  for (const [low, high] of sorted) {
    const last = merged[merged.length - 1];
    if (last && low <= last[1] + 1) last[1] = Math.max(last[1], high);
    else merged.push([low, high]);
  }
  return merged;
}

function subtract(ranges: Ranges, removed: Ranges): Ranges {
  let result = normalize(ranges);
  for (const [low, high] of removed) {
    result = result.flatMap(([a, b]): Ranges => {
      if (high < a || low > b) return [[a, b]];
      const parts: Ranges = [];
      if (a < low) parts.push([a, low - 1]);
      if (b > high) parts.push([high + 1, b]);
      return parts;
    });
  }
  return result;
}

function intersect(ranges: Ranges, other: Ranges): Ranges {
  const result: Ranges = [];
  for (const [a, b] of ranges) {
    for (const [c, d] of other) {
      const low = Math.max(a, c);
      const high = Math.min(b, d);
      if (low <= high) result.push([low, high]);
    }
  }
  return normalize(result);
}

function inRanges(ranges: Ranges, code: number): boolean {
  return ranges.some(([low, high]) => low <= code && code <= high);
}
