import type { Value } from "./plan";

/** `"$3"` or `"${3}"` as a whole string: the result of step 3 itself. */
const WHOLE_REFERENCE = /^\$(?:(\d+)|\{(\d+)\})$/;
/** `${3}` inside longer text is replaced by the result; a bare `$3` there is money, not a reference. */
const INTERPOLATION = /\$\{(\d+)\}/g;

/** The step a whole-string reference points at, or undefined for ordinary text. */
export function wholeReference(value: Value): number | undefined {
  if (typeof value !== "string") return undefined;
  const match = WHOLE_REFERENCE.exec(value);
  return match ? Number(match[1] ?? match[2]) : undefined;
}

/** Every step a value refers to, whole or interpolated, in ascending order without repeats. */
export function referencesIn(value: Value): number[] {
  const found = new Set<number>();
  collect(value, found);
  return [...found].sort((a, b) => a - b);
}

function collect(value: Value, found: Set<number>): void {
  if (typeof value === "string") {
    const whole = wholeReference(value);
    if (whole !== undefined) {
      found.add(whole);
      return;
    }
    for (const match of value.matchAll(INTERPOLATION)) found.add(Number(match[1]));
    return;
  }
  if (Array.isArray(value)) {
    for (const item of value) collect(item, found);
    return;
  }
  if (value !== null && typeof value === "object") {
    for (const item of Object.values(value)) collect(item, found);
  }
}

/** Whether a string has `${N}` interpolations, so its final text is only known at run time. */
export function hasInterpolation(text: string): boolean {
  return /\$\{\d+\}/.test(text);
}

/** Replaces every reference in a value with the result it points at. `resultOf` must know every step referred to. */
export function substituteReferences(value: Value, resultOf: (step: number) => string): Value {
  if (typeof value === "string") {
    const whole = wholeReference(value);
    if (whole !== undefined) return resultOf(whole);
    return value.replace(INTERPOLATION, (_, step: string) => resultOf(Number(step)));
  }
  if (Array.isArray(value)) return value.map((item) => substituteReferences(item, resultOf));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteReferences(item, resultOf)]),
    );
  }
  return value;
}
