import type { z } from "zod";
import { isEmailAddress, parseLocalDateTime } from "../formats";
import { ToolError } from "../tool-error";
import type { getZoomMeetingLink } from "../zoom";
import type { HttpRequest, MacContext, MacSystem } from "./mac-context";
import { HttpError } from "./mac-system";

/*
 * Zoom meetings through Zoom's REST API (POST /v2/users/me/meetings), authorized by a ZoomAuth:
 * - in the Raycast extension, Raycast's OAuth client with PKCE implements ZoomAuth (the person connects
 *   their Zoom account once; that side lives with the extension);
 * - on the command line, a Zoom "Server-to-Server OAuth" app's credentials from the environment
 *   (serverToServerZoomAuth / zoomAuthFromEnv).
 *
 * How the MacBackend receives it: it is given a `ZoomAuth | undefined` when it is created (the extension
 * passes `combineZoomAuth(raycastAuth, zoomAuthFromEnv(...))`, the CLI `zoomAuthFromEnv(...)`), and makes
 * the action once with `createZoomAction(auth)`, so a token fetched for one step is reused by the next.
 */

/** Where an access token for Zoom's API comes from. */
export interface ZoomAuth {
  /** A bearer token for api.zoom.us, or undefined when Zoom is not connected. */
  accessToken(signal: AbortSignal): Promise<string | undefined>;
  /** Zoom refused the last token (401): forget any cached one so the next call gets a fresh token. */
  invalidate?(): void;
}

export type ZoomArgs = z.infer<typeof getZoomMeetingLink.args>;
export type ZoomAction = (args: ZoomArgs, ctx: MacContext) => Promise<string>;

export const ZOOM_MEETINGS_URL = "https://api.zoom.us/v2/users/me/meetings";
export const ZOOM_TOKEN_URL = "https://zoom.us/oauth/token";

export const ZOOM_NOT_CONNECTED =
  "Zoom is not connected. Connect it in the extension's preferences, or set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET for the command line.";

// ---------------------------------------------------------------------------------------------------------
// Builders.

/**
 * The JSON body of a scheduled meeting (type 2). `start_time` is the plan's local wall-clock time without a
 * zone suffix, and `timezone` the person's own zone, so Zoom reads "15:00" as 15:00 where they are.
 * Invitees go in `settings.meeting_invitees`, the field Zoom reads them from.
 */
export function zoomMeetingBody(args: ZoomArgs, timeZone: string): string {
  return JSON.stringify({
    topic: args.topic,
    type: 2,
    start_time: zoomStartTime(args.start_time),
    timezone: timeZone,
    duration: args.duration,
    settings: { meeting_invitees: args.meeting_invitees.map((email) => ({ email: email.trim() })) },
  });
}

/** The meeting request as it is sent, token included. */
export function zoomMeetingRequest(args: ZoomArgs, timeZone: string, accessToken: string): HttpRequest {
  return {
    method: "POST",
    url: ZOOM_MEETINGS_URL,
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    body: zoomMeetingBody(args, timeZone),
  };
}

/** `2025-05-02 15:00:00` → `2025-05-02T15:00:00`; anything that is not a date and time is refused. */
export function zoomStartTime(text: string): string {
  const date = parseLocalDateTime(text);
  if (!date?.hasTime) {
    throw new ToolError("failed", `"${text}" is not a start time. Give it as YYYY-MM-DD HH:MM:SS.`);
  }
  const two = (n: number) => String(n).padStart(2, "0");
  return `${String(date.year).padStart(4, "0")}-${two(date.month)}-${two(date.day)}T${two(date.hour)}:${two(date.minute)}:${two(date.second)}`;
}

/** The token request of a Server-to-Server OAuth app: account credentials grant, client id and secret as Basic auth. */
export function zoomTokenRequest(credentials: ZoomCredentials): HttpRequest {
  const url = new URL(ZOOM_TOKEN_URL);
  url.searchParams.set("grant_type", "account_credentials");
  url.searchParams.set("account_id", credentials.accountId);
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, "utf8").toString("base64");
  return { method: "POST", url: url.toString(), headers: { Authorization: `Basic ${basic}` } };
}

// ---------------------------------------------------------------------------------------------------------
// The action.

/** Invitees must be email addresses: Zoom cannot invite a name. */
export function checkZoomInvitees(invitees: readonly string[]): void {
  const invalid = invitees.filter((email) => !isEmailAddress(email.trim()));
  if (invalid.length === 0) return;
  const verb = invalid.length === 1 ? "is not an email address" : "are not email addresses";
  throw new ToolError(
    "wrong-kind",
    `${invalid.map((text) => `"${text}"`).join(", ")} ${verb}. Look them up with get_email_address first.`,
  );
}

/** get_zoom_meeting_link with the given token source; undefined means Zoom is not connected. */
export function createZoomAction(auth: ZoomAuth | undefined): ZoomAction {
  return async (args, ctx) => {
    checkZoomInvitees(args.meeting_invitees);
    const timeZone = ctx.preferences.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
    zoomStartTime(args.start_time); // refuses a bad time before anything is sent
    const answer = await createMeeting(args, timeZone, auth, ctx);
    const joinUrl = (answer as { join_url?: unknown } | null)?.join_url;
    if (typeof joinUrl !== "string" || joinUrl === "") {
      throw new ToolError(
        "failed",
        "Zoom answered without a join link. Check the Zoom app: the meeting may have been created.",
        { invocations: [...ctx.invocations] },
      );
    }
    return joinUrl;
  };
}

/**
 * Posts the meeting. A 401 means Zoom created nothing; when the token source can renew its token (a cached
 * one may have been revoked), the request is sent once more with a fresh one.
 */
async function createMeeting(
  args: ZoomArgs,
  timeZone: string,
  auth: ZoomAuth | undefined,
  ctx: MacContext,
): Promise<unknown> {
  for (let attempt = 1; ; attempt++) {
    const token = await auth?.accessToken(ctx.signal);
    if (!token) throw new ToolError("unavailable", ZOOM_NOT_CONNECTED);
    try {
      return await ctx.system.fetchJson(zoomMeetingRequest(args, timeZone, token), ctx.signal);
    } catch (error) {
      const rejected = error instanceof HttpError && error.status === 401;
      if (rejected) auth?.invalidate?.();
      if (!rejected || attempt > 1 || !auth?.invalidate) throw zoomError(error, ctx, "create the meeting");
    }
  }
}

/** Turns a failed request into a message that says what to do. */
export function zoomError(
  error: unknown,
  ctx: Pick<MacContext, "signal" | "invocations">,
  doing: string,
): ToolError {
  const invocations = [...ctx.invocations];
  if (error instanceof ToolError) return error;
  if (ctx.signal.aborted) {
    return new ToolError("cancelled", `Stopped before Zoom answered: the run was cancelled.`, {
      invocations,
      cause: error,
    });
  }
  if (!(error instanceof HttpError)) {
    const reason = error instanceof Error ? error.message : String(error);
    return new ToolError(
      "unavailable",
      `Could not reach Zoom (${reason}). Check the internet connection and try again.`,
      {
        invocations,
        cause: error,
      },
    );
  }
  const said = zoomMessage(error.body);
  if (error.status === 401) {
    return new ToolError(
      "permission",
      `Zoom rejected the credentials${said ? ` ("${said}")` : ""}. Reconnect Zoom in the extension's preferences, or check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.`,
      { invocations, cause: error },
    );
  }
  if (error.status === 429) {
    return new ToolError("unavailable", "Zoom's rate limit was reached. Wait a minute, then try again.", {
      invocations,
      cause: error,
    });
  }
  if (error.status === 403) {
    return new ToolError(
      "permission",
      `Zoom did not allow TinyAgent to ${doing}${said ? ` ("${said}")` : ""}. The Zoom app needs permission (scope) to write meetings.`,
      { invocations, cause: error },
    );
  }
  return new ToolError(
    "failed",
    `Zoom could not ${doing}${said ? `: ${said}` : ""} (HTTP ${error.status}).`,
    {
      invocations,
      cause: error,
    },
  );
}

/** Zoom's own explanation from an error body (`{"code":300,"message":"..."}`), if it sent one. */
function zoomMessage(body: string): string {
  try {
    const parsed = JSON.parse(body) as { message?: unknown; reason?: unknown; error?: unknown };
    for (const field of [parsed.message, parsed.reason, parsed.error]) {
      if (typeof field === "string" && field.trim() !== "") return field.trim();
    }
  } catch {
    // Not JSON: quote the text itself when it is short enough to read.
  }
  const text = body.trim();
  return text.length > 0 && text.length <= 200 ? text : "";
}

// ---------------------------------------------------------------------------------------------------------
// Token sources.

export interface ZoomCredentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

/** Tokens are renewed this long before Zoom says they expire, so one never runs out mid-request. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * A Server-to-Server OAuth app's token source: fetches a token with the account credentials grant and
 * keeps it until shortly before it expires (Zoom's tokens last an hour).
 */
export function serverToServerZoomAuth(
  credentials: ZoomCredentials,
  fetchJson: MacSystem["fetchJson"],
  now: () => number = Date.now,
): ZoomAuth {
  let cached: { token: string; expiresAt: number } | undefined;
  return {
    async accessToken(signal) {
      if (cached && now() < cached.expiresAt) return cached.token;
      let answer: unknown;
      try {
        answer = await fetchJson(zoomTokenRequest(credentials), signal);
      } catch (error) {
        if (error instanceof HttpError && (error.status === 400 || error.status === 401)) {
          throw new ToolError(
            "permission",
            `Zoom rejected the credentials in ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET${zoomMessage(error.body) ? ` ("${zoomMessage(error.body)}")` : ""}. Check them against your Server-to-Server OAuth app in the Zoom App Marketplace.`,
            { cause: error },
          );
        }
        throw zoomError(error, { signal, invocations: [] }, "sign in");
      }
      const { access_token: token, expires_in: expiresIn } = (answer ?? {}) as {
        access_token?: unknown;
        expires_in?: unknown;
      };
      if (typeof token !== "string" || token === "") {
        throw new ToolError("failed", "Zoom's sign-in answered without an access token. Try again later.");
      }
      const lifetimeMs = typeof expiresIn === "number" && expiresIn > 0 ? expiresIn * 1000 : 0;
      cached = { token, expiresAt: now() + lifetimeMs - EXPIRY_MARGIN_MS };
      return token;
    },
    invalidate() {
      cached = undefined;
    },
  };
}

/**
 * The command line's token source: a Server-to-Server OAuth app from ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and
 * ZOOM_CLIENT_SECRET, or undefined when they are not all set.
 */
export function zoomAuthFromEnv(
  env: Record<string, string | undefined>,
  fetchJson: MacSystem["fetchJson"],
): ZoomAuth | undefined {
  const accountId = env.ZOOM_ACCOUNT_ID?.trim();
  const clientId = env.ZOOM_CLIENT_ID?.trim();
  const clientSecret = env.ZOOM_CLIENT_SECRET?.trim();
  if (!accountId || !clientId || !clientSecret) return undefined;
  return serverToServerZoomAuth({ accountId, clientId, clientSecret }, fetchJson);
}

/** The first source that has a token: e.g. the extension's OAuth connection, then the environment. */
export function combineZoomAuth(...sources: (ZoomAuth | undefined)[]): ZoomAuth | undefined {
  const present = sources.filter((source): source is ZoomAuth => source !== undefined);
  if (present.length === 0) return undefined;
  return {
    async accessToken(signal) {
      for (const source of present) {
        const token = await source.accessToken(signal);
        if (token) return token;
      }
      return undefined;
    },
    invalidate() {
      for (const source of present) source.invalidate?.();
    },
  };
}
