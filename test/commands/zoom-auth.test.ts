import { beforeEach, describe, expect, it, vi } from "vitest";

// @raycast/utils needs Raycast's runtime; only its OAuth service is replaced, the adapter is real.
const authorize = vi.fn(async () => "token-123");
const removeTokens = vi.fn(async () => undefined);
const zoom = vi.fn(() => ({ authorize, client: { removeTokens } }));
vi.mock("@raycast/utils", () => ({ OAuthService: { zoom } }));

const { raycastZoomAuth } = await import("../../src/commands/zoom-auth");

describe("Zoom through Raycast OAuth", () => {
  beforeEach(() => {
    vi.clearAllMocks();
  });

  it("is not connected without a client ID", () => {
    expect(raycastZoomAuth(undefined)).toBeUndefined();
    expect(raycastZoomAuth("   ")).toBeUndefined();
    expect(zoom).not.toHaveBeenCalled();
  });

  it("gets tokens from Raycast's PKCE flow and forgets them when Zoom rejects one", async () => {
    const auth = raycastZoomAuth(" my-client ")!;
    expect(zoom).toHaveBeenCalledWith({ clientId: "my-client", scope: "meeting:write:meeting" });
    await expect(auth.accessToken(new AbortController().signal)).resolves.toBe("token-123");
    auth.invalidate?.();
    expect(removeTokens).toHaveBeenCalledTimes(1);
  });
});
