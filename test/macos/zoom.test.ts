import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { HttpRequest } from "../../src/tools/macos/mac-context";
import { HttpError } from "../../src/tools/macos/mac-system";
import {
  combineZoomAuth,
  createZoomAction,
  serverToServerZoomAuth,
  zoomAuthFromEnv,
  zoomMeetingBody,
  zoomStartTime,
  zoomTokenRequest,
  ZOOM_NOT_CONNECTED,
  type ZoomArgs,
  type ZoomAuth,
} from "../../src/tools/macos/zoom";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS } from "./applescript-decoder";
import { FakeSystem, fakeContext } from "./fake-system";

const ARGS: ZoomArgs = {
  topic: "Q3 review",
  start_time: "2025-05-02 15:00:00",
  duration: 45,
  meeting_invitees: ["sid@example.com", "lutfi@example.com"],
};

const JOIN_URL = "https://us02web.zoom.us/j/81234567890?pwd=abc";

/** A token source that counts its calls and forgets its token when told to. */
function fixedAuth(tokens: string[] = ["token-1"]): ZoomAuth & { calls: number; invalidated: number } {
  let index = 0;
  return {
    calls: 0,
    invalidated: 0,
    async accessToken() {
      this.calls++;
      return tokens[index];
    },
    invalidate() {
      this.invalidated++;
      index++;
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

function httpFailure(status: number, body: string) {
  return () => {
    throw new HttpError(status, body);
  };
}

describe("the meeting request (golden)", () => {
  it("posts a scheduled meeting at the local time in the person's zone, invitees in meeting_invitees", async () => {
    const system = new FakeSystem({ fetch: () => ({ id: 812, join_url: JOIN_URL }) });
    const ctx = fakeContext(system, { timeZone: "Asia/Kolkata" });
    expect(await createZoomAction(fixedAuth())(ARGS, ctx)).toBe(JOIN_URL);
    expect(system.requests).toEqual([
      {
        method: "POST",
        url: "https://api.zoom.us/v2/users/me/meetings",
        headers: { Authorization: "Bearer token-1", "Content-Type": "application/json" },
        body: '{"topic":"Q3 review","type":2,"start_time":"2025-05-02T15:00:00","timezone":"Asia/Kolkata","duration":45,"settings":{"meeting_invitees":[{"email":"sid@example.com"},{"email":"lutfi@example.com"}]}}',
      },
    ]);
    expect(ctx.invocations).toEqual([
      {
        kind: "http",
        method: "POST",
        url: "https://api.zoom.us/v2/users/me/meetings",
        body: system.requests[0]!.body,
      },
    ]);
  });

  it("never forces a zone: the body carries whatever zone the person has", () => {
    for (const zone of ["Europe/Paris", "America/New_York", "Australia/Adelaide"]) {
      expect(JSON.parse(zoomMeetingBody(ARGS, zone))).toMatchObject({
        timezone: zone,
        start_time: "2025-05-02T15:00:00",
      });
    }
  });

  it("sends an empty invitee list when nobody is invited", () => {
    expect(zoomMeetingBody({ ...ARGS, meeting_invitees: [] }, "UTC")).toBe(
      '{"topic":"Q3 review","type":2,"start_time":"2025-05-02T15:00:00","timezone":"UTC","duration":45,"settings":{"meeting_invitees":[]}}',
    );
  });

  it("writes start times without a zone suffix and refuses what is not a date and time", () => {
    expect(zoomStartTime("2025-12-31 23:59:59")).toBe("2025-12-31T23:59:59");
    expect(zoomStartTime("2025-01-02T08:05")).toBe("2025-01-02T08:05:00");
    for (const bad of ["2025-02-30 10:00:00", "2025-05-02", "tomorrow at 3", ""]) {
      expect(() => zoomStartTime(bad)).toThrow(ToolError);
    }
  });

  it("keeps any topic and invitee text exactly, as JSON data (property and adversarial)", () => {
    const check = (text: string) => {
      const body = JSON.parse(zoomMeetingBody({ ...ARGS, topic: text }, "Europe/Paris")) as { topic: string };
      expect(body.topic).toBe(text);
      expect(Object.keys(body)).toEqual(["topic", "type", "start_time", "timezone", "duration", "settings"]);
    };
    for (const text of ADVERSARIAL_TEXTS) check(text);
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 60 }), check), { numRuns: 300, seed: 3 });
  });
});

describe("get_zoom_meeting_link", () => {
  it("says Zoom is not connected when there is no token source or no token", async () => {
    for (const auth of [undefined, fixedAuth([])]) {
      const system = new FakeSystem();
      const error = await rejection(createZoomAction(auth)(ARGS, fakeContext(system)));
      expect(error.code).toBe("unavailable");
      expect(error.message).toBe(ZOOM_NOT_CONNECTED);
      expect(system.requests).toEqual([]);
    }
    expect(ZOOM_NOT_CONNECTED).toBe(
      "Zoom is not connected. Connect it in the extension's preferences, or set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET for the command line.",
    );
  });

  it("refuses invitees that are not email addresses before sending anything", async () => {
    const system = new FakeSystem();
    const error = await rejection(
      createZoomAction(fixedAuth())(
        { ...ARGS, meeting_invitees: ["Sid", "lutfi@example.com"] },
        fakeContext(system),
      ),
    );
    expect(error.message).toBe('"Sid" is not an email address. Look them up with get_email_address first.');
    expect(system.requests).toEqual([]);
  });

  it("retries once with a fresh token when Zoom rejects the first, then reports rejected credentials", async () => {
    const auth = fixedAuth(["stale", "fresh"]);
    let calls = 0;
    const system = new FakeSystem({
      fetch: (request) => {
        calls++;
        if (request.headers.Authorization === "Bearer stale")
          throw new HttpError(401, '{"code":124,"message":"Invalid access token."}');
        return { join_url: JOIN_URL };
      },
    });
    expect(await createZoomAction(auth)(ARGS, fakeContext(system))).toBe(JOIN_URL);
    expect(calls).toBe(2);
    expect(auth.invalidated).toBe(1);

    const rejecting = new FakeSystem({
      fetch: httpFailure(401, '{"code":124,"message":"Invalid access token."}'),
    });
    const error = await rejection(createZoomAction(fixedAuth(["a", "b"]))(ARGS, fakeContext(rejecting)));
    expect(rejecting.requests).toHaveLength(2);
    expect(error.code).toBe("permission");
    expect(error.message).toBe(
      'Zoom rejected the credentials ("Invalid access token."). Reconnect Zoom in the extension\'s preferences, or check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.',
    );
  });

  it("does not retry when the token source cannot renew its token", async () => {
    const system = new FakeSystem({ fetch: httpFailure(401, "") });
    const auth: ZoomAuth = { accessToken: async () => "only" };
    const error = await rejection(createZoomAction(auth)(ARGS, fakeContext(system)));
    expect(system.requests).toHaveLength(1);
    expect(error.message).toMatch(/^Zoom rejected the credentials\. Reconnect Zoom/);
  });

  it("explains the rate limit", async () => {
    const error = await rejection(
      createZoomAction(fixedAuth())(
        ARGS,
        fakeContext(
          new FakeSystem({ fetch: httpFailure(429, '{"code":429,"message":"Too many requests"}') }),
        ),
      ),
    );
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe("Zoom's rate limit was reached. Wait a minute, then try again.");
  });

  it("quotes Zoom's own message for other errors", async () => {
    const error = await rejection(
      createZoomAction(fixedAuth())(
        ARGS,
        fakeContext(
          new FakeSystem({ fetch: httpFailure(400, '{"code":300,"message":"Invalid meeting_invitees."}') }),
        ),
      ),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toBe("Zoom could not create the meeting: Invalid meeting_invitees. (HTTP 400).");
  });

  it("names a missing scope as a permission problem", async () => {
    const error = await rejection(
      createZoomAction(fixedAuth())(
        ARGS,
        fakeContext(new FakeSystem({ fetch: httpFailure(403, '{"message":"Invalid scope."}') })),
      ),
    );
    expect(error.code).toBe("permission");
    expect(error.message).toBe(
      'Zoom did not allow TinyAgent to create the meeting ("Invalid scope."). The Zoom app needs permission (scope) to write meetings.',
    );
  });

  it("says Zoom could not be reached when the network fails", async () => {
    const system = new FakeSystem({
      fetch: () => {
        throw new TypeError("fetch failed");
      },
    });
    const error = await rejection(createZoomAction(fixedAuth())(ARGS, fakeContext(system)));
    expect(error.code).toBe("unavailable");
    expect(error.message).toBe(
      "Could not reach Zoom (fetch failed). Check the internet connection and try again.",
    );
  });

  it("reports an answer without a join link", async () => {
    const error = await rejection(
      createZoomAction(fixedAuth())(ARGS, fakeContext(new FakeSystem({ fetch: () => ({ id: 1 }) }))),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toMatch(/without a join link/);
  });
});

describe("Server-to-Server OAuth from the environment", () => {
  const credentials = { accountId: "acc&id=1", clientId: "client", clientSecret: "s3cr3t" };

  it("asks for a token with the account credentials grant and Basic auth (golden)", () => {
    expect(zoomTokenRequest(credentials)).toEqual({
      method: "POST",
      url: "https://zoom.us/oauth/token?grant_type=account_credentials&account_id=acc%26id%3D1",
      headers: { Authorization: `Basic ${Buffer.from("client:s3cr3t").toString("base64")}` },
    });
    const url = new URL(zoomTokenRequest(credentials).url);
    expect([...url.searchParams.entries()]).toEqual([
      ["grant_type", "account_credentials"],
      ["account_id", "acc&id=1"],
    ]);
  });

  it("keeps the token until shortly before it expires, then fetches a new one", async () => {
    let clock = 0;
    const requests: HttpRequest[] = [];
    const auth = serverToServerZoomAuth(
      credentials,
      async (request) => {
        requests.push(request);
        return { access_token: `token-${requests.length}`, token_type: "bearer", expires_in: 3600 };
      },
      () => clock,
    );
    const signal = new AbortController().signal;
    expect(await auth.accessToken(signal)).toBe("token-1");
    clock = 3_500_000;
    expect(await auth.accessToken(signal)).toBe("token-1");
    clock = 3_540_001;
    expect(await auth.accessToken(signal)).toBe("token-2");
    auth.invalidate?.();
    expect(await auth.accessToken(signal)).toBe("token-3");
    expect(requests).toHaveLength(3);
  });

  it("says which settings to check when Zoom refuses the credentials", async () => {
    const auth = serverToServerZoomAuth(credentials, async () => {
      throw new HttpError(400, '{"reason":"Invalid client_id or client_secret","error":"invalid_client"}');
    });
    const error = await rejection(auth.accessToken(new AbortController().signal));
    expect(error.code).toBe("permission");
    expect(error.message).toBe(
      'Zoom rejected the credentials in ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET ("Invalid client_id or client_secret"). Check them against your Server-to-Server OAuth app in the Zoom App Marketplace.',
    );
  });

  it("creates a meeting end to end with a token from the environment", async () => {
    const system = new FakeSystem({
      fetch: (request) =>
        request.url.startsWith("https://zoom.us/oauth/token")
          ? { access_token: "s2s-token", expires_in: 3600 }
          : { join_url: JOIN_URL },
    });
    const auth = zoomAuthFromEnv(
      { ZOOM_ACCOUNT_ID: "acc", ZOOM_CLIENT_ID: "id", ZOOM_CLIENT_SECRET: "secret" },
      (request) => system.fetchJson(request),
    );
    const action = createZoomAction(auth);
    expect(await action(ARGS, fakeContext(system))).toBe(JOIN_URL);
    expect(await action(ARGS, fakeContext(system))).toBe(JOIN_URL);
    expect(system.requests.map((r) => r.url)).toEqual([
      "https://zoom.us/oauth/token?grant_type=account_credentials&account_id=acc",
      "https://api.zoom.us/v2/users/me/meetings",
      "https://api.zoom.us/v2/users/me/meetings",
    ]);
    expect(system.requests[1]!.headers.Authorization).toBe("Bearer s2s-token");
  });

  it("is absent unless all three variables are set", () => {
    const fetchJson = async () => null;
    expect(zoomAuthFromEnv({}, fetchJson)).toBeUndefined();
    expect(
      zoomAuthFromEnv({ ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: " " }, fetchJson),
    ).toBeUndefined();
    expect(
      zoomAuthFromEnv({ ZOOM_ACCOUNT_ID: "a", ZOOM_CLIENT_ID: "b", ZOOM_CLIENT_SECRET: "c" }, fetchJson),
    ).toBeDefined();
  });

  it("combines sources: the first with a token wins", async () => {
    const signal = new AbortController().signal;
    const none: ZoomAuth = { accessToken: async () => undefined };
    const some = fixedAuth(["from-env"]);
    expect(combineZoomAuth(undefined, undefined)).toBeUndefined();
    expect(await combineZoomAuth(none, some)!.accessToken(signal)).toBe("from-env");
    combineZoomAuth(none, some)!.invalidate?.();
    expect(some.invalidated).toBe(1);
  });
});
