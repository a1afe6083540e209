/** A literal argument value. References to earlier results stay strings (`"$1"`) until execution. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

/** One numbered call of a plan: `3. create_note("Groceries", "milk", None)`. */
export interface Step {
  index: number;
  tool: string;
  args: Value[];
  /** `Thought:` lines written just before the call, joined by newlines. */
  thought?: string;
  /** 1-based line of the call in the plan text. */
  line: number;
}

/** The closing `N. join()` of a plan. It executes nothing; it says the plan is finished. */
export interface JoinMarker {
  index: number;
  thought?: string;
  line: number;
}

export interface Plan {
  steps: Step[];
  join?: JoinMarker;
  /** Whether `<END_OF_PLAN>` was seen (a planner stopped by that marker may leave it out). */
  ended: boolean;
}

export type ProblemCode =
  | "syntax"
  | "named-argument"
  | "stray-thought"
  | "after-end"
  | "step-after-join"
  | "join-arguments"
  | "numbering"
  | "duplicate-step"
  | "missing-join"
  | "unknown-tool"
  | "argument-count"
  | "argument-type"
  | "bad-reference"
  | "unread-date";

export interface Problem {
  code: ProblemCode;
  /** What is wrong and, where it helps, what would be right. */
  message: string;
  /** "warning" problems are reported but do not make the plan invalid. */
  severity: "error" | "warning";
  line?: number;
  step?: number;
}

export const END_OF_PLAN = "<END_OF_PLAN>";

export function isValid(problems: readonly Problem[]): boolean {
  return problems.every((problem) => problem.severity !== "error");
}
