/**
 * Text from a person, a model or an email shown in Raycast's markdown panes: escaped, or fenced, so it
 * reads as written and cannot turn into links, images or formatting.
 */

/** The text inside a code fence longer than any run of backticks in it. */
export function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

/** The text with every markdown control character escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
