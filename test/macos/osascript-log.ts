import { readFileSync } from "node:fs";
import { decodeScript } from "./applescript-decoder";

/**
 * Reading what the stand-in `osascript` (test/fixtures/macos/osascript) recorded: the scripts each app was
 * sent, and the texts they hand it, read by the tests' own AppleScript reader.
 */
export function scriptsTo(log: string, app: string): string[] {
  return readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => (JSON.parse(line) as { script: string }).script)
    .filter((script) => script.includes(`tell application "${app}"`));
}

/** The texts a script hands its app, without the app's own name (`tell application "Mail"`). */
export function textsOf(script: string, app: string): string[] {
  return decodeScript(script).texts.filter((text) => text !== app);
}

/** Words of a text, lower case, without markup (a note's HTML) and the punctuation around them. */
export function wordsOf(text: string): string[] {
  return text
    .replace(/<[^>]*>/g, " ")
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""))
    .filter((word) => word !== "");
}

/** The words of `texts` that are neither in the request nor among `also`: text someone made up. */
export function madeUpWords(
  texts: readonly string[],
  request: string,
  also: readonly string[] = [],
): string[] {
  const allowed = new Set([...wordsOf(request), ...also]);
  return texts.flatMap(wordsOf).filter((word) => !allowed.has(word));
}
