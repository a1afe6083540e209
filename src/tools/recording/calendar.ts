import {
  createCalendarEventScript,
  formatLocal,
  listCalendarsScript,
  requireDateTime,
  sameName,
  type CreateCalendarEventArgs,
  checkInvitees,
} from "../macos/calendar";
import { ToolError } from "../tool-error";
import { pickSameNamed, type Recorder } from "./recorder";

/*
 * create_calendar_event as src/tools/macos/calendar.ts does it: dates and invitees checked before anything
 * runs, then the listing script, then the creating script aimed at the chosen calendar's 1-based position
 * in Calendar's list (the fixture world's `calendars`, in order). With no calendar named, the first
 * writable one is used, as on the Mac.
 */

export async function createEvent(recorder: Recorder, args: CreateCalendarEventArgs): Promise<string> {
  const start = requireDateTime(args.start_date, "start date");
  const end = requireDateTime(args.end_date, "end date");
  if (formatLocal(end) < formatLocal(start)) {
    throw new ToolError(
      "failed",
      `The event would end (${args.end_date}) before it starts (${args.start_date}). Nothing was created: fix the times and try again.`,
    );
  }
  checkInvitees(args.invitees);

  recorder.script(listCalendarsScript());
  const calendars = recorder.world.calendars.map((calendar, i) => ({ ...calendar, index: i + 1 }));
  const writable = calendars.filter((calendar) => calendar.writable);
  const writableNames = writable.map((c) => c.name).join(", ") || "none";
  const wanted = (args.calendar ?? "").trim();
  let target: { index: number; name: string } | undefined;
  if (wanted === "") {
    target = writable[0];
    if (!target) {
      throw recorder.error(
        "failed",
        "Calendar has no calendar that new events can be added to. Create one in Calendar (File › New Calendar), then try again.",
      );
    }
  } else {
    const named = calendars.filter((calendar) => sameName(calendar.name, wanted));
    if (named.length === 0) {
      throw recorder.error(
        "not-found",
        `There is no calendar named "${wanted}". Calendars you can add to: ${writableNames}.`,
      );
    }
    const candidates = named.filter((calendar) => calendar.writable);
    if (candidates.length === 0) {
      throw recorder.error(
        "failed",
        `The calendar "${named[0]!.name}" is read-only. Choose another calendar: ${writableNames}.`,
      );
    }
    target = await pickSameNamed(recorder, candidates, wanted, {
      app: "Calendar",
      question: `Several calendars are named "${wanted}". Which one should the event go in?`,
      what: "calendars",
    });
    if (!target) {
      throw recorder.error(
        "ambiguous",
        `Several calendars in Calendar are named "${wanted}" (numbers ${candidates.map((c) => c.index).join(", ")} among them). Choose one when asked, or rename one of them in Calendar.`,
      );
    }
  }
  recorder.script(createCalendarEventScript(args, { index: target.index, name: target.name }));

  recorder.world.events.push({
    title: args.title,
    start: args.start_date,
    end: args.end_date,
    calendar: target.name,
    location: args.location ?? "",
    invitees: args.invitees,
    notes: args.notes ?? "",
  });
  const invited = args.invitees.length > 0 ? `, inviting ${args.invitees.join(", ")}` : "";
  return `Created the event "${args.title}" on ${args.start_date} to ${args.end_date} in the ${target.name} calendar${invited}.`;
}
