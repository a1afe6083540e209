import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readEvalData, type EvalRequest } from "../../src/agent/eval/eval-data";

const DATA = join(import.meta.dirname, "..", "..", "data", "toolrag");

/** Synthetic requests with ground-truth plans (the Tool RAG test split), in domain only. */
export function plannedRequests(limit: number): EvalRequest[] {
  const { requests } = readEvalData(readFileSync(join(DATA, "test.jsonl"), "utf8"));
  return requests.filter((request) => request.truth !== undefined).slice(0, limit);
}

/** Requests written by hand the way people type (natural-dev), in domain only: the realistic set. */
export function naturalQueries(): string[] {
  return readFileSync(join(DATA, "natural-dev.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as { query: string; tools: string[] })
    .filter((line) => line.tools.length > 0)
    .map((line) => line.query);
}
