import { z } from "zod";
import { dateTime, recipientList } from "./formats";
import { defineTool } from "./tool";

export const getZoomMeetingLink = defineTool({
  name: "get_zoom_meeting_link",
  app: "zoom",
  effect: "write",
  description: "Schedules a Zoom meeting and returns its join link.",
  args: z.object({
    topic: z.string().min(1).describe("Topic of the meeting"),
    start_time: dateTime("When the meeting starts"),
    duration: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .describe("Length in minutes; 60 unless the request says otherwise"),
    meeting_invitees: recipientList("Email addresses of the people to invite"),
  }),
});
