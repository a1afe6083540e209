import { describe, expect, it } from "vitest";
import { formatArgumentValue } from "../../src/cli/format";
import { visibleText } from "../../src/cli/terminal-text";

describe("what a confirmation shows", () => {
  it("spells out characters that could disguise an address", () => {
    // U+202E reverses the text after it: "moc.elpmaxe@bob" would display as an innocent-looking address.
    expect(visibleText("alice@\u202Emoc.live")).toBe("alice@<U+202E>moc.live");
    expect(visibleText("zero\u200Bwidth")).toBe("zero<U+200B>width");
    expect(visibleText("bell\u0007")).toBe("bell<U+0007>");
  });

  it("keeps quotes, emoji and right-to-left names as they are, and marks line breaks", () => {
    expect(visibleText(`He said "hi" 👋 to أميرة`)).toBe(`He said "hi" 👋 to أميرة`);
    expect(visibleText("line one\nline two\r\nthree")).toBe("line one ⏎ line two ⏎ three");
  });

  it("names empty and default values instead of printing nothing", () => {
    expect(formatArgumentValue("")).toBe("(empty)");
    expect(formatArgumentValue(null)).toBe("(default)");
    expect(formatArgumentValue([])).toBe("(none)");
    expect(formatArgumentValue(["a@x.com", "b@y.com"])).toBe("a@x.com, b@y.com");
  });
});
