import type { PlanOptions } from "../agent/agent";
import { UsageError } from "./usage-error";

/**
 * The request time `--now` gives, read on this machine's clock and zone: plans then do not depend on the
 * minute they are made at (a small model's prompt states the time). Empty without `--now`.
 */
export function requestClock(now: string | undefined): Pick<PlanOptions, "requestTime"> {
  if (now === undefined) return {};
  const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})(:\d{2})?$/.exec(now.trim());
  const time = match ? new Date(`${match[1]}T${match[2]}${match[3] ?? ":00"}`) : undefined;
  if (!match || !time || Number.isNaN(time.getTime()) || localDay(time) !== match[1])
    throw new UsageError(`--now: not a date and time: "${now}"; write "YYYY-MM-DD HH:MM"`);
  return { requestTime: time };
}

function localDay(time: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())}`;
}
