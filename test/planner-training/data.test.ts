import { describe, expect, it } from "vitest";
import { copyCase, moveDates, shiftDate } from "../../training/planner/data";
import { chunks, learnVocabulary } from "../../training/planner/tokenizer";
import { buildVocabulary } from "../../training/planner/vocabulary";

describe("TinyAgent-micro planning data", () => {
  it("moves plan dates with the request's now, taking them from the dates line where it offers them", () => {
    const plan = 'create_reminder("Call Sid", "2024-06-04 15:00:00", "", None, 0, False)';
    // Seven days later "tomorrow at 3pm" is 2024-06-11 15:00.
    expect(moveDates(plan, "remind me tomorrow at 3pm to call Sid", 7).plan).toContain(
      '"2024-06-11 15:00:00"',
    );
    // A weekday is the next one after the new now: a day later, "friday at 3" is still 2024-06-07.
    const friday = 'create_reminder("Call Sid", "2024-06-07 15:00:00", "", None, 0, False)';
    const stats = { total: 0, exact: 0 };
    expect(moveDates(friday, "remind me friday at 3 to call Sid", 1, stats).plan).toContain(
      '"2024-06-07 15:00:00"',
    );
    expect(stats).toEqual({ total: 1, exact: 1 });
    // A date the dates line does not offer is shifted by the same number of days.
    expect(moveDates(friday, "remind me to call Sid", 1).plan).toContain('"2024-06-08 15:00:00"');
    expect(shiftDate("2024-06-30 10:00:00", 2)).toBe("2024-07-02 10:00:00");
    expect(shiftDate("2024-06-03", -3)).toBe("2024-05-31");
  });

  it("writes looked-up names as the request writes them", () => {
    const plan = '1. get_phone_number("Sid")\n2. send_sms(["$1"], "hi")\n3. join()<END_OF_PLAN>';
    expect(copyCase(plan, "text sid hi")).toBe(
      '1. get_phone_number("sid")\n2. send_sms(["$1"], "hi")\n3. join()<END_OF_PLAN>',
    );
    expect(copyCase(plan, "text Sid hi")).toBe(plan);
  });
});

describe("TinyAgent-micro vocabulary", () => {
  it("never glues a space to a word, so a name tokenizes alike after a space and after a quote", () => {
    expect(chunks('text Kaliron: ("Kaliron")')).toEqual([
      "text",
      "▁",
      "Kaliron",
      ":",
      "▁",
      '("',
      "Kaliron",
      '")',
    ]);
  });

  it("scores merges by their order, above every single character, after the special and byte tokens", () => {
    const learned = learnVocabulary(["abab abab", "abc"], { mergeCount: 3, minCharCount: 1 });
    expect(learned.merges[0]).toBe("ab");
    const vocabulary = buildVocabulary(learned);
    expect(vocabulary.tokens.slice(0, 4)).toEqual(["<unk>", "<s>", "</s>", "<0x00>"]);
    const score = (piece: string) => vocabulary.scores[vocabulary.tokens.indexOf(piece)]!;
    expect(score("ab")).toBeGreaterThan(score("abab"));
    expect(score("abab")).toBeGreaterThan(score("a"));
  });
});
