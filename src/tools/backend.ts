import type { AnyTool } from "./tool";

/** Exactly what an action runs, or would run, on macOS. Shown in confirmations, `--json` and tests. */
export type Invocation =
  | { kind: "applescript"; script: string; argv: string[] }
  | { kind: "url"; url: string }
  | { kind: "command"; file: string; argv: string[] }
  | { kind: "http"; method: string; url: string; body?: string };

/** A tool call with its arguments resolved (references replaced) and validated, keyed by parameter name. */
export interface ToolCall {
  tool: AnyTool;
  args: Record<string, unknown>;
}

/** A question with a few answers, asked when a lookup finds several matches ("which Sid?"). */
export interface Choice {
  question: string;
  options: { label: string; value: string; detail?: string }[];
}

/**
 * An effect an action found only while running, asked about before it happens: the file found by name is
 * an app or a script, so opening it would run code. The person sees the arguments as they would now run.
 */
export interface ActionConfirmation {
  /** The arguments with what was found filled in (the file's full path instead of the words for it). */
  args: Record<string, unknown>;
  /** Why this needs approval, in words: "Setup.app is an app: opening it starts it." */
  reason: string;
}

export interface ToolContext {
  signal: AbortSignal;
  /** Asks the person to pick one option; undefined when they do not (declined, no one to ask). */
  choose(choice: Choice): Promise<string | undefined>;
  /**
   * Asks the person to approve an effect found while running. Resolves with the approved arguments (the
   * person's edited ones, checked against the tool's schema, when they edited them), or undefined when
   * they declined. Absent, or without anyone to ask, nothing is approved.
   */
  confirm?(request: ActionConfirmation): Promise<Record<string, unknown> | undefined>;
}

export interface ToolResult {
  /** What the planner and the person see as the step's result; later steps may use it as `$N`. */
  observation: string;
  /**
   * What the observation is, in words, when a look-up found it: "Sid Patel's mobile number, from
   * Contacts". A later step's confirmation shows it beside the value, so the person sees whose it is.
   */
  about?: string;
  invocations: Invocation[];
}

/** What one action answers: its observation, with what it is when it came from a look-up. */
export type ActionAnswer = string | { observation: string; about: string };

/** The result of a call whose action answered `answer` after running `invocations`. */
export function toolResult(answer: ActionAnswer, invocations: Invocation[]): ToolResult {
  return typeof answer === "string"
    ? { observation: answer, invocations }
    : { observation: answer.observation, about: answer.about, invocations };
}

/** Where tool calls go: the Mac itself, or the recording backend for tests, dry runs and Linux. */
export interface ToolBackend {
  readonly name: string;
  run(call: ToolCall, context: ToolContext): Promise<ToolResult>;
}

/** Asks the person to choose and returns only one of the offered values, whatever the interface answered. */
export async function chooseOffered(context: ToolContext, choice: Choice): Promise<string | undefined> {
  const picked = await context.choose(choice);
  return choice.options.some((option) => option.value === picked) ? picked : undefined;
}
