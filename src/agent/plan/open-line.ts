import { readArgumentList } from "./literal";
import { END_OF_PLAN } from "./plan";

const CALL_HEAD = /^\s*\d+\s*\.\s*[A-Za-z_]\w*\s*\($/;
const SPACE = /\s/;
const HEAD_CHARACTER = /[\s\w.]/;
const DIGIT = /\d/;

type Phase =
  /** Only white space so far. */
  | { kind: "lead" }
  /** The line starts with (part of) the end marker: `matched` characters of it. */
  | { kind: "marker"; matched: number }
  /** Inside `N. tool_name(`, before the parenthesis. */
  | { kind: "head" }
  /** Inside the argument list: string and bracket state. */
  | { kind: "arguments"; depth: number; quote: string; escaped: boolean }
  /** After a complete call: white space, then (part of) the end marker. */
  | { kind: "after-call"; matched: number }
  /** Nothing written later can make the end marker end this line. */
  | { kind: "never" };

/**
 * The last line of streamed plan text, not yet ended by a newline. Besides keeping its text, it watches
 * whether an end marker ends the line already: a bare `<END_OF_PLAN>`, or a complete call followed by it,
 * but not a marker inside a string. Each character is looked at once, whatever the chunking, and the
 * argument list is read once, when its closing parenthesis arrives: work grows with the length of the
 * line, never with its square.
 */
export class OpenLine {
  private parts: string[] = [];
  private size = 0;
  private head = "";
  private phase: Phase = { kind: "lead" };

  get length(): number {
    return this.size;
  }

  /** The line so far. */
  text(): string {
    if (this.parts.length > 1) this.parts = [this.parts.join("")];
    return this.parts[0] ?? "";
  }

  /** Empties the line, for the next one. */
  clear(): void {
    this.parts = [];
    this.size = 0;
    this.head = "";
    this.phase = { kind: "lead" };
  }

  /** Adds text that holds no newline. Its characters are only stored; `watch` looks at them. */
  append(piece: string): void {
    if (piece === "") return;
    this.parts.push(piece);
    this.size += piece.length;
  }

  /**
   * Adds text that holds no newline and returns the length of the line up to the end marker that ends it,
   * once there is one; the text after the marker stays on the line.
   */
  watch(piece: string): number | undefined {
    const start = this.size;
    this.append(piece);
    for (let i = 0; i < piece.length; i++) {
      const end = this.step(piece[i]!, start + i);
      if (end !== undefined) return end;
    }
    return undefined;
  }

  /** Takes one character at `at` in the line; returns the line's length through the marker when it ends it. */
  private step(c: string, at: number): number | undefined {
    const phase = this.phase;
    switch (phase.kind) {
      case "lead":
        if (SPACE.test(c)) this.head += c;
        else if (c === END_OF_PLAN[0]) return this.matchMarker({ kind: "marker", matched: 0 }, c, at);
        else if (DIGIT.test(c)) {
          this.head += c;
          this.phase = { kind: "head" };
        } else this.phase = { kind: "never" };
        return undefined;
      case "head":
        this.head += c;
        if (c === "(") {
          this.phase = CALL_HEAD.test(this.head)
            ? { kind: "arguments", depth: 0, quote: "", escaped: false }
            : { kind: "never" };
        } else if (!HEAD_CHARACTER.test(c)) this.phase = { kind: "never" };
        return undefined;
      case "arguments":
        return this.scanArgument(phase, c, at);
      case "marker":
        return this.matchMarker(phase, c, at);
      case "after-call":
        if (phase.matched === 0 && SPACE.test(c)) return undefined;
        return this.matchMarker(phase, c, at);
      case "never":
        return undefined;
    }
  }

  private matchMarker(
    phase: Extract<Phase, { kind: "marker" | "after-call" }>,
    c: string,
    at: number,
  ): number | undefined {
    if (c !== END_OF_PLAN[phase.matched]) {
      this.phase = { kind: "never" };
      return undefined;
    }
    const matched = phase.matched + 1;
    if (matched === END_OF_PLAN.length) {
      this.phase = { kind: "never" };
      return at + 1;
    }
    this.phase = { ...phase, matched };
    return undefined;
  }

  /**
   * Follows strings and brackets just far enough to find the parenthesis that would close the call, then
   * reads the arguments properly. A reader that succeeds agrees with this scan on every string and bracket,
   * so no other parenthesis can close the call; when the reader fails there, no marker can end the line.
   */
  private scanArgument(
    phase: Extract<Phase, { kind: "arguments" }>,
    c: string,
    at: number,
  ): number | undefined {
    if (phase.quote !== "") {
      if (phase.escaped) phase.escaped = false;
      else if (c === "\\") phase.escaped = true;
      else if (c === phase.quote) phase.quote = "";
      return undefined;
    }
    if (c === '"' || c === "'") phase.quote = c;
    else if (c === "[" || c === "{" || c === "(") phase.depth++;
    else if (c === "]" || c === "}") {
      phase.depth--;
      if (phase.depth < 0) this.phase = { kind: "never" };
    } else if (c === ")") {
      if (phase.depth > 0) phase.depth--;
      else this.phase = this.callRead(at + 1) ? { kind: "after-call", matched: 0 } : { kind: "never" };
    }
    return undefined;
  }

  /** Whether the call up to `end` reads as a complete argument list ending exactly there. */
  private callRead(end: number): boolean {
    const text = this.text().slice(0, end);
    try {
      return readArgumentList(text, this.head.length).end === end;
    } catch {
      return false; // the line holds a syntax error: its reader reports it once the line ends
    }
  }
}
