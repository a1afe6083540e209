import type { Step, Value } from "../plan/plan";
import { substituteReferences } from "../plan/references";

/** What a reference to an earlier step reads as in a summary: "Sid" for the address looked up for Sid. */
export type ReferenceLabel = (index: number) => string;

const MAX_TEXT = 48;

/**
 * One line a person can check at a glance: "Email Sid and Lutfi: Q3 review". Built from the step's own
 * arguments, where `$N` is shown as what step N stands for (a name, a file), not as an address the
 * person never typed; the detail pane shows the resolved values.
 */
export function summarizeStep(step: Step, labelOf: ReferenceLabel): string {
  const text = (position: number) => shorten(textOf(step.args[position], labelOf));
  const list = (position: number) => namesOf(step.args[position], labelOf);
  switch (step.tool) {
    case "create_calendar_event":
      return `Add “${text(0)}” to Calendar${when(step.args[1])}${withPeople(list(4))}`;
    case "get_phone_number":
      return `Look up ${possessive(text(0))} phone number`;
    case "get_email_address":
      return `Look up ${possessive(text(0))} email address`;
    case "open_and_get_file_path":
      return `Find and open “${text(0)}”`;
    case "summarize_pdf":
      return `Summarize ${text(0)}`;
    case "compose_new_email":
      return `Email ${people(list(0))}${colon(text(2))}`;
    case "reply_to_email":
      return `Reply to the selected email${colon(text(1))}`;
    case "forward_email":
      return `Forward the selected email to ${people(list(0))}`;
    case "maps_open_location":
      return `Show ${text(0)} in Maps`;
    case "maps_show_directions":
      return `Directions to ${text(1)}${from(text(0))}${transport(step.args[2])}`;
    case "create_note":
      return `Create the note “${text(0)}”`;
    case "open_note":
      return `Open the note “${text(0)}”`;
    case "append_note_content":
      return `Add to the note “${text(0)}”${colon(text(1))}`;
    case "create_reminder":
      return `Remind me: ${text(0)}${when(step.args[1])}`;
    case "send_sms":
      return `Text ${people(list(0))}${colon(text(1))}`;
    case "get_zoom_meeting_link":
      return `Create a Zoom meeting “${text(0)}”${when(step.args[1])}`;
    default:
      return step.tool;
  }
}

/**
 * What the result of a step is, in words, for summaries of the steps that use it. Lookups stand for the
 * person or file they looked up; anything else is "the result of step N".
 */
export function referenceLabel(step: Step | undefined, index: number, labelOf: ReferenceLabel): string {
  if (!step) return `the result of step ${index}`;
  const first = shorten(textOf(step.args[0], labelOf));
  switch (step.tool) {
    case "get_email_address":
    case "get_phone_number":
      return first || `the result of step ${index}`;
    case "open_and_get_file_path":
      return first ? `“${first}”` : `the file of step ${index}`;
    case "summarize_pdf":
      return `the summary of ${first}`;
    case "get_zoom_meeting_link":
      return "the Zoom link";
    default:
      return `the result of step ${index}`;
  }
}

/** Labels for references, looked up in the steps known so far. */
export function referenceLabels(steps: ReadonlyMap<number, Step>): ReferenceLabel {
  const labelOf = (index: number): string => {
    // Only references to earlier steps are followed, so a malformed plan that refers to itself or to a
    // later step cannot recurse forever.
    const earlier: ReferenceLabel = (other) =>
      other < index ? labelOf(other) : `the result of step ${other}`;
    return referenceLabel(steps.get(index), index, earlier);
  };
  return labelOf;
}

/** "Sid and Lutfi", "Sid, Lutfi and Alex". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

function textOf(value: Value | undefined, labelOf: ReferenceLabel): string {
  if (value === undefined || value === null) return "";
  const substituted = substituteReferences(value, labelOf);
  if (typeof substituted === "string") return substituted;
  if (Array.isArray(substituted)) return substituted.map((item) => String(item)).join(", ");
  return String(substituted);
}

function namesOf(value: Value | undefined, labelOf: ReferenceLabel): string[] {
  if (value === undefined || value === null) return [];
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => shorten(textOf(item, labelOf))).filter((item) => item !== "");
}

function people(names: string[]): string {
  return names.length === 0 ? "nobody yet" : joinNames(names);
}

function withPeople(names: string[]): string {
  return names.length === 0 ? "" : ` with ${joinNames(names)}`;
}

function colon(text: string): string {
  return text === "" ? "" : `: ${text}`;
}

function from(text: string): string {
  return text === "" ? "" : ` from ${text}`;
}

const TRANSPORT: Record<string, string> = { d: "driving", w: "walking", r: "by transit" };

function transport(value: Value | undefined): string {
  return typeof value === "string" && TRANSPORT[value] ? `, ${TRANSPORT[value]}` : "";
}

/** " on 2024-06-07 at 15:00" from a plan date; dates in other shapes are shown as written. */
function when(value: Value | undefined): string {
  if (typeof value !== "string" || value.trim() === "") return "";
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(?::\d{2})?$/.exec(value.trim());
  if (!match) return ` on ${shorten(value)}`;
  return match[2] === "00:00" ? ` on ${match[1]}` : ` on ${match[1]} at ${match[2]}`;
}

function possessive(name: string): string {
  if (name === "") return "someone’s";
  return /s$/i.test(name) ? `${name}’` : `${name}’s`;
}

/** One line, short enough for a list row; line breaks become spaces. */
function shorten(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}
