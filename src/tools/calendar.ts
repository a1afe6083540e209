import { z } from "zod";
import { carriesResults, dateTime, MEETING_TEMPLATES, recipientList, requestWording } from "./formats";
import { defineTool } from "./tool";

export const createCalendarEvent = defineTool({
  name: "create_calendar_event",
  app: "calendar",
  effect: "write",
  description: "Creates an event in Calendar and returns where it was created.",
  args: z.object({
    title: requestWording(z.string().min(1).describe("Title of the event"), MEETING_TEMPLATES),
    start_date: dateTime("When the event starts", "start"),
    end_date: dateTime(
      "When the event ends; 60 minutes after the start unless the request says otherwise",
      "end",
    ),
    location: requestWording(
      z.string().nullable().describe("Where it takes place; empty string or None when not given"),
    ),
    invitees: recipientList("Email addresses of the people to invite; empty list when nobody is invited"),
    notes: carriesResults(
      requestWording(
        z
          .string()
          .nullable()
          .describe("Notes shown in the event, such as a meeting link; empty string or None when none"),
      ),
    ),
    calendar: requestWording(
      z
        .string()
        .nullable()
        .describe("Name of the calendar to put it in; empty string or None for the default calendar"),
    ),
  }),
});
