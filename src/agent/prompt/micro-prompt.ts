import type { AnyTool } from "../../tools/tool";
import { dateChoices } from "../request/dates";
import { personCandidates } from "../request/people";
import { formatToday } from "./build-prompt";

/**
 * The compact prompt of TinyAgent-micro, the small planner trained in this repository. Training data and
 * inference both render it here, so the model sees at run time exactly the layout it learned:
 *
 *   today: Monday 2024-06-03 09:00
 *   tools: get_phone_number send_sms
 *   dates: 2024-06-04 15:00:00; 2024-06-04 16:00:00; 2024-06-04; 2024-06-03 09:00:00; 2024-06-03 10:00:00
 *   people: Sid
 *   request: text Sid that I'll call tomorrow at 3pm
 *   plan:
 *
 * and the model continues with the plan lines ("1. get_phone_number(...)" ... "join()<END_OF_PLAN>").
 * No tool descriptions and no examples: the model learned the tools from its training data.
 *
 * The dates line does the date arithmetic for it: the dates the request can mean (dateChoices: each
 * phrase's start, end, an hour later, the day alone, then now), which are also the only dates its grammar
 * lets it write, so a date argument copies an item of a short list. The people line lists who the request
 * may name (personCandidates), which its grammar also holds contact look-ups to; it is left out when there
 * is nobody.
 */
export interface MicroPromptOptions {
  /** The selected tools, in registry order. */
  tools: readonly AnyTool[];
  request: string;
  now: Date;
  timeZone: string;
}

export function buildMicroPrompt(options: MicroPromptOptions): string {
  const request = oneLine(options.request);
  const dates = dateChoices(request, options.now, options.timeZone);
  const people = personCandidates(request);
  const lines = [
    `today: ${formatToday(options.now, options.timeZone)}`,
    `tools: ${options.tools.map((tool) => tool.name).join(" ")}`,
    ...(dates.length > 0 ? [`dates: ${dates.join("; ")}`] : []),
    ...(people.length > 0 ? [`people: ${people.map(oneLine).join("; ")}`] : []),
    `request: ${request}`,
    "plan:",
  ];
  return `${lines.join("\n")}\n`;
}

/** The prompt is line-based: a newline in a request would start a line the model reads as a field. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
