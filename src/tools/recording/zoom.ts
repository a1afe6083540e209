import { createHash } from "node:crypto";
import { checkZoomInvitees, zoomMeetingRequest, zoomStartTime, type ZoomArgs } from "../macos/zoom";
import type { Recorder } from "./recorder";

/**
 * The bearer token a dry run's Zoom request is built with. A dry run has no Zoom connection, so no real
 * token; the request is otherwise exactly `zoomMeetingRequest` (src/tools/macos/zoom.ts). Recorded
 * invocations carry no headers, so the placeholder never shows in `--json`, and no token ever could.
 */
export const DRY_RUN_ZOOM_TOKEN = "<zoom-access-token>";

/** get_zoom_meeting_link: the meeting request the Mac backend would post, and a made-up join link. */
export function createZoomMeeting(recorder: Recorder, args: ZoomArgs): string {
  checkZoomInvitees(args.meeting_invitees);
  const timeZone = recorder.preferences.timeZone || Intl.DateTimeFormat().resolvedOptions().timeZone;
  zoomStartTime(args.start_time); // refuses a bad time before anything is sent, as the Mac backend does
  recorder.http(zoomMeetingRequest(args, timeZone, DRY_RUN_ZOOM_TOKEN));
  const digest = createHash("sha256").update(`${args.topic}\n${args.start_time}`).digest();
  const meetingId = String(8_000_000_000 + (digest.readUInt32BE(0) % 1_000_000_000));
  return `https://zoom.us/j/${meetingId}`;
}
