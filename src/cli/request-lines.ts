import { createInterface } from "node:readline";
import { stdout } from "./terminal-output";

/** What one request line turned into: the JSON line to print, and whether it counts as a success. */
export interface LineAnswer {
  record: unknown;
  ok: boolean;
}

/**
 * The `--jsonl` mode of `plan` and `tools`: one `{"query": ...}` object per line on standard input, one
 * JSON line per request on standard output, in order. A line that is not such an object gets an error
 * line instead of stopping the run. Exit status 1 when any line failed.
 */
export async function answerRequestLines(answer: (query: string) => Promise<LineAnswer>): Promise<number> {
  let failures = 0;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim() === "") continue;
    const query = queryOf(line);
    if (query === undefined) {
      failures++;
      writeLine({ query: null, error: 'each line must be a JSON object with a "query" string' });
      continue;
    }
    const { record, ok } = await answer(query);
    if (!ok) failures++;
    writeLine(record);
  }
  return failures === 0 ? 0 : 1;
}

function writeLine(record: unknown): void {
  stdout.json(record);
}

function queryOf(line: string): string | undefined {
  try {
    const query = (JSON.parse(line) as { query?: unknown } | null)?.query;
    return typeof query === "string" ? query : undefined;
  } catch {
    return undefined;
  }
}
