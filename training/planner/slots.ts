/**
 * The arguments of a plan that must come from the request: names looked up, places, note and file names
 * ("look-ups"), and dates. Used to measure the data (how often a value is a span of the request or a
 * dates-line value) and the model (whether it wrote the same values as the reference plan).
 */
import type { Plan, Value } from "../../src/agent/plan/plan";

/** Tool → positions of its arguments that name something in the request. */
export const NAME_ARGUMENTS: Readonly<Record<string, readonly number[]>> = {
  get_phone_number: [0],
  get_email_address: [0],
  open_and_get_file_path: [0],
  maps_open_location: [0],
  maps_show_directions: [0, 1],
  create_note: [0],
  open_note: [0],
  append_note_content: [0],
};

const DATE = /^\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2})?$/;

function isReference(value: string): boolean {
  return /^\$\{?\d+\}?$/.test(value);
}

/** The name-like string arguments of a plan, in step order (references and empty strings left out). */
export function nameValues(plan: Plan): string[] {
  return plan.steps.flatMap((step) =>
    (NAME_ARGUMENTS[step.tool] ?? [])
      .map((position) => step.args[position])
      .filter((value): value is string => typeof value === "string" && value !== "" && !isReference(value)),
  );
}

/** Every date string among a plan's arguments, in step order. */
export function dateValues(plan: Plan): string[] {
  const out: string[] = [];
  const visit = (value: Value) => {
    if (typeof value === "string" && DATE.test(value)) out.push(value);
    else if (Array.isArray(value)) value.forEach(visit);
  };
  for (const step of plan.steps) step.args.forEach(visit);
  return out;
}

/** Same multiset of values (order-free: parallel steps may come in any order). */
export function sameValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join("\u0000") === [...b].sort().join("\u0000");
}
