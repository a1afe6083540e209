import type { Choice, Invocation, ToolContext } from "../backend";

/**
 * What an action may do on the Mac, behind one small interface so that tests (and dry runs) can stand in
 * for macOS: run an AppleScript, run a program with an argument list (never a shell), open a URL, call
 * an HTTPS API. Every call is recorded as the Invocation it is.
 */
export interface MacSystem {
  /** Runs a script with osascript and returns what it printed. `app` names the app for error messages. */
  runScript(app: string, script: string, signal: AbortSignal): Promise<string>;
  /** Runs a program with arguments, no shell in between. */
  execFile(file: string, argv: readonly string[], signal: AbortSignal): Promise<string>;
  /** Opens a URL (Maps, System Settings) with the default handler. */
  openUrl(url: string, signal: AbortSignal): Promise<void>;
  /** An HTTPS request with a JSON answer (Zoom). */
  fetchJson(request: HttpRequest, signal: AbortSignal): Promise<unknown>;
  /** Reads a file's bytes (PDF text extraction). */
  readFile(path: string, signal: AbortSignal): Promise<Uint8Array>;
}

export interface HttpRequest {
  method: "GET" | "POST";
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Writes text with the local model: an email body from the person's words, a PDF summary. */
export interface TextWriter {
  write(
    task: "email-body" | "reply-body" | "note" | "pdf-summary",
    input: string,
    signal: AbortSignal,
  ): Promise<string>;
}

export interface MacPreferences {
  /** Messages: open the conversation with the text instead of sending it. */
  messagesDraftOnly: boolean;
  /** The person's IANA time zone, for Zoom and dates. */
  timeZone: string;
}

/** What each action receives besides its arguments. */
export interface MacContext {
  system: MacSystem;
  signal: AbortSignal;
  choose(choice: Choice): Promise<string | undefined>;
  /** Asks to approve an effect found while running (ToolContext.confirm); absent, nothing is approved. */
  confirm?: ToolContext["confirm"];
  preferences: MacPreferences;
  /** Present when a local model is loaded; actions fall back to plain text without it. */
  writer?: TextWriter;
  /** Every call made so far, in order: what ran, for `--json` and the confirmation view. */
  invocations: Invocation[];
}
