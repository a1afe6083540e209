import { readFile, writeFile } from "node:fs/promises";
import { format, resolveConfig } from "prettier";
import { formatValue, verdict, type Figure } from "./figure";

export const RESULTS_START = "<!-- bench:results:start -->";
export const RESULTS_END = "<!-- bench:results:end -->";

/** The results block of docs/results.md: the figures with budget and verdict, the machine and the models. */
export function resultsBlock(
  figures: readonly Figure[],
  about: { machine: string; models: string; date: string },
): string {
  const rows = figures
    .filter(
      (f) =>
        f.budget ||
        f.paper ||
        /\.(p50|median|with-grammar|without-grammar|peak-rss)$|^tinyllama-1\.1b\./.test(f.key),
    )
    .map(
      (f) =>
        `| ${f.label} | ${formatValue(f)} | ${f.budget?.text ?? ""} | ${verdict(f)} | ${f.paper ?? ""} |`,
    );
  return [
    RESULTS_START,
    `Measured by \`npm run bench -- --readme\` on ${about.date.slice(0, 10)}: ${about.machine}. Models: ${about.models}.`,
    "",
    "| Figure | Measured | Budget | | Paper |",
    "| --- | ---: | --- | --- | --- |",
    ...rows,
    RESULTS_END,
  ].join("\n");
}

/**
 * Replaces the marked block of a Markdown file (docs/results.md), which must already hold both markers. The
 * result is formatted with the project's Prettier settings, so `prettier --check` stays clean.
 */
export async function writeReadmeResults(path: string, block: string): Promise<void> {
  const text = await readFile(path, "utf8");
  const start = text.indexOf(RESULTS_START);
  const end = text.indexOf(RESULTS_END);
  if (start === -1 || end === -1 || end < start)
    throw new Error(`${path} has no ${RESULTS_START} … ${RESULTS_END} block to fill in`);
  const updated = text.slice(0, start) + block + text.slice(end + RESULTS_END.length);
  const options = (await resolveConfig(path)) ?? {};
  await writeFile(path, await format(updated, { ...options, filepath: path }));
}
