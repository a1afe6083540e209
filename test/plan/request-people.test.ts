import { describe, expect, it } from "vitest";
import { personCandidates } from "../../src/agent/plan/request-people";

describe("the people a request names", () => {
  it("finds capitalized names, in order, each once, without possessives", () => {
    expect(personCandidates("text Sid and Lutfi that Ravi's deck is late, and tell Sid too")).toEqual([
      "Sid",
      "Lutfi",
      "Ravi",
    ]);
  });

  it("keeps full names, titles and particles together", () => {
    expect(personCandidates("email Mei-Ling Chen and Dr. Osei about Aoife van der Berg's visit")).toEqual([
      "Mei-Ling Chen",
      "Dr. Osei",
      "Aoife van der Berg",
    ]);
  });

  it("reads lower-case names after words that introduce people, and along a list", () => {
    expect(personCandidates("fw to olu pls")).toEqual(["olu"]);
    expect(personCandidates("forward the email to joão, lukas and avery")).toEqual([
      "joão",
      "lukas",
      "avery",
    ]);
    expect(personCandidates("text tane beaumont that we moved")).toEqual(["tane beaumont"]);
  });

  it("offers roles in any case, apart from the person they introduce", () => {
    expect(personCandidates("text mom and my boss Chidi")).toEqual(["mom", "boss", "Chidi"]);
  });

  it("leaves out common words, days, months and the sentence's own capitals", () => {
    expect(personCandidates("Please email the report tomorrow at 3pm")).toEqual([]);
    expect(personCandidates("Text him on Friday in June")).toEqual([]);
    expect(personCandidates("")).toEqual([]);
  });

  it("does not run a lower-case name into a capitalized word or a name into a typo", () => {
    expect(personCandidates("Mail Moana coyp of my policy")).toEqual(["Moana"]);
    expect(personCandidates("zoom and invte Priya")).toEqual(["invte", "Priya"]);
  });

  it("copes with punctuation, emoji, right-to-left text and shouting", () => {
    expect(personCandidates('send "Zeynep" a text 🎉 and cc (Björn)!')).toEqual(["Zeynep", "Björn"]);
    expect(personCandidates("text سارة that we landed")).toEqual(["سارة"]);
    expect(personCandidates("KAVYA WU'S PHONE NUMBER")).toContain("KAVYA WU");
  });
});
