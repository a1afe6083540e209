/**
 * Writes src/agent/request/common-words.json: the words that are not people's names, for the contact
 * candidates of the micro prompt (src/agent/request/people.ts).
 *
 *   npx tsx training/planner/common-words.ts
 *
 * A word is common when it occurs (any case) in at least MIN_REQUESTS distinct requests of the synthetic
 * Tool RAG training split and never inside a contact looked up by those requests' plans: the generator's
 * template words ("email", "tomorrow", "about", "the"), not its names, whose pools it excludes by
 * construction. Deterministic: the same data gives the same file.
 */
import { readFileSync, writeFileSync } from "node:fs";

const MIN_REQUESTS = 15;
const OUT = "src/agent/request/common-words.json";

interface Line {
  query: string;
  plan: string;
}

const lines = readFileSync("data/toolrag/train.jsonl", "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "")
  .map((line) => JSON.parse(line) as Line);

const words = (text: string) => text.toLowerCase().match(/[\p{L}\p{M}][\p{L}\p{M}'’-]*/gu) ?? [];

const inNames = new Set<string>();
for (const line of lines)
  for (const match of line.plan.matchAll(/get_(?:phone_number|email_address)\("((?:[^"\\]|\\.)*)"\)/g))
    for (const word of words(match[1]!)) inNames.add(word);

const requests = new Map<string, number>();
for (const line of lines)
  for (const word of new Set(words(line.query))) requests.set(word, (requests.get(word) ?? 0) + 1);

const common = [...requests]
  .filter(([word, count]) => count >= MIN_REQUESTS && !inNames.has(word))
  .map(([word]) => word)
  .sort();
writeFileSync(OUT, `${JSON.stringify(common, null, 0)}\n`);
console.log(`${common.length} common words written to ${OUT}`);
