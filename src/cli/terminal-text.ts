/**
 * Text from plans, models, tools, contact cards, servers and files as a terminal should show it. Such text
 * can hold control codes: ESC sequences and C1 controls that move the cursor, erase a line or retitle the
 * window, a carriage return that writes over a line, zero-width and direction-changing characters that
 * disguise an address. Each one is spelled out instead (`<U+001B>`), so what is printed is what was written.
 */

const HIDDEN_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point here
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;

function spelledOut(c: string): string {
  return `<U+${hex(c)}>`;
}

function hex(c: string): string {
  return c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0");
}

/**
 * One value on one line, as the person should judge it before approving: line breaks shown as ⏎, hidden
 * characters spelled out.
 */
export function visibleText(text: string): string {
  return text.replace(/\r?\n/g, " ⏎ ").replace(HIDDEN_CHARACTERS, spelledOut);
}

/** Lines for the terminal: line breaks (and tabs) kept, every other hidden character spelled out. */
export function terminalText(text: string): string {
  return text.replace(/\r\n/g, "\n").replace(HIDDEN_CHARACTERS, spelledOut);
}

/**
 * JSON for a terminal or a pipe: the same data, with hidden characters written as `\uXXXX` escapes. They can
 * only stand inside JSON strings, where an escape means the very same character.
 */
export function terminalJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(HIDDEN_CHARACTERS, (c) => `\\u${hex(c).toLowerCase()}`);
}
