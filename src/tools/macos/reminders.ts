import type { z } from "zod";
import type { Invocation } from "../backend";
import { parseLocalDateTime, type LocalDateTime } from "../formats";
import type { createReminder } from "../reminders";
import { ToolError } from "../tool-error";
import { appleScriptText } from "./applescript-text";
import {
  appleScriptDateLines,
  createdFields,
  formatLocal,
  given,
  listOrNone,
  pickOne,
  runDataScript,
  sameName,
  scriptInteger,
} from "./calendar";
import type { MacContext } from "./mac-context";
import { parseRecords } from "./osascript";

export type CreateReminderArgs = z.infer<typeof createReminder.args>;

/** One Reminders list; `index` is its 1-based position in `every list`. */
export interface ReminderListInfo {
  index: number;
  name: string;
}

/**
 * Where the reminder goes: Reminders' own default list, or the list at `index` (checked inside the
 * creating script to still be named `name`, since list names are not unique across accounts).
 */
export type ReminderListTarget = "default" | { index: number; name: string };

/** When the reminder is due: nothing, a whole day, or a date and time. */
export type ReminderDue =
  { kind: "none" } | { kind: "day"; at: LocalDateTime } | { kind: "time"; at: LocalDateTime };

// ---------------------------------------------------------------------------------------------------------
// Builders: pure functions that return exactly the scripts the action runs, so a dry run can show them.
// ---------------------------------------------------------------------------------------------------------

/** Lists the names of every Reminders list, one record each, in Reminders' order. */
export function listReminderListsScript(): string {
  return [
    'tell application "Reminders"',
    "\tset listNames to name of every list",
    "end tell",
    "set recordSeparator to character id 30",
    'set output to ""',
    "repeat with i from 1 to count of listNames",
    "\tset output to output & (item i of listNames) & recordSeparator",
    "end repeat",
    "return output",
  ].join("\n");
}

/**
 * Creates the reminder and prints `created<FIELD>list name<FIELD>reminder id`, or `changed<FIELD>name`
 * (creating nothing) when the list at the chosen index is no longer the one chosen.
 */
export function createReminderScript(args: CreateReminderArgs, target: ReminderListTarget): string {
  const due = reminderDue(args);
  const properties = [
    `name:${appleScriptText(args.name)}`,
    ...(given(args.notes) ? [`body:${appleScriptText(args.notes)}`] : []),
    `priority:${scriptInteger(reminderPriority(args.priority))}`,
    ...(due.kind === "day" ? ["allday due date:dueDate"] : []),
    ...(due.kind === "time" ? ["due date:dueDate"] : []),
  ];
  return [
    ...(due.kind === "none" ? [] : appleScriptDateLines("dueDate", due.at, due.kind === "day")),
    "set fieldSeparator to character id 31",
    'tell application "Reminders"',
    ...listSelection(target),
    `\tset newReminder to make new reminder at end of reminders of targetList with properties {${properties.join(", ")}}`,
    '\treturn "created" & fieldSeparator & listName & fieldSeparator & (id of newReminder)',
    "end tell",
  ].join("\n");
}

function listSelection(target: ReminderListTarget): string[] {
  if (target === "default")
    return ["\tset targetList to default list", "\tset listName to name of targetList"];
  return [
    `\tset targetList to list ${scriptInteger(target.index)}`,
    "\tset listName to name of targetList",
    "\tconsidering case",
    `\t\tif listName is not ${appleScriptText(target.name)} then return "changed" & fieldSeparator & listName`,
    "\tend considering",
  ];
}

/**
 * The due date the arguments ask for. None for null or ""; a whole day for a bare `YYYY-MM-DD` or when
 * `all_day` is set (Reminders' `allday due date`, time 0); otherwise a date and time (`due date`).
 */
export function reminderDue(args: Pick<CreateReminderArgs, "due_date" | "all_day">): ReminderDue {
  const text = args.due_date?.trim() ?? "";
  if (text === "") return { kind: "none" };
  const at = parseLocalDateTime(text);
  if (!at) {
    throw new ToolError(
      "failed",
      `The due date "${text}" is not a date. Write it as YYYY-MM-DD HH:MM:SS, or YYYY-MM-DD for a whole day.`,
    );
  }
  return args.all_day || !at.hasTime ? { kind: "day", at } : { kind: "time", at };
}

/**
 * Reminders' priority is an integer: 0 none, 1–4 high, 5 medium, 6–9 low (1, 5 and 9 are what the app itself
 * sets). The plan's 0..9 value is passed through unchanged.
 */
export function reminderPriority(priority: number): number {
  if (!Number.isInteger(priority) || priority < 0 || priority > 9) {
    throw new ToolError(
      "failed",
      `The priority ${priority} is not one Reminders knows: use 0 (none), 1 (high), 5 (medium) or 9 (low).`,
    );
  }
  return priority;
}

/** How Reminders shows a priority value. */
export function priorityLabel(priority: number): "none" | "high" | "medium" | "low" {
  if (priority === 0) return "none";
  if (priority <= 4) return "high";
  return priority === 5 ? "medium" : "low";
}

/** Reads listReminderListsScript's output. */
export function parseReminderLists(output: string): ReminderListInfo[] {
  return parseRecords(output.trim()).map(([name = ""], i) => ({ index: i + 1, name }));
}

// ---------------------------------------------------------------------------------------------------------
// Action
// ---------------------------------------------------------------------------------------------------------

/** create_reminder: adds the reminder to the named list, else to Reminders' default list. */
export async function addReminder(args: CreateReminderArgs, ctx: MacContext): Promise<string> {
  // Read before anything runs, so bad input fails with nothing done.
  const due = reminderDue(args);
  const priority = reminderPriority(args.priority);
  const ran = ctx.invocations.length;
  const ranSoFar = () => ctx.invocations.slice(ran);

  const target = await chooseList(args.list_name, ctx, ranSoFar);
  const output = await runDataScript(ctx, "Reminders", createReminderScript(args, target));
  const [listName = "", id = ""] = createdFields(output, {
    app: "Reminders",
    what: "lists",
    count: 2,
    target,
    ranSoFar,
  });

  const where = target === "default" ? `${listName} (your default list)` : listName;
  return `Created the reminder "${args.name}" in ${where}${dueText(due)}${priorityText(priority)}. Reminder id: ${id}`;
}

async function chooseList(
  wanted: string,
  ctx: MacContext,
  ranSoFar: () => Invocation[],
): Promise<ReminderListTarget> {
  const name = wanted.trim();
  if (name === "") return "default";
  const lists = parseReminderLists(await runDataScript(ctx, "Reminders", listReminderListsScript()));
  const named = lists.filter((list) => sameName(list.name, name));
  if (named.length === 0) {
    throw new ToolError(
      "not-found",
      `There is no Reminders list named "${name}". Lists: ${listOrNone(lists.map((list) => list.name))}. Use one of these, or leave the list empty for your default list.`,
      { invocations: ranSoFar() },
    );
  }
  const picked = await pickOne(named, name, ctx, {
    app: "Reminders",
    question: `Several Reminders lists are named "${name}". Which one should the reminder go in?`,
    what: "lists",
    ranSoFar,
  });
  return { index: picked.index, name: picked.name };
}

function dueText(due: ReminderDue): string {
  if (due.kind === "none") return "";
  return due.kind === "day"
    ? `, due ${formatLocal(due.at, false)} (all day)`
    : `, due ${formatLocal(due.at)}`;
}

function priorityText(priority: number): string {
  return priority === 0 ? "" : `, ${priorityLabel(priority)} priority (${priority})`;
}
