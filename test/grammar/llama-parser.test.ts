import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { planGrammar } from "../../src/agent/plan/grammar";
import { TOOLS } from "../../src/tools/registry";
import { parseGbnf } from "./gbnf";

/**
 * Checks parseGbnf against llama.cpp's own grammar parser (the one node-llama-cpp runs when planning), so
 * the toolkit's verdicts on planGrammar output carry over to the real thing. Skipped where no llama.cpp
 * binary loads. parseGbnf is deliberately stricter in four cases left out here: duplicate rules, ranges
 * out of order and escapes past U+10FFFF (llama.cpp accepts them), and {m,n} with n < m (llama.cpp hangs).
 */

const SAMPLES: string[] = [
  'root ::= "a"',
  'root ::= "a\\n\\"\\\\\\x41\\u00e9\\U0001F600" [a-z_0-9]{2,3} ("x" | "y")* [^a-c\\]\\x00-\\x1f]? "z"{2,} "w"{4} "v"+',
  '# a comment\r\n\r\nroot ::= ( "a" # inside\n  | "b"\n ) tail\r\ntail ::=\n  "c" |\n  "d"   # end\n',
  "root ::= [a-]",
  'root ::= [] | "x"',
  "root ::= [^]",
  "root ::= .",
  'root ::= "a"{ 2 , 3 }',
  'root ::= ""',
  'root ::= x\nx ::= "x" y?\ny ::= "y"',
  'start ::= "a"',
  'root ::= "a" missing',
  'root ::= a_b\na_b ::= "x"',
  'root ::= "abc',
  "root ::= [abc",
  'root ::= "\\q"',
  'root ::= "\\x4"',
  'root ::= "a"{0,-1}',
  "root ::= *",
  'root ::= ("a" | "b"',
  'root ::= "a")',
  'root ::= "a"\n  "b"',
  'root = "a"',
];

const PLAN_GRAMMARS: Array<[string, string]> = [
  ["all tools, default options", planGrammar(TOOLS)],
  ...TOOLS.map((tool): [string, string] => [`${tool.name} alone`, planGrammar([tool], { maxSteps: 3 })]),
  ["maxSteps 1", planGrammar(TOOLS, { maxSteps: 1 })],
  ["maxTextLength 2", planGrammar(TOOLS, { maxTextLength: 2 })],
  ["maxTextLength 1", planGrammar(TOOLS, { maxTextLength: 1 })],
  ["maxTextLength 0", planGrammar(TOOLS, { maxTextLength: 0 })],
  ["maxListItems 1", planGrammar(TOOLS, { maxListItems: 1 })],
  ["maxListItems 0", planGrammar(TOOLS, { maxListItems: 0 })],
];

function parsesHere(text: string): boolean {
  try {
    parseGbnf(text);
    return true;
  } catch {
    return false;
  }
}

let verdicts: boolean[] | undefined | null = null;

/** llama.cpp's verdict on every grammar above, computed once in a child process; undefined without llama. */
function llamaVerdicts(): boolean[] | undefined {
  if (verdicts !== null) return verdicts;
  const script = fileURLToPath(new URL("./llama-parse.mjs", import.meta.url));
  const grammars = [...SAMPLES, ...PLAN_GRAMMARS.map(([, text]) => text)];
  const child = spawnSync(process.execPath, [script], {
    input: JSON.stringify(grammars),
    encoding: "utf8",
    timeout: 60_000,
  });
  if (child.status === 3) verdicts = undefined;
  else if (child.status !== 0) throw new Error(`llama-parse.mjs failed (${child.status}): ${child.stderr}`);
  else verdicts = JSON.parse(child.stdout.trim().split("\n").pop()!) as boolean[];
  return verdicts;
}

describe("parseGbnf agrees with llama.cpp's grammar parser", () => {
  it("on small grammars, well-formed and not", (context) => {
    const llama = llamaVerdicts();
    if (!llama) return context.skip("no llama.cpp binary for this platform");
    const disagreements = SAMPLES.filter((text, i) => parsesHere(text) !== llama[i]);
    expect(disagreements).toEqual([]);
    // Both kinds are present, so agreement says something.
    expect(llama.slice(0, SAMPLES.length)).toContain(true);
    expect(llama.slice(0, SAMPLES.length)).toContain(false);
  });

  it("on planGrammar output", (context) => {
    const llama = llamaVerdicts();
    if (!llama) return context.skip("no llama.cpp binary for this platform");
    const verdictOf = (i: number) => ({
      here: parsesHere(PLAN_GRAMMARS[i]![1]),
      llama: llama[SAMPLES.length + i],
    });
    const table = Object.fromEntries(PLAN_GRAMMARS.map(([name], i) => [name, verdictOf(i)]));
    for (const [name, { here, llama: there }] of Object.entries(table)) expect(here, name).toBe(there);
    // Regression: tiny text bounds once wrote `{0,-1}`, which llama.cpp refuses.
    expect(table["maxTextLength 1"]).toEqual({ here: true, llama: true });
    expect(table["maxTextLength 0"]).toEqual({ here: true, llama: true });
    expect(table["all tools, default options"]).toEqual({ here: true, llama: true });
  });
});
