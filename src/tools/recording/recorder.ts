import {
  chooseOffered,
  type ActionConfirmation,
  type Choice,
  type Invocation,
  type ToolContext,
} from "../backend";
import type { CommandInvocation } from "../macos/files";
import type { HttpRequest } from "../macos/mac-context";
import { ToolError, type ToolErrorCode } from "../tool-error";
import type { FixtureWorld } from "./fixture-world";

/** The preferences the Mac backend reads, as the recording backend applies them. */
export interface RecordingPreferences {
  /** Messages: open the conversation with the text instead of sending it. */
  messagesDraftOnly: boolean;
  /** The person's IANA time zone (Zoom). */
  timeZone: string;
}

/**
 * One call on the made-up Mac. The per-app handlers ask it to "run" the exact script, command, URL or
 * request the macOS action would run at that point, in the same order; it records each one the way
 * `loggedSystem` records what the Mac backend runs, and answers come from the fixture world instead.
 */
export class Recorder {
  readonly invocations: Invocation[] = [];

  constructor(
    readonly world: FixtureWorld,
    readonly preferences: RecordingPreferences,
    private readonly context: ToolContext,
  ) {}

  /** An AppleScript, recorded as osascript would get it (the text travels inside the script, encoded). */
  script(script: string): void {
    this.invocations.push({ kind: "applescript", script, argv: [] });
  }

  /** A program run with an argument list, no shell. */
  command(command: CommandInvocation): void {
    this.invocations.push({ kind: "command", file: command.file, argv: [...command.argv] });
  }

  url(url: string): void {
    this.invocations.push({ kind: "url", url });
  }

  /** An HTTPS request; like the Mac backend's log, without its headers (which carry the token). */
  http(request: HttpRequest): void {
    this.invocations.push({
      kind: "http",
      method: request.method,
      url: request.url,
      ...(request.body === undefined ? {} : { body: request.body }),
    });
  }

  /** Asks the person; only one of the offered values comes back. */
  choose(choice: Choice): Promise<string | undefined> {
    return chooseOffered(this.context, choice);
  }

  /** Asks the person to approve an effect found while running; undefined when nobody approves it. */
  confirm(request: ActionConfirmation): Promise<Record<string, unknown> | undefined> {
    return this.context.confirm?.(request) ?? Promise.resolve(undefined);
  }

  /** A failure carrying everything recorded so far. */
  error(code: ToolErrorCode, message: string): ToolError {
    return new ToolError(code, message, { invocations: [...this.invocations] });
  }
}

/** Case, width and spacing do not matter ("  margaret   O'BRIEN " is "margaret o'brien"). */
export function normalizeName(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/g, " ").trim();
}

/**
 * One of several same-named items (calendars, lists) the way the Mac backend picks it: the one whose name
 * matches with case if it is the only one, else the person's choice; undefined when they choose none.
 */
export async function pickSameNamed<T extends { index: number; name: string }>(
  recorder: Recorder,
  candidates: T[],
  wanted: string,
  ask: { app: string; question: string; what: string },
): Promise<T | undefined> {
  if (candidates.length === 1) return candidates[0]!;
  const exact = candidates.filter((candidate) => candidate.name === wanted.trim());
  if (exact.length === 1) return exact[0]!;
  const chosen = await recorder.choose({
    question: ask.question,
    options: candidates.map((candidate) => ({
      label: candidate.name,
      value: String(candidate.index),
      detail: `number ${candidate.index} among the ${ask.what} in ${ask.app}`,
    })),
  });
  return candidates.find((candidate) => String(candidate.index) === chosen);
}
