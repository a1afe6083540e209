import { LiteralSyntaxError, readArgumentList } from "./literal";
import { OpenLine } from "./open-line";
import { END_OF_PLAN, type JoinMarker, type Plan, type Problem, type Step } from "./plan";

/** What the parser learned from one complete line. */
export type PlanItem =
  { kind: "step"; step: Step } | { kind: "join"; join: JoinMarker } | { kind: "problem"; problem: Problem };

export interface ParseResult {
  plan: Plan;
  /** Problems of reading the text; `validatePlan` adds those of meaning. */
  problems: Problem[];
}

const CALL = /^\s*(\d+)\s*\.\s*([A-Za-z_]\w*)\s*\(/;
// `s`: a thought may hold characters such as U+2028 that `.` would not match; lines never hold "\n".
const THOUGHT = /^\s*thought\s*: ?(.*)$/is;
const NUMBERED = /^\s*\d+\s*\./;

/**
 * Reads plan text as it streams in. `push` returns what each newly completed line holds, so a step reaches
 * the executor as soon as its line ends; `finish` reads the last, unterminated line and returns the plan.
 * Every non-blank line ends up as a step, a thought, the join, or a problem: nothing is dropped.
 */
export class PlanStreamParser {
  /** The line being written, not yet ended by a newline. */
  private readonly open = new OpenLine();
  private lineNumber = 0;
  private pendingThought: { text: string; line: number } | undefined;
  private ended = false;
  /** The current line was already read up to its end marker; what follows up to "\n" is the same line. */
  private lineContinues = false;
  private finished = false;
  private readonly steps: Step[] = [];
  private joinMarker: JoinMarker | undefined;
  private readonly problems: Problem[] = [];

  push(chunk: string): PlanItem[] {
    if (this.finished) throw new Error("PlanStreamParser.push called after finish");
    const items: PlanItem[] = [];
    let start = 0;
    for (let newline = chunk.indexOf("\n"); newline !== -1; newline = chunk.indexOf("\n", start)) {
      this.open.append(chunk.slice(start, newline));
      const line = this.open.text();
      this.open.clear();
      start = newline + 1;
      items.push(...this.readLine(line));
    }
    const rest = chunk.slice(start);
    if (this.ended) {
      this.open.append(rest);
      return items;
    }
    // The end marker completes a plan without a newline after it, unless it sits inside a string.
    const end = this.open.watch(rest);
    if (end !== undefined) {
      const line = this.open.text();
      this.open.clear();
      this.open.append(line.slice(end));
      items.push(...this.readLine(line.slice(0, end)));
      this.lineContinues = true;
    }
    return items;
  }

  finish(): ParseResult & { items: PlanItem[] } {
    if (this.finished) throw new Error("PlanStreamParser.finish called twice");
    const items = this.open.length > 0 ? this.readLine(this.open.text()) : [];
    this.open.clear();
    this.finished = true;
    if (this.pendingThought) {
      items.push(
        this.problem({
          code: "stray-thought",
          severity: "warning",
          line: this.pendingThought.line,
          message: "a Thought: line is not followed by any step",
        }),
      );
      this.pendingThought = undefined;
    }
    const plan: Plan = { steps: this.steps, ended: this.ended };
    if (this.joinMarker) plan.join = this.joinMarker;
    return { plan, problems: this.problems, items };
  }

  private readLine(raw: string): PlanItem[] {
    if (this.lineContinues) this.lineContinues = false;
    else this.lineNumber++;
    const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (line.trim() === "") return [];
    if (this.ended) return this.afterEnd(line);
    const thought = THOUGHT.exec(line);
    if (thought) {
      this.addThought(thought[1]!.trimEnd());
      return [];
    }
    if (CALL.test(line)) return this.readCall(line);
    if (line.trim().startsWith(END_OF_PLAN)) {
      this.ended = true;
      return this.afterEnd(line.trim().slice(END_OF_PLAN.length));
    }
    const expected = NUMBERED.test(line)
      ? 'a numbered line must be a call such as `2. get_email_address("Sid")`'
      : "expected a numbered call, a `Thought:` line or `N. join()`";
    return [
      this.problem({
        code: "syntax",
        severity: "error",
        line: this.lineNumber,
        message: `${expected}: ${preview(line)}`,
      }),
    ];
  }

  /** Anything written after the end marker is reported, not read. */
  private afterEnd(text: string): PlanItem[] {
    if (text.trim() === "") return [];
    return [
      this.problem({
        code: "after-end",
        severity: "warning",
        line: this.lineNumber,
        message: `text after ${END_OF_PLAN} was ignored: ${preview(text)}`,
      }),
    ];
  }

  private addThought(text: string): void {
    this.pendingThought = this.pendingThought
      ? { text: `${this.pendingThought.text}\n${text}`, line: this.pendingThought.line }
      : { text, line: this.lineNumber };
  }

  private takeThought(): { thought?: string } {
    const thought = this.pendingThought?.text;
    this.pendingThought = undefined;
    return thought === undefined ? {} : { thought };
  }

  private readCall(line: string): PlanItem[] {
    const head = CALL.exec(line)!;
    const index = Number(head[1]);
    const tool = head[2]!;
    let args;
    try {
      args = readArgumentList(line, head[0].length);
    } catch (error) {
      if (!(error instanceof LiteralSyntaxError)) throw error;
      this.pendingThought = undefined;
      return [this.syntaxProblem(index, `${error.reason} (column ${error.offset + 1})`)];
    }
    const tail = line.slice(args.end).trim();
    const items: PlanItem[] = [];
    if (tail.startsWith(END_OF_PLAN)) {
      this.ended = true;
      items.push(...this.afterEnd(tail.slice(END_OF_PLAN.length)));
    } else if (tail !== "") {
      this.pendingThought = undefined;
      return [this.syntaxProblem(index, `unexpected text after the call: ${preview(tail)}`)];
    }
    if (args.named.length > 0) {
      items.push(
        this.problem({
          code: "named-argument",
          severity: "error",
          line: this.lineNumber,
          step: index,
          message: `step ${index} names its arguments (${args.named.join(", ")}); write them by position only`,
        }),
      );
    }
    if (tool === "join") return [...items, ...this.readJoin(index, args.values.length)];
    const step: Step = { index, tool, args: args.values, ...this.takeThought(), line: this.lineNumber };
    if (this.joinMarker) {
      items.push(
        this.problem({
          code: "step-after-join",
          severity: "error",
          line: this.lineNumber,
          step: index,
          message: `step ${index} comes after join(); join() must be the last step`,
        }),
      );
    }
    this.steps.push(step);
    items.push({ kind: "step", step });
    return items;
  }

  private readJoin(index: number, argumentCount: number): PlanItem[] {
    const items: PlanItem[] = [];
    if (argumentCount > 0) {
      items.push(
        this.problem({
          code: "join-arguments",
          severity: "error",
          line: this.lineNumber,
          step: index,
          message: "join() takes no arguments",
        }),
      );
    }
    if (this.joinMarker) {
      items.push(
        this.problem({
          code: "duplicate-step",
          severity: "error",
          line: this.lineNumber,
          step: index,
          message: `a second join() on line ${this.lineNumber}; a plan has exactly one`,
        }),
      );
      return items;
    }
    this.joinMarker = { index, ...this.takeThought(), line: this.lineNumber };
    items.push({ kind: "join", join: this.joinMarker });
    return items;
  }

  private syntaxProblem(index: number, reason: string): PlanItem {
    return this.problem({
      code: "syntax",
      severity: "error",
      line: this.lineNumber,
      step: index,
      message: `step ${index} cannot be read: ${reason}`,
    });
  }

  private problem(problem: Problem): PlanItem {
    this.problems.push(problem);
    return { kind: "problem", problem };
  }
}

/** Parses a whole plan text. Never throws on any input. */
export function parsePlan(text: string): ParseResult {
  const parser = new PlanStreamParser();
  parser.push(text);
  const { plan, problems } = parser.finish();
  return { plan, problems };
}

function preview(text: string): string {
  const trimmed = text.trim();
  return JSON.stringify(trimmed.length > 80 ? `${trimmed.slice(0, 77)}...` : trimmed);
}
