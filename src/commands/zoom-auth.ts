import { OAuthService } from "@raycast/utils";
import type { ZoomAuth } from "../tools/macos/zoom";

/**
 * Zoom tokens for the extension through Raycast's OAuth (PKCE), with a Zoom OAuth app's client ID from the
 * preferences. Raycast stores and refreshes the tokens; the first use opens Zoom's consent page. Undefined
 * without a client ID, and the Zoom action then says how to connect.
 */
export function raycastZoomAuth(clientId: string | undefined): ZoomAuth | undefined {
  const id = clientId?.trim();
  if (!id) return undefined;
  const service = OAuthService.zoom({ clientId: id, scope: "meeting:write:meeting" });
  return {
    accessToken: () => service.authorize(),
    invalidate: () => {
      void service.client.removeTokens();
    },
  };
}
