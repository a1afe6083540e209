import type { Invocation } from "./backend";

export type ToolErrorCode =
  | "not-found"
  | "ambiguous"
  | "permission"
  | "no-selection"
  | "unavailable"
  | "timeout"
  | "cancelled"
  | "failed";

/**
 * A tool that could not do its job. The message says what happened and what to do about it, in words a
 * person can act on ("No contact named Sam. Check the name in Contacts.").
 */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  /** What ran before the failure, so a dry run or a log can show it. */
  readonly invocations: Invocation[];

  constructor(
    code: ToolErrorCode,
    message: string,
    options: { invocations?: Invocation[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ToolError";
    this.code = code;
    this.invocations = options.invocations ?? [];
  }
}
