// English only (chrono-node's main entry also builds its fifteen other locales; see request/dates.ts).
import * as chrono from "chrono-node/en";
import type { z } from "zod";
import { dateKindOf, type DateKind } from "../../tools/formats";
import type { ToolRegistry } from "../../tools/registry";
import { toolParams, type AnyTool, type Param } from "../../tools/tool";
import type { Problem, Step, Value } from "./plan";
import { referencesIn } from "./references";

export interface NormalizeContext {
  /** When the request was made: "tomorrow" is relative to it. */
  now: Date;
  /** The person's time zone; dates in plans are wall-clock times there. */
  timeZone: string;
}

/** One argument rewritten, so the person can see what "tomorrow at 3" became. */
export interface Normalization {
  step: number;
  param: string;
  from: string;
  to: string;
}

/**
 * The longest date in words that is read. "next Tuesday afternoon at half past three" is 43 characters;
 * reading takes time in proportion to the text (seconds for a few hundred KB), so longer text is left as
 * written, with a warning saying why, and the validator reports it as no date.
 */
export const MAX_DATE_WORDS = 200;

/**
 * Resolves dates a planner wrote in words ("tomorrow at 3pm", "next Friday") into the plan's ISO format,
 * relative to the request time in the person's time zone. Only text that is not already shaped like an
 * ISO date is touched: an impossible ISO date ("2024-02-30 10:00:00") stays as written for the validator
 * to report, instead of becoming some other day. Text chrono cannot read stays too, and so does text
 * longer than MAX_DATE_WORDS, with an "unread-date" warning in `problems`.
 */
export function normalizeStep(
  step: Step,
  registry: ToolRegistry,
  context: NormalizeContext,
): { step: Step; changes: Normalization[]; problems: Problem[] } {
  const tool = registry.get(step.tool);
  if (!tool) return { step, changes: [], problems: [] };
  const params = toolParams(tool);
  const changes: Normalization[] = [];
  const problems: Problem[] = [];
  const args = step.args.map((value, position) => {
    const param = params[position];
    if (!param || typeof value !== "string") return value;
    const kind = dateKind(tool, param);
    if (kind === undefined || !inWords(value)) return value;
    if (value.length > MAX_DATE_WORDS) {
      problems.push(tooLongToRead(step, param.name, value.length));
      return value;
    }
    const to = readDate(value, kind, context);
    if (to === undefined || to === value) return value;
    changes.push({ step: step.index, param: param.name, from: value, to });
    return to as Value;
  });
  return { step: changes.length === 0 ? step : { ...step, args }, changes, problems };
}

function tooLongToRead(step: Step, param: string, length: number): Problem {
  return {
    code: "unread-date",
    severity: "warning",
    line: step.line,
    step: step.index,
    message: `step ${step.index}: ${param} is ${length.toLocaleString("en-US")} characters long; dates in words longer than ${MAX_DATE_WORDS} characters are not read (write YYYY-MM-DD HH:MM:SS)`,
  };
}

/** The kind of date a parameter takes, or undefined for any other parameter. */
function dateKind(tool: AnyTool, param: Param): DateKind | undefined {
  if (param.type !== "str" || param.values) return undefined;
  return dateKindOf(tool.args.shape[param.name] as z.ZodType);
}

const ISO_SHAPED = /^\s*\d{4}-\d{1,2}-\d{1,2}/;

/** Whether text may be a date in words: not empty, not shaped like an ISO date, not a reference. */
function inWords(text: string): boolean {
  return text.trim() !== "" && !ISO_SHAPED.test(text) && referencesIn(text).length === 0;
}

function readDate(text: string, kind: DateKind, context: NormalizeContext): string | undefined {
  const reference = wallClock(context.now, context.timeZone);
  const parsed = chrono.parse(text, reference, { forwardDate: true })[0];
  if (!parsed) return undefined;
  const start = parsed.start;
  const date = start.date();
  const day = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
  // A due date given as a day only is an all-day item; an event needs a time, so chrono's default stays.
  if (kind === "due" && !start.isCertain("hour")) return day;
  return `${day} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/**
 * The wall-clock time in `timeZone` as a Date whose local fields hold it: chrono reads and writes local
 * fields, so this keeps its arithmetic in the person's zone whatever zone this process runs in.
 */
export function wallClock(now: Date, timeZone: string): Date {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
    hourCycle: "h23",
  }).formatToParts(now);
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  return new Date(
    field("year"),
    field("month") - 1,
    field("day"),
    field("hour"),
    field("minute"),
    field("second"),
  );
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
