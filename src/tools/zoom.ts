import { z } from "zod";
import { dateTime, MEETING_TEMPLATES, recipientList, requestWording } from "./formats";
import { defineTool } from "./tool";

export const getZoomMeetingLink = defineTool({
  name: "get_zoom_meeting_link",
  app: "zoom",
  effect: "write",
  description: "Schedules a Zoom meeting and returns its join link.",
  result: "meeting-link",
  args: z.object({
    topic: requestWording(z.string().min(1).describe("Topic of the meeting"), MEETING_TEMPLATES),
    start_time: dateTime("When the meeting starts", "start"),
    duration: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .describe("Length in minutes; 60 unless the request says otherwise"),
    meeting_invitees: recipientList("Email addresses of the people to invite"),
  }),
});
