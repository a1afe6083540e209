/**
 * Where a value in a step's arguments came from, when an earlier look-up found it. A confirmation that
 * shows only "+1 415 555 0142" cannot tell the person that the number is Kenji's and not Ana's; with its
 * source it reads "+1 415 555 0142 (Kenji Watanabe's mobile number, from Contacts)".
 */
export interface ArgumentSource {
  /** The step whose result the value is (`$N`). */
  step: number;
  /** The result as it was passed on. */
  value: string;
  /** What it is, in words, as the look-up described it. */
  about: string;
}

/**
 * The note to show after one argument value (a string, or one item of a list): what it is, when it is a
 * looked-up result; or, for text that holds one or more (`"Call ${1}"`), which value is whose. Undefined
 * for anything else, also after the person edited the looked-up value away.
 */
export function sourceNote(value: string, sources: readonly ArgumentSource[]): string | undefined {
  const exact = sources.find((source) => source.value === value);
  if (exact) return exact.about;
  const held = sources.filter((source) => source.value !== "" && value.includes(source.value));
  if (held.length === 0) return undefined;
  return held.map((source) => `${source.value} is ${source.about}`).join("; ");
}
