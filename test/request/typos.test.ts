import { describe, expect, it } from "vitest";
import { hasWordOrTypo, oneEditApart } from "../../src/agent/request/typos";
import { ruledOutTools } from "../../src/agent/request/asked-tools";
import { mulberry32 } from "../../src/agent/seeded-random";

describe("a word one letter off another", () => {
  it("is a letter added, dropped, changed, or two neighbours swapped", () => {
    expect(oneEditApart("oepn", "open")).toBe(true);
    expect(oneEditApart("tex", "text")).toBe(true);
    expect(oneEditApart("dissplay", "display")).toBe(true);
    expect(oneEditApart("mzil", "mail")).toBe(true);
    expect(oneEditApart("open", "open")).toBe(true);
    expect(oneEditApart("resirect", "redirect")).toBe(true);
    expect(oneEditApart("eamil", "mail")).toBe(false);
    expect(oneEditApart("opne", "pen")).toBe(false);
    expect(oneEditApart("", "a")).toBe(true);
  });

  it("agrees with an edit distance of at most one on random words", () => {
    const distance = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
      for (let j = 1; j <= b.length; j++) d[0]![j] = j;
      for (let i = 1; i <= a.length; i++)
        for (let j = 1; j <= b.length; j++) {
          d[i]![j] = Math.min(
            d[i - 1]![j]! + 1,
            d[i]![j - 1]! + 1,
            d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
          );
          if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
            d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
        }
      return d[a.length]![b.length]!;
    };
    const random = mulberry32(7);
    const word = () =>
      Array.from({ length: 1 + Math.floor(random() * 5) }, () => "abc"[Math.floor(random() * 3)]).join("");
    for (let n = 0; n < 3000; n++) {
      const a = word();
      const b = word();
      expect(oneEditApart(a, b), `${a} / ${b}`).toBe(distance(a, b) <= 1);
    }
  });

  it("finds a wanted word or its typo among a request's words", () => {
    expect(hasWordOrTypo("oepn my sydney trip note", ["open"])).toBe(true);
    expect(hasWordOrTypo("start a new note for the Kyoto trip", ["open", "show"])).toBe(false);
    expect(hasWordOrTypo("stick this at the end of my ideas note", ["send"])).toBe(false);
    expect(ruledOutTools("oepn my sydney trip note")).not.toContain("open_note");
  });
});
