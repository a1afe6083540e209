import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as chrono from "chrono-node";
import { describe, expect, it } from "vitest";
import { checkPlan } from "../../src/agent/plan/check";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import {
  buildSplits,
  generateExamples,
  isoMoment,
  normalizeQuery,
  pickWhen,
  Rng,
  splitOf,
  SPLITS,
  type Example,
} from "../../training/toolrag/generate";

const TOOL_NAMES = TOOLS.map((tool) => tool.name);
const DATA = fileURLToPath(new URL("../../data/toolrag", import.meta.url));

/** Error problems of a plan, and whether `tools` is exactly the set it calls, in registry order. */
function problemsOf(example: Example): string[] {
  if (example.plan === "") return example.tools.length === 0 ? [] : ["tools listed without a plan"];
  const checked = checkPlan(example.plan, defaultRegistry);
  const problems = checked.problems.filter((p) => p.severity === "error").map((p) => p.message);
  const called = new Set(checked.plan.steps.map((step) => step.tool));
  const expected = TOOL_NAMES.filter((name) => called.has(name));
  if (expected.join() !== example.tools.join())
    problems.push(`tools ${example.tools.join()} vs plan ${expected.join()}`);
  return problems;
}

const outOfDomainShare = (examples: readonly Example[]) =>
  examples.filter((e) => e.tools.length === 0).length / examples.length;

describe("the synthetic Tool RAG data generator", () => {
  const sample = generateExamples({ seed: 11, count: 3000 });

  it("gives the same examples for the same seed, and others for another seed", () => {
    const first = generateExamples({ seed: 5, count: 200 });
    expect(generateExamples({ seed: 5, count: 200 })).toEqual(first);
    expect(generateExamples({ seed: 5, count: 400 }).slice(0, 200)).toEqual(first);
    const other = generateExamples({ seed: 6, count: 200 }).map((e) => e.query);
    expect(other.filter((query) => first.some((e) => e.query === query)).length).toBeLessThan(10);
  });

  it("writes plans that validate, with tools equal to the tools the plan calls", () => {
    const bad = sample.map((e) => ({ e, problems: problemsOf(e) })).filter((x) => x.problems.length > 0);
    expect(bad).toEqual([]);
    for (const e of sample) {
      expect(e.plan === "").toBe(e.tools.length === 0);
      if (e.plan) expect(e.plan).toMatch(/\d+\. join\(\)<END_OF_PLAN>$/);
    }
  });

  it("uses all 16 tools, alone and together", () => {
    const used = new Set(sample.flatMap((e) => e.tools));
    expect([...used].sort()).toEqual([...TOOL_NAMES].sort());
    for (const tool of TOOL_NAMES) {
      expect(
        sample.some((e) => e.tools.length === 1 && e.tools[0] === tool),
        `${tool} alone`,
      ).toBe(
        tool !== "summarize_pdf", // a summary always needs the file's path first
      );
      expect(
        sample.some((e) => e.tools.length >= 2 && e.tools.includes(tool)),
        `${tool} with others`,
      ).toBe(true);
    }
  });

  it("keeps out-of-domain requests at 11-15 %, with no tools and no plan", () => {
    const share = outOfDomainShare(sample);
    expect(share).toBeGreaterThanOrEqual(0.11);
    expect(share).toBeLessThanOrEqual(0.15);
    for (const e of sample.filter((x) => x.kind === "ood")) expect([e.tools, e.plan]).toEqual([[], ""]);
  });

  it("never repeats a request, even in another case or punctuation", () => {
    const normalized = sample.map((e) => normalizeQuery(e.query));
    expect(new Set(normalized).size).toBe(sample.length);
  });

  it("varies the phrasing: many templates per tool family, typos, questions, lower case", () => {
    const templates = new Set(sample.flatMap((e) => e.templates));
    const families = new Map<string, number>();
    for (const id of templates) families.set(id.split("#")[0]!, (families.get(id.split("#")[0]!) ?? 0) + 1);
    for (const family of ["sms", "email", "reply", "forward", "calendar", "zoom", "location", "directions"]) {
      expect(families.get(family), family).toBeGreaterThanOrEqual(15);
    }
    for (const family of ["note-new", "note-open", "note-append", "reminder", "file-open", "summarize"]) {
      expect(families.get(family), family).toBeGreaterThanOrEqual(15);
    }
    expect(families.get("phone-lookup")).toBeGreaterThanOrEqual(15);
    expect(families.get("email-lookup")).toBeGreaterThanOrEqual(15);
    const share = (pattern: RegExp) => sample.filter((e) => pattern.test(e.query)).length / sample.length;
    expect(share(/\?$/)).toBeGreaterThan(0.1);
    expect(share(/^[^A-Z]*$/)).toBeGreaterThan(0.2);
    expect(share(/\b(uh|um)\b/)).toBeGreaterThan(0.03);
    expect(share(/\b(emial|calender|remnd|tomorow|tommorow|pls|txt)\b/)).toBeGreaterThan(0.005);
  });

  it("puts each request in one split only, by the hash of its templates and values", () => {
    const splits = buildSplits({ seed: 3, sizes: { train: 2400, validation: 300, test: 300 } });
    expect(SPLITS.map((name) => splits[name].length)).toEqual([2400, 300, 300]);
    const owner = new Map<string, string>();
    for (const name of SPLITS) {
      for (const e of splits[name]) {
        expect(splitOf(e)).toBe(name);
        const query = normalizeQuery(e.query);
        expect(owner.get(query) ?? name, e.query).toBe(name);
        owner.set(query, name);
      }
    }
  });

  it("resolves dates the way an independent date parser reads them", () => {
    // chrono-node as the oracle, on the phrasings where its conventions are ours: it reads "at 3" as 03:00,
    // "Monday" on a Monday as today, "morning" as 06:00 and "14 June 10 a.m." as the year 2010, and does not
    // know "the 14th" or "day after tomorrow" without "the": those follow the generator's stated conventions.
    const reference = new Date(2024, 5, 3, 9, 0, 0); // Monday 2024-06-03 09:00, as in the generator
    const unlike =
      /monday|morning|afternoon|evening|tonight|lunch|end of day|first thing|half past|quarter|around|\bby\b|weekend|\bthe \d+(st|nd|rd|th)\b|\b\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d|day after tomorrow|week from|\d-\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?! (days|weeks))/i;
    const explicitTime = /\d ?(am|pm|a\.m\.|p\.m\.)|\b\d{2}:\d{2}\b|noon|\bin .*(hour|min)/i;
    const pad = (n: number) => String(n).padStart(2, "0");
    const rng = new Rng(1);
    let compared = 0;
    const wrong: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const when = pickWhen(rng, { dayOnly: 0.2, range: 0.1, relative: 0.1 });
      if (unlike.test(when.text) || (when.hasTime && !explicitTime.test(when.text))) continue;
      const parsed = chrono.parse(when.text, reference, { forwardDate: true })[0];
      expect(parsed, when.text).toBeDefined();
      const d = parsed!.start.date();
      const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
      const read = when.hasTime ? `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:00` : day;
      const ours = when.hasTime ? isoMoment(when.start) : isoMoment(when.start).slice(0, 10);
      compared++;
      if (read !== ours) wrong.push(`${when.text}: ${ours}, chrono ${read}`);
    }
    expect(wrong).toEqual([]);
    expect(compared).toBeGreaterThan(1000);
  });
});

describe.skipIf(!existsSync(join(DATA, "train.jsonl")))("the committed data in data/toolrag", () => {
  const read = (name: string) =>
    readFileSync(join(DATA, `${name}.jsonl`), "utf8")
      .split("\n")
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Example);
  const files = Object.fromEntries(SPLITS.map((name) => [name, read(name)])) as Record<string, Example[]>;

  it("is exactly what the generator writes for seed 1", () => {
    const splits = buildSplits({ seed: 1 });
    for (const name of SPLITS) {
      const written = splits[name].map((e) => ({ query: e.query, tools: e.tools, plan: e.plan }));
      expect(files[name]!.length, name).toBe(written.length);
      expect(files[name], name).toEqual(written);
    }
  });

  it("has valid plans, the three fields only, tools in registry order, and no request in two splits", () => {
    const owner = new Map<string, string>();
    for (const name of SPLITS) {
      const bad = files[name]!.filter(
        (e) => problemsOf(e).length > 0 || Object.keys(e).join() !== "query,tools,plan",
      );
      expect(bad, name).toEqual([]);
      const share = outOfDomainShare(files[name]!);
      expect(share, name).toBeGreaterThanOrEqual(0.11);
      expect(share, name).toBeLessThanOrEqual(0.15);
      for (const e of files[name]!) {
        const query = normalizeQuery(e.query);
        expect(owner.has(query), e.query).toBe(false);
        owner.set(query, name);
      }
    }
  });
});
