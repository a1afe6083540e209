import type { Invocation } from "./backend";

export type ToolErrorCode =
  | "not-found"
  | "ambiguous"
  /** A value of the wrong kind where the action needs another: a phone number as an email recipient. */
  | "wrong-kind"
  | "permission"
  | "no-selection"
  | "unavailable"
  | "timeout"
  | "cancelled"
  | "failed";

export interface SettingsPane {
  /** As a person finds it: "Privacy & Security › Automation". */
  name: string;
  /** Opens the pane: `open "x-apple.systempreferences:..."`. */
  url: string;
}

/**
 * A tool that could not do its job. The message says what happened and what to do about it, in words a
 * person can act on ("No contact named Sam. Check the name in Contacts.").
 */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  /** What ran before the failure, so a dry run or a log can show it. */
  readonly invocations: Invocation[];
  /** The System Settings pane that fixes a denied permission, for an "Open System Settings" action. */
  readonly settings: SettingsPane | undefined;

  constructor(
    code: ToolErrorCode,
    message: string,
    options: { invocations?: Invocation[]; cause?: unknown; settings?: SettingsPane } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ToolError";
    this.code = code;
    this.invocations = options.invocations ?? [];
    this.settings = options.settings;
  }
}

/**
 * A failure as a ToolError carrying everything that ran before it: actions throw without knowing the log
 * of what they ran, the backend that kept the log attaches it.
 */
export function withInvocations(error: unknown, invocations: readonly Invocation[]): ToolError {
  if (!(error instanceof ToolError)) {
    return new ToolError("failed", error instanceof Error ? error.message : String(error), {
      invocations: [...invocations],
      cause: error,
    });
  }
  if (error.invocations.length >= invocations.length) return error;
  return new ToolError(error.code, error.message, {
    invocations: [...invocations],
    cause: error,
    ...(error.settings ? { settings: error.settings } : {}),
  });
}
