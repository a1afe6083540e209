/**
 * The one way text reaches an AppleScript: as an expression whose value is exactly that text. Quotes and
 * backslashes are escaped inside a string literal; every control or invisible character (line breaks,
 * tabs, NUL, bidi overrides, U+2028) leaves the literal and becomes `(character id N)`, so nothing in the
 * text can end the literal, start a new statement or change how the script reads. Printable non-ASCII
 * (accents, CJK, emoji, right-to-left letters) stays in the literal: osascript reads scripts as UTF-8.
 */
export function appleScriptText(text: string): string {
  const parts: string[] = [];
  let literal = "";
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (isPlain(code)) {
      literal += char === "\\" || char === '"' ? `\\${char}` : char;
      continue;
    }
    if (literal !== "") parts.push(`"${literal}"`);
    literal = "";
    parts.push(`(character id ${code})`);
  }
  if (literal !== "" || parts.length === 0) parts.push(`"${literal}"`);
  return parts.length === 1 ? parts[0]! : `(${parts.join(" & ")})`;
}

/** An AppleScript list of texts: `{"a", "b"}`. */
export function appleScriptList(items: readonly string[]): string {
  return `{${items.map(appleScriptText).join(", ")}}`;
}

/** Characters that may stand in a literal as they are. */
function isPlain(code: number): boolean {
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return false; // C0 and C1 controls
  if (code >= 0xd800 && code <= 0xdfff) return false; // lone surrogates
  if (code >= 0x200b && code <= 0x200f) return false; // zero-width and direction marks
  if (code >= 0x2028 && code <= 0x202e) return false; // line/paragraph separators, bidi embeddings
  if (code >= 0x2060 && code <= 0x206f) return false; // invisible operators, bidi isolates
  if (code === 0xfeff) return false;
  return true;
}
