import type { Value } from "./plan";

/**
 * Reads Python and JSON literals (strings, numbers, booleans, None/null, lists, dicts) as data. Nothing is
 * ever evaluated: a name that is not one of the six keywords is a syntax error, whatever it is.
 */

export interface LiteralError {
  /** Offset in the text where reading failed. */
  offset: number;
  reason: string;
}

export class LiteralSyntaxError extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = "LiteralSyntaxError";
  }
}

/** Deep enough for any plan, shallow enough that hostile input cannot exhaust the stack. */
const MAX_DEPTH = 32;

const KEYWORDS: Record<string, Value> = {
  True: true,
  False: false,
  None: null,
  true: true,
  false: false,
  null: null,
};

const SIMPLE_ESCAPES: Record<string, string> = {
  "\\": "\\",
  "'": "'",
  '"': '"',
  "/": "/",
  n: "\n",
  r: "\r",
  t: "\t",
  b: "\b",
  f: "\f",
  v: "\v",
  a: "\x07",
  "0": "\0",
};

export interface ArgumentList {
  values: Value[];
  /** Offset just after the closing parenthesis. */
  end: number;
  /** Names used as `name=value`, which the plan language does not allow. */
  named: string[];
}

/**
 * Reads `arg, arg, ...)` starting just after an opening parenthesis. Named arguments are read (so the
 * caller can say which ones were used) but reported, not accepted.
 */
export function readArgumentList(text: string, start: number): ArgumentList {
  const reader = new LiteralReader(text, start);
  const values: Value[] = [];
  const named: string[] = [];
  reader.skipSpace();
  if (reader.peek() === ")") return { values, end: reader.pos + 1, named };
  for (;;) {
    const name = reader.tryNamedArgument();
    if (name !== undefined) named.push(name);
    values.push(reader.readValue(0));
    reader.skipSpace();
    const next = reader.peek();
    if (next === ")") return { values, end: reader.pos + 1, named };
    if (next !== ",")
      throw reader.error(next === undefined ? "missing closing parenthesis" : `expected "," or ")"`);
    reader.pos++;
    reader.skipSpace();
    if (reader.peek() === ")") return { values, end: reader.pos + 1, named };
  }
}

/** Reads exactly one literal making up the whole text (surrounding spaces allowed). */
export function readLiteral(text: string): Value {
  const reader = new LiteralReader(text, 0);
  const value = reader.readValue(0);
  reader.skipSpace();
  if (reader.pos < text.length) throw reader.error("unexpected text after the value");
  return value;
}

class LiteralReader {
  constructor(
    private readonly text: string,
    public pos: number,
  ) {}

  peek(): string | undefined {
    return this.text[this.pos];
  }

  error(reason: string): LiteralSyntaxError {
    return new LiteralSyntaxError(this.pos, reason);
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** Consumes `name=` (not `==`) and returns the name, or leaves the position unchanged. */
  tryNamedArgument(): string | undefined {
    const match = /^([A-Za-z_]\w*)\s*=(?!=)/.exec(this.text.slice(this.pos, this.pos + 200));
    if (!match) return undefined;
    this.pos += match[0].length;
    this.skipSpace();
    return match[1];
  }

  readValue(depth: number): Value {
    if (depth > MAX_DEPTH) throw this.error(`values nested more than ${MAX_DEPTH} deep`);
    this.skipSpace();
    const c = this.peek();
    if (c === undefined) throw this.error("expected a value, found the end of the line");
    if (c === '"' || c === "'") return this.readString();
    if (c === "[") return this.readList(depth);
    if (c === "{") return this.readDict(depth);
    if (c === "-" || c === "+" || c === "." || (c >= "0" && c <= "9")) return this.readNumber();
    if (/[A-Za-z_]/.test(c)) return this.readKeyword();
    throw this.error(`unexpected character ${JSON.stringify(c)}`);
  }

  private readKeyword(): Value {
    const match = /^[A-Za-z_]\w*/.exec(this.text.slice(this.pos, this.pos + 100));
    const word = match?.[0] ?? "";
    if (Object.hasOwn(KEYWORDS, word)) {
      this.pos += word.length;
      return KEYWORDS[word]!;
    }
    throw this.error(
      `"${word}" is not a literal (use a quoted string, a number, a list, True/False/None or true/false/null)`,
    );
  }

  private readNumber(): number {
    const match = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 400));
    if (!match) throw this.error("malformed number");
    const value = Number(match[0]);
    if (!Number.isFinite(value)) throw this.error("number out of range");
    this.pos += match[0].length;
    if (/[A-Za-z_\d]/.test(this.peek() ?? "")) throw this.error("malformed number");
    return value;
  }

  private readList(depth: number): Value[] {
    this.pos++; // [
    const items: Value[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === "]") {
        this.pos++;
        return items;
      }
      items.push(this.readValue(depth + 1));
      this.skipSpace();
      const next = this.peek();
      if (next === ",") this.pos++;
      else if (next !== "]")
        throw this.error(next === undefined ? 'missing "]"' : 'expected "," or "]" in a list');
    }
  }

  private readDict(depth: number): { [key: string]: Value } {
    this.pos++; // {
    const entries: { [key: string]: Value } = {};
    for (;;) {
      this.skipSpace();
      if (this.peek() === "}") {
        this.pos++;
        return entries;
      }
      const quote = this.peek();
      if (quote !== '"' && quote !== "'") throw this.error("dictionary keys must be quoted strings");
      const key = this.readString();
      this.skipSpace();
      if (this.peek() !== ":") throw this.error('expected ":" after a dictionary key');
      this.pos++;
      Object.defineProperty(entries, key, {
        value: this.readValue(depth + 1),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.skipSpace();
      const next = this.peek();
      if (next === ",") this.pos++;
      else if (next !== "}") throw this.error(next === undefined ? 'missing "}"' : 'expected "," or "}"');
    }
  }

  private readString(): string {
    const quote = this.text[this.pos]!;
    const start = this.pos;
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.text[this.pos];
      if (c === undefined || c === "\n") {
        this.pos = start;
        throw this.error("string is not closed on this line");
      }
      this.pos++;
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      out += this.readEscape();
    }
  }

  private readEscape(): string {
    const c = this.text[this.pos];
    if (c === undefined) throw this.error("string ends with a backslash");
    this.pos++;
    if (Object.hasOwn(SIMPLE_ESCAPES, c)) return SIMPLE_ESCAPES[c]!;
    if (c === "x") return this.readHexEscape(2);
    if (c === "u") return this.readHexEscape(4);
    if (c === "U") return this.readHexEscape(8);
    // Python keeps unknown escapes such as "\d" as written.
    return "\\" + c;
  }

  private readHexEscape(digits: number): string {
    const hex = this.text.slice(this.pos, this.pos + digits);
    if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex))
      throw this.error(`expected ${digits} hex digits`);
    this.pos += digits;
    const code = parseInt(hex, 16);
    if (code > 0x10ffff) throw this.error("escape beyond the last Unicode code point");
    return String.fromCodePoint(code);
  }
}
