import * as chrono from "chrono-node";
import type { z } from "zod";
import { dateKindOf, type DateKind } from "../../tools/formats";
import type { ToolRegistry } from "../../tools/registry";
import { toolParams, type AnyTool, type Param } from "../../tools/tool";
import type { Step, Value } from "./plan";
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
 * Resolves dates a planner wrote in words ("tomorrow at 3pm", "next Friday") into the plan's ISO format,
 * relative to the request time in the person's time zone. Only text that is not already shaped like an
 * ISO date is touched: an impossible ISO date ("2024-02-30 10:00:00") stays as written for the validator
 * to report, instead of becoming some other day. Text chrono cannot read stays too.
 */
export function normalizeStep(
  step: Step,
  registry: ToolRegistry,
  context: NormalizeContext,
): { step: Step; changes: Normalization[] } {
  const tool = registry.get(step.tool);
  if (!tool) return { step, changes: [] };
  const params = toolParams(tool);
  const changes: Normalization[] = [];
  const args = step.args.map((value, position) => {
    const param = params[position];
    if (!param || typeof value !== "string") return value;
    const to = normalizeDate(value, dateKind(tool, param), context);
    if (to === undefined || to === value) return value;
    changes.push({ step: step.index, param: param.name, from: value, to });
    return to as Value;
  });
  return changes.length === 0 ? { step, changes } : { step: { ...step, args }, changes };
}

/** The kind of date a parameter takes, or undefined for any other parameter. */
function dateKind(tool: AnyTool, param: Param): DateKind | undefined {
  if (param.type !== "str" || param.values) return undefined;
  return dateKindOf(tool.args.shape[param.name] as z.ZodType);
}

const ISO_SHAPED = /^\s*\d{4}-\d{1,2}-\d{1,2}/;

function normalizeDate(
  text: string,
  kind: DateKind | undefined,
  context: NormalizeContext,
): string | undefined {
  if (kind === undefined || text.trim() === "" || ISO_SHAPED.test(text) || referencesIn(text).length > 0)
    return undefined;
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
