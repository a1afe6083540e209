import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  mapsDirectionsUrl,
  mapsLocationUrl,
  mapsOpenLocation,
  mapsShowDirections,
} from "../../src/tools/macos/maps";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS } from "./applescript-decoder";
import { FakeSystem, fakeContext } from "./fake-system";

/** Texts that break hand-made URLs, on top of the AppleScript ones. */
const URL_TEXTS: readonly string[] = [
  ...ADVERSARIAL_TEXTS,
  "Café & Bar #2?q=1&daddr=evil",
  "a+b=c%20d%",
  "100% Main St, Apt #5",
  "'single' \"double\"",
  "Tōkyō 東京駅 🚉",
  "שדרות רוטשילד, תל אביב",
  "first\nsecond",
  "saddr=x&dirflg=w",
  "?",
  "&",
  "#",
  "%E2%82%AC",
];

/** The URL read back: origin and path must never change, and only the expected keys may appear. */
function readBack(url: string): { base: string; params: [string, string][] } {
  const parsed = new URL(url);
  return { base: `${parsed.origin}${parsed.pathname}`, params: [...parsed.searchParams.entries()] };
}

// URLs are well-formed Unicode: a lone surrogate cannot be percent-encoded and becomes U+FFFD.
const wellFormed = fc
  .oneof(fc.string({ unit: "binary", maxLength: 80 }), fc.string({ unit: "grapheme", maxLength: 40 }))
  .filter(isWellFormed);

function isWellFormed(text: string): boolean {
  try {
    encodeURIComponent(text); // throws on a lone surrogate
    return true;
  } catch {
    return false;
  }
}

describe("Maps URLs (golden)", () => {
  it("searches for a place", () => {
    expect(mapsLocationUrl("Golden Gate Bridge")).toBe("https://maps.apple.com/?q=Golden+Gate+Bridge");
    expect(mapsLocationUrl("Café & Bar #2")).toBe("https://maps.apple.com/?q=Caf%C3%A9+%26+Bar+%232");
  });

  it("shows directions with the transport flag", () => {
    expect(mapsDirectionsUrl("Home", "1 Infinite Loop, Cupertino", "w")).toBe(
      "https://maps.apple.com/?saddr=Home&daddr=1+Infinite+Loop%2C+Cupertino&dirflg=w",
    );
    expect(mapsDirectionsUrl("A", "B", "d")).toBe("https://maps.apple.com/?saddr=A&daddr=B&dirflg=d");
    expect(mapsDirectionsUrl("A", "B", "r")).toBe("https://maps.apple.com/?saddr=A&daddr=B&dirflg=r");
  });

  it("leaves the start out when it is blank, so Maps starts from the current location", () => {
    expect(mapsDirectionsUrl("", "SFO", "d")).toBe("https://maps.apple.com/?daddr=SFO&dirflg=d");
    expect(mapsDirectionsUrl("  \n", "SFO", "r")).toBe("https://maps.apple.com/?daddr=SFO&dirflg=r");
  });
});

describe("Maps URLs round-trip any text", () => {
  function checkAll(text: string): void {
    expect(readBack(mapsLocationUrl(text))).toEqual({
      base: "https://maps.apple.com/",
      params: [["q", text]],
    });
    expect(readBack(mapsDirectionsUrl(text, "End", "w"))).toEqual({
      base: "https://maps.apple.com/",
      params:
        text.trim() === ""
          ? [
              ["daddr", "End"],
              ["dirflg", "w"],
            ]
          : [
              ["saddr", text],
              ["daddr", "End"],
              ["dirflg", "w"],
            ],
    });
    expect(readBack(mapsDirectionsUrl("Start", text, "r"))).toEqual({
      base: "https://maps.apple.com/",
      params: [
        ["saddr", "Start"],
        ["daddr", text],
        ["dirflg", "r"],
      ],
    });
  }

  it.each(URL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    "keeps %s as one value",
    (_, text) => checkAll(text),
  );

  it("keeps any well-formed text as one value (property)", () => {
    fc.assert(fc.property(wellFormed, checkAll), { numRuns: 500, seed: 9 });
  });

  it("replaces a lone surrogate, which no URL can carry, with U+FFFD", () => {
    expect(new URL(mapsLocationUrl("a\ud800b")).searchParams.get("q")).toBe("a\ufffdb");
  });
});

describe("maps actions", () => {
  it("opens the place in Maps and says so", async () => {
    const system = new FakeSystem();
    const ctx = fakeContext(system);
    expect(await mapsOpenLocation({ location: "Ferry Building & Pier 1" }, ctx)).toBe(
      "Showing Ferry Building & Pier 1 in Maps.",
    );
    expect(system.urls).toEqual(["https://maps.apple.com/?q=Ferry+Building+%26+Pier+1"]);
    expect(ctx.invocations).toEqual([{ kind: "url", url: system.urls[0] }]);
  });

  it("opens directions and names the transport", async () => {
    const system = new FakeSystem();
    const ctx = fakeContext(system);
    expect(
      await mapsShowDirections({ start_location: "Home", end_location: "Work", transport: "r" }, ctx),
    ).toBe("Showing transit directions from Home to Work in Maps.");
    expect(await mapsShowDirections({ start_location: "", end_location: "Work", transport: "w" }, ctx)).toBe(
      "Showing walking directions to Work in Maps.",
    );
    expect(system.urls).toEqual([
      "https://maps.apple.com/?saddr=Home&daddr=Work&dirflg=r",
      "https://maps.apple.com/?daddr=Work&dirflg=w",
    ]);
  });

  it("says Maps could not be opened when `open` fails", async () => {
    class BrokenOpen extends FakeSystem {
      override async openUrl(url: string): Promise<void> {
        await super.openUrl(url);
        throw new Error("open exited with code 1");
      }
    }
    const error = await mapsOpenLocation({ location: "SFO" }, fakeContext(new BrokenOpen())).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).code).toBe("failed");
    expect((error as ToolError).message).toBe(
      "Maps could not be opened (open exited with code 1). Check that Maps is installed.",
    );
  });
});
