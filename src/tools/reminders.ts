import { z } from "zod";
import { carriesResults, dueDate, requestWording } from "./formats";
import { defineTool } from "./tool";

export const createReminder = defineTool({
  name: "create_reminder",
  app: "reminders",
  effect: "write",
  description: "Creates a reminder in Reminders.",
  args: z.object({
    name: requestWording(z.string().min(1).describe("What to be reminded of")),
    due_date: dueDate("When it is due"),
    notes: carriesResults(
      requestWording(z.string().describe("Extra notes; empty string when none")),
      "unused",
    ),
    list_name: requestWording(
      z.string().describe("Name of the Reminders list; empty string for the default list"),
    ),
    priority: z.number().int().min(0).max(9).describe("Priority: 0 none, 1 high, 5 medium, 9 low"),
    all_day: z.boolean().describe("True when the reminder is for a whole day rather than a time"),
  }),
});
