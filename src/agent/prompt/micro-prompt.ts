import * as chrono from "chrono-node";
import { wallClock } from "../plan/normalize";
import type { AnyTool } from "../../tools/tool";
import { formatToday } from "./build-prompt";
import { personCandidates } from "../plan/request-people";

/**
 * The compact prompt of TinyAgent-micro, the small planner trained in this repository. Training data and
 * inference both render it here, so the model sees at run time exactly the layout it learned:
 *
 *   today: Monday 2024-06-03 09:00
 *   tools: get_phone_number send_sms
 *   dates: tomorrow at 3pm = 2024-06-04 15:00:00
 *   people: Sid
 *   request: text Sid that I'll call tomorrow at 3pm
 *   plan:
 *
 * and the model continues with the plan lines ("1. get_phone_number(...)" ... "join()<END_OF_PLAN>").
 * No tool descriptions and no examples: the model learned the tools from its training data. The dates
 * line does the date arithmetic for it (chrono-node, in the person's time zone), so the model copies an
 * ISO string instead of computing one; it is left out when the request names no date. The people line
 * lists who the request may name (personCandidates), so a contact look-up copies the next name of a short
 * list; it is left out when there is nobody.
 */
export interface MicroPromptOptions {
  /** The selected tools, in registry order. */
  tools: readonly AnyTool[];
  request: string;
  now: Date;
  timeZone: string;
}

/** A date phrase of the request and what it means, as plan arguments write dates. */
export interface DateCandidate {
  /** The words of the request, e.g. "tomorrow at 3pm". */
  phrase: string;
  /** "YYYY-MM-DD HH:MM:SS", or "YYYY-MM-DD" when the request gives no time of day. */
  start: string;
  /** The end of a range ("3-4pm"), in the same shape. */
  end?: string;
}

export function buildMicroPrompt(options: MicroPromptOptions): string {
  const request = oneLine(options.request);
  const dates = dateCandidates(request, options.now, options.timeZone);
  const people = personCandidates(request);
  const lines = [
    `today: ${formatToday(options.now, options.timeZone)}`,
    `tools: ${options.tools.map((tool) => tool.name).join(" ")}`,
    ...(dates.length > 0 ? [`dates: ${dates.map(formatCandidate).join("; ")}`] : []),
    ...(people.length > 0 ? [`people: ${people.join("; ")}`] : []),
    `request: ${request}`,
    "plan:",
  ];
  return `${lines.join("\n")}\n`;
}

/** Every date phrase chrono-node finds in the request, resolved from the request time forward. */
export function dateCandidates(request: string, now: Date, timeZone: string): DateCandidate[] {
  const reference = wallClock(now, timeZone);
  return chrono.parse(request, reference, { forwardDate: true }).map((result) => ({
    phrase: result.text,
    start: formatComponents(result.start),
    ...(result.end ? { end: formatComponents(result.end) } : {}),
  }));
}

function formatCandidate(candidate: DateCandidate): string {
  const value = candidate.end ? `${candidate.start} to ${candidate.end}` : candidate.start;
  return `${oneLine(candidate.phrase)} = ${value}`;
}

function formatComponents(components: chrono.ParsedComponents): string {
  const date = components.date();
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  if (!components.isCertain("hour")) return day;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** The prompt is line-based: a newline in a request would start a line the model reads as a field. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
