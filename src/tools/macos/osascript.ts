import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Invocation } from "../backend";
import { ToolError, type SettingsPane } from "../tool-error";

export const SETTINGS = {
  automation: {
    name: "Privacy & Security › Automation",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Automation",
  },
  contacts: {
    name: "Privacy & Security › Contacts",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Contacts",
  },
  calendars: {
    name: "Privacy & Security › Calendars",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Calendars",
  },
  reminders: {
    name: "Privacy & Security › Reminders",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Reminders",
  },
  accessibility: {
    name: "Privacy & Security › Accessibility",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Accessibility",
  },
  microphone: {
    name: "Privacy & Security › Microphone",
    url: "x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone",
  },
} as const satisfies Record<string, SettingsPane>;

/** Field and record separators in script output: characters no name, title or address contains. */
export const FIELD = "\u001f";
export const RECORD = "\u001e";

export interface ScriptRun {
  /** The app the script talks to, for messages ("Allow Raycast to control Notes"). */
  app: string;
  script: string;
  signal: AbortSignal;
  /** Longest the script may run. AppleScript's own Apple-event timeout is 2 minutes: far too long here. */
  timeoutMs?: number;
}

const execFileAsync = promisify(execFile);

/**
 * Runs a script with `osascript -e` (found on PATH: on a Mac, /usr/bin/osascript; in tests, a stand-in that
 * records the script), never through a shell; errors become ToolErrors that say what to do.
 */
export async function runScript({ app, script, signal, timeoutMs = 20_000 }: ScriptRun): Promise<string> {
  const invocation: Invocation = { kind: "applescript", script, argv: [] };
  const limit = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  try {
    const { stdout } = await execFileAsync("osascript", ["-e", script], {
      signal: limit,
      encoding: "utf8",
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout.trim();
  } catch (error) {
    if (signal.aborted)
      throw new ToolError("cancelled", `Stopped talking to ${app}: the run was cancelled.`, {
        invocations: [invocation],
      });
    if (limit.aborted) {
      throw new ToolError(
        "timeout",
        `${app} did not answer within ${Math.round(timeoutMs / 1000)} s. Is it showing a dialog?`,
        {
          invocations: [invocation],
        },
      );
    }
    throw scriptError(app, stderrOf(error), invocation);
  }
}

/**
 * Turns osascript's error text ("execution error: Not authorized to send Apple events to Notes. (-1743)")
 * into a message with the fix, by AppleScript error number.
 */
export function scriptError(app: string, stderr: string, invocation: Invocation): ToolError {
  const number = Number(/\((-?\d+)\)\s*$/.exec(stderr.trim())?.[1]);
  const detail = stderr
    .replace(/^.*execution error:\s*/s, "")
    .replace(/\s*\(-?\d+\)\s*$/, "")
    .trim();
  const options = { invocations: [invocation] };
  switch (number) {
    case -1743: // not authorized to send Apple events
    case -1744: // would need the person's consent, which could not be asked for
      return new ToolError(
        "permission",
        `TinyAgent is not allowed to control ${app}. Allow it in System Settings › ${SETTINGS.automation.name} (under Raycast or your terminal), then try again.`,
        { ...options, settings: SETTINGS.automation },
      );
    case -10004:
    case -10003:
    case -1719:
    case -25211:
      return new ToolError(
        "permission",
        `macOS blocked TinyAgent from using ${app}. Allow it in System Settings › ${SETTINGS.accessibility.name}, then try again.`,
        { ...options, settings: SETTINGS.accessibility },
      );
    case -600:
    case -609:
      return new ToolError(
        "unavailable",
        `${app} is not running and could not be opened. Open ${app} and try again.`,
        options,
      );
    case -128:
      return new ToolError("cancelled", `The request to ${app} was cancelled.`, options);
    case -1712:
      return new ToolError("timeout", `${app} took too long to answer. Is it showing a dialog?`, options);
    case -1728:
      return new ToolError(
        "not-found",
        `${app} could not find what was asked for${detail ? `: ${detail}` : ""}.`,
        options,
      );
    default:
      return new ToolError(
        "failed",
        `${app} reported an error${detail ? `: ${detail}` : ""}${Number.isNaN(number) ? "" : ` (${number})`}.`,
        options,
      );
  }
}

function stderrOf(error: unknown): string {
  const stderr = (error as { stderr?: unknown } | null)?.stderr;
  if (typeof stderr === "string" && stderr.trim() !== "") return stderr;
  return error instanceof Error ? error.message : String(error);
}

/** Splits script output into records of fields (see FIELD and RECORD). */
export function parseRecords(output: string): string[][] {
  if (output === "") return [];
  return output
    .split(RECORD)
    .filter((record) => record !== "")
    .map((record) => record.split(FIELD));
}
