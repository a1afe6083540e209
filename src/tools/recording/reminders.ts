import {
  createReminderScript,
  listReminderListsScript,
  reminderDue,
  reminderPriority,
  type CreateReminderArgs,
  type ReminderListTarget,
} from "../macos/reminders";
import { sameName } from "../macos/calendar";
import { pickSameNamed, type Recorder } from "./recorder";

/*
 * create_reminder as src/tools/macos/reminders.ts does it: due date and priority checked first; with a
 * list named, the listing script and then the creating script aimed at the list's 1-based position in
 * Reminders' order (the fixture world's `reminderLists`); with none, the creating script for Reminders'
 * default list, without a listing.
 */

export async function createReminder(recorder: Recorder, args: CreateReminderArgs): Promise<string> {
  reminderDue(args);
  reminderPriority(args.priority);
  const { world } = recorder;
  const wanted = args.list_name.trim();
  let target: ReminderListTarget = "default";
  let list = world.defaultReminderList;
  if (wanted !== "") {
    recorder.script(listReminderListsScript());
    const lists = world.reminderLists.map((name, i) => ({ index: i + 1, name }));
    const named = lists.filter((candidate) => sameName(candidate.name, wanted));
    if (named.length === 0) {
      throw recorder.error(
        "not-found",
        `There is no Reminders list "${wanted}". Lists: ${world.reminderLists.join(", ") || "none"}.`,
      );
    }
    const picked = await pickSameNamed(recorder, named, wanted, {
      app: "Reminders",
      question: `Several Reminders lists are named "${wanted}". Which one should the reminder go in?`,
      what: "lists",
    });
    if (!picked) {
      throw recorder.error(
        "ambiguous",
        `Several lists in Reminders are named "${wanted}" (numbers ${named.map((l) => l.index).join(", ")} among them). Choose one when asked, or rename one of them in Reminders.`,
      );
    }
    target = { index: picked.index, name: picked.name };
    list = picked.name;
  }
  recorder.script(createReminderScript(args, target));

  world.reminders.push({
    name: args.name,
    list,
    due: args.due_date,
    priority: args.priority,
    allDay: args.all_day,
    notes: args.notes,
  });
  const due = args.due_date ? `, due ${args.all_day ? args.due_date.slice(0, 10) : args.due_date}` : "";
  return `Created the reminder "${args.name}" in ${list}${due}.`;
}
