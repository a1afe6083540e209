import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { appleScriptList, appleScriptText } from "../../src/tools/macos/applescript-text";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";

const script = (text: string) =>
  `tell application "Notes"\n  make new note with properties {name:${appleScriptText(text)}}\nend tell`;
const SKELETON = decodeScript(script("benign")).skeleton;

describe("the AppleScript text encoder", () => {
  it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    "keeps %s as data",
    (_, text) => {
      const decoded = decodeScript(script(text));
      expect(decoded.skeleton).toBe(SKELETON);
      expect(decoded.texts).toEqual(["Notes", text]);
    },
  );

  it("round-trips any string, and the script around it never changes (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 80 }),
          fc.string({ unit: "grapheme", maxLength: 40 }),
        ),
        (text) => {
          const decoded = decodeScript(script(text));
          expect(decoded.skeleton).toBe(SKELETON);
          expect(decoded.texts[1]).toBe(text);
        },
      ),
      { numRuns: 3000, seed: 5 },
    );
  });

  it("writes plain text as one readable literal and control characters as character ids", () => {
    expect(appleScriptText('Lunch "at" noon \\ café 🎉')).toBe('"Lunch \\"at\\" noon \\\\ café 🎉"');
    expect(appleScriptText("a\nb")).toBe('("a" & (character id 10) & "b")');
    expect(appleScriptText("")).toBe('""');
    expect(appleScriptText("\t")).toBe("(character id 9)");
    expect(appleScriptList(["a", 'b"'])).toBe('{"a", "b\\""}');
  });
});
