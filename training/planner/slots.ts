/**
 * The arguments of a plan that must come from the request: names looked up, places, note and file names
 * ("look-ups"). Used to measure the planning data (how often a value is a span of the request) and to
 * write names as the request writes them.
 */
import type { Plan } from "../../src/agent/plan/plan";

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
