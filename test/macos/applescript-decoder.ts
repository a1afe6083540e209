/**
 * An independent reader of the text expressions in a generated AppleScript, written for the tests: it
 * knows AppleScript's string literal syntax ("..." with \" and \\) and `(character id N)`, and nothing of
 * the encoder's code. `decodeScript` returns the script with every text expression replaced by «T» (the
 * skeleton, which must not change whatever the data) and the decoded texts in order.
 */
export interface DecodedScript {
  skeleton: string;
  texts: string[];
}

export function decodeScript(script: string): DecodedScript {
  const texts: string[] = [];
  let skeleton = "";
  let i = 0;
  while (i < script.length) {
    const expression = readExpression(script, i);
    if (expression) {
      texts.push(expression.text);
      skeleton += "«T»";
      i = expression.end;
      continue;
    }
    skeleton += script[i];
    i++;
  }
  return { skeleton, texts };
}

/** A literal, a character id, or a parenthesized chain of them joined by " & ", starting at `at`. */
function readExpression(script: string, at: number): { text: string; end: number } | undefined {
  if (script[at] === '"') return readLiteral(script, at);
  if (script.startsWith("(character id ", at)) return readCharacterId(script, at);
  if (script[at] !== "(") return undefined;
  let position = at + 1;
  let text = "";
  for (let first = true; ; first = false) {
    if (!first) {
      if (!script.startsWith(" & ", position)) return undefined;
      position += 3;
    }
    const part = script[position] === '"' ? readLiteral(script, position) : readCharacterId(script, position);
    if (!part) return undefined;
    text += part.text;
    position = part.end;
    if (script[position] === ")") return first ? undefined : { text, end: position + 1 };
  }
}

function readLiteral(script: string, at: number): { text: string; end: number } | undefined {
  let text = "";
  for (let i = at + 1; i < script.length; i++) {
    const c = script[i]!;
    if (c === '"') return { text, end: i + 1 };
    if (c === "\\") {
      const next = script[i + 1];
      if (next !== '"' && next !== "\\") throw new Error(`unexpected escape \\${next} in a literal at ${i}`);
      text += next;
      i++;
      continue;
    }
    if (c === "\n" || c === "\r") throw new Error(`raw line break inside a literal at ${i}`);
    text += c;
  }
  throw new Error(`unterminated literal starting at ${at}`);
}

function readCharacterId(script: string, at: number): { text: string; end: number } | undefined {
  const match = /^\(character id (\d+)\)/.exec(script.slice(at, at + 40));
  if (!match) return undefined;
  return { text: String.fromCodePoint(Number(match[1])), end: at + match[0].length };
}

/** Strings that have broken naive AppleScript escaping, for fuzz tests of every text argument. */
export const ADVERSARIAL_TEXTS: readonly string[] = [
  '" & (do shell script "touch /tmp/pwned") & "',
  '"; do shell script "rm -rf ~"; "',
  "\\",
  '\\"',
  "ends with a backslash \\",
  "line one\nline two\r\nline three\rend",
  "tab\there",
  "NUL\u0000byte",
  "emoji 🎉👩‍👩‍👧 and flags 🇫🇷",
  "مرحبا بالعالم ‮gnp.exe",
  "zero\u200bwidth\ufeffbom",
  "\u2028line separator\u2029",
  "«chevrons» and ¬ and “smart quotes” and ‘single’",
  'end tell\ntell application "Finder" to delete every file',
  "$1 ${2} %s %n `whoami` $(id)",
  "",
  " ",
  "a".repeat(2000),
];
