import { homedir } from "node:os";
import { fileURLToPath } from "node:url";
import type { z } from "zod";
import { chooseOffered, type Choice, type Invocation, type ToolContext } from "../backend";
import type { openAndGetFilePath, summarizePdf } from "../files";
import { ToolError, type SettingsPane } from "../tool-error";
import type { MacContext } from "./mac-context";
import { needsFileMode, openingRisk, parseFileMode, type FileMode } from "./opening-risk";
import { extractPdfText, PAGE_SEPARATOR, PdfTextError, type PdfText } from "./pdf-text";

/**
 * Files: find a file with Spotlight (`mdfind`) and open it, and summarize a PDF. Programs run with an
 * argument list, never through a shell; what the person typed reaches Spotlight only inside quoted,
 * escaped query values (see `spotlightValue`).
 */

export type CommandInvocation = Extract<Invocation, { kind: "command" }>;

export const MDFIND = "/usr/bin/mdfind";
export const OPEN = "/usr/bin/open";
export const STAT = "/usr/bin/stat";

/** Most files offered when several match: a longer list is harder to choose from than to narrow down. */
export const MAX_CHOICES = 8;
/** Words of a request used in a query; Spotlight slows down and matches less with each one. */
const MAX_QUERY_WORDS = 8;

const FILES_AND_FOLDERS: SettingsPane = {
  name: "Privacy & Security › Files and Folders",
  url: "x-apple.systempreferences:com.apple.preference.security?Privacy_FilesAndFolders",
};

// ---------------------------------------------------------------------------------------------------------
// Builders: exactly what runs. Pure, so a dry run can show the same commands.

/**
 * A text as a quoted Spotlight query value. Inside the quotes `\` escapes the next character: quotes and
 * backslashes are escaped so they cannot end the value, and `*` (Spotlight's wildcard) so it matches
 * itself. `anywhere` adds unescaped wildcards around the text, to match it inside a longer name. Control
 * characters never get here: `queryWords` splits on them.
 */
export function spotlightValue(text: string, anywhere = false): string {
  const wildcard = anywhere ? "*" : "";
  return `"${wildcard}${text.replace(/[\\"*]/g, (char) => `\\${char}`)}${wildcard}"`;
}

/**
 * The words of a request, as Spotlight values are made from: split on white space and control characters
 * (which no file name the person typed contains, and which cannot be passed in an argument anyway).
 */
export function queryWords(text: string): string[] {
  return text
    .normalize("NFC")
    .split(/[\s\p{Cc}]+/u)
    .filter((word) => word !== "")
    .slice(0, MAX_QUERY_WORDS);
}

/**
 * Files whose name contains every word (any case, any accents): "q3 deck" finds "Q3-Deck final.key".
 * A query expression rather than `mdfind -name TEXT`, because mdfind's option parsing of a value starting
 * with "-" is undocumented; an expression always starts with the attribute name.
 */
export function spotlightNameQuery(fileName: string): string {
  return queryWords(fileName)
    .map((word) => `kMDItemFSName == ${spotlightValue(word, true)}cd`)
    .join(" && ");
}

/**
 * Files whose text contains every word (whole words, any case, any accents), used when no name matches.
 */
export function spotlightContentQuery(text: string): string {
  return queryWords(text)
    .map((word) => `kMDItemTextContent == ${spotlightValue(word)}cdw`)
    .join(" && ");
}

/** `mdfind` over the person's home folder; `-0` separates paths with NUL, which no path contains. */
export function spotlightCommand(query: string, home: string): CommandInvocation {
  return { kind: "command", file: MDFIND, argv: ["-0", "-onlyin", home, query] };
}

export function findFilesByNameCommand(fileName: string, home: string): CommandInvocation {
  return spotlightCommand(spotlightNameQuery(fileName), home);
}

export function findFilesByContentCommand(text: string, home: string): CommandInvocation {
  return spotlightCommand(spotlightContentQuery(text), home);
}

/** Opens a file in its default app. Paths given here are absolute, so none can be read as an option. */
export function openFileCommand(path: string): CommandInvocation {
  return { kind: "command", file: OPEN, argv: [path] };
}

/**
 * Checks that a path names a file and says what kind ("Regular File", "Directory"), following symbolic
 * links. `--` ends the options, so even a path starting with "-" would be read as a path.
 */
export function fileKindCommand(path: string): CommandInvocation {
  return { kind: "command", file: STAT, argv: ["-L", "-f", "%HT", "--", path] };
}

/**
 * The kind and permission bits of a path (`644 Regular File`, `755 Symbolic Link`), not following a
 * symbolic link: a link opens as whatever it points at, so it must be seen as a link (opening-risk.ts).
 */
export function fileModeCommand(path: string): CommandInvocation {
  return { kind: "command", file: STAT, argv: ["-f", "%Lp %HT", "--", path] };
}

// ---------------------------------------------------------------------------------------------------------
// Paths

/**
 * The absolute path a plan means: `~/…` is the home folder and `file://` URLs become paths, because
 * planners write both and neither a program nor the file system expands them. Anything else is returned
 * as it is; callers check it is absolute.
 */
export function expandPath(path: string, home: string = homedir()): string {
  const trimmed = path.trim();
  if (trimmed === "~") return home;
  if (trimmed.startsWith("~/")) return `${home.replace(/\/+$/, "")}/${trimmed.slice(2)}`;
  if (trimmed.startsWith("file://")) {
    try {
      return fileURLToPath(trimmed);
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

export function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, "");
  return trimmed.slice(trimmed.lastIndexOf("/") + 1);
}

export function folderOf(path: string, home: string): string {
  const folder = path.slice(0, path.lastIndexOf("/")) || "/";
  return folder === home || folder.startsWith(`${home}/`) ? `~${folder.slice(home.length)}` : folder;
}

/** What `stat -f %HT` said about a path, or "missing" when it failed (no such file, or no access). */
export async function fileKind(path: string, ctx: MacContext): Promise<"file" | "folder" | "missing"> {
  const command = fileKindCommand(path);
  try {
    const kind = (await ctx.system.execFile(command.file, command.argv, ctx.signal)).trim();
    return kind === "Directory" ? "folder" : "file";
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return "missing";
  }
}

// ---------------------------------------------------------------------------------------------------------
// open_and_get_file_path

type OpenArgs = z.infer<typeof openAndGetFilePath.args>;

/**
 * Finds the file the person means and opens it; the observation is its full path, for later steps. A path
 * that exists is used as given; otherwise Spotlight searches the home folder by name, then by content.
 * One exact name match wins; several candidates are offered to choose from, never guessed. Finding is
 * free; opening an app, a script, an installer or a link (opening-risk.ts) waits for the person's
 * approval of the file's full path.
 */
export async function findAndOpenFile(args: OpenArgs, ctx: MacContext, home = homedir()): Promise<string> {
  const wanted = args.file_name.trim();
  if (queryWords(wanted).length === 0) {
    throw new ToolError("not-found", "No file name was given. Say which file to open.", {
      invocations: [...ctx.invocations],
    });
  }
  const found = (await existingPath(wanted, ctx, home)) ?? (await searchFile(wanted, ctx, home));
  const mode = needsFileMode(found) ? await fileMode(found, ctx) : undefined;
  const path = await approvedToOpen(found, openingRisk(found, mode), {
    ...(ctx.confirm ? { confirm: ctx.confirm } : {}),
    exists: async (other) => (await fileKind(other, ctx)) !== "missing",
    home,
  });
  const open = openFileCommand(path);
  try {
    await ctx.system.execFile(open.file, open.argv, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new ToolError(
      "failed",
      `Found ${path}, but macOS could not open it. Is there an app for this kind of file?`,
      { invocations: [...ctx.invocations], cause: error },
    );
  }
  return path;
}

/** What `fileModeCommand` says about a file that was found; not-found when stat fails. */
async function fileMode(path: string, ctx: MacContext): Promise<FileMode> {
  const command = fileModeCommand(path);
  let output: string;
  try {
    output = await ctx.system.execFile(command.file, command.argv, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new ToolError("not-found", noLongerThere(path), {
      invocations: [...ctx.invocations],
      cause: error,
    });
  }
  const mode = parseFileMode(output);
  if (mode) return mode;
  throw new ToolError(
    "failed",
    `Could not tell what kind of file ${path} is (stat said "${output.trim()}").`,
    {
      invocations: [...ctx.invocations],
    },
  );
}

export function noLongerThere(path: string): string {
  return `Found ${path}, but it is no longer there or cannot be read. Check the file in Finder, or give its full path.`;
}

/** How a backend asks about opening a file that runs code, and checks a path the person gave instead. */
export interface OpeningApproval {
  confirm?: ToolContext["confirm"];
  /** Whether a path names an existing file or folder. */
  exists(path: string): Promise<boolean>;
  home: string;
}

/**
 * The file to open: the one found when opening it is harmless (`risk` undefined); else the one the person
 * approved, shown by its full path. A person who edits the path names the file they want opened: it must
 * exist, and is opened as written. Declined, or with no one to ask, nothing is opened.
 */
export async function approvedToOpen(
  found: string,
  risk: string | undefined,
  approval: OpeningApproval,
): Promise<string> {
  if (risk === undefined) return found;
  const approved = await approval.confirm?.({ args: { file_name: found }, reason: risk });
  if (!approved) {
    throw new ToolError("cancelled", `Did not open ${found}: ${risk} It opens only once you approve it.`);
  }
  const given = typeof approved.file_name === "string" ? approved.file_name.trim() : "";
  if (given === found) return found;
  const path = expandPath(given, approval.home);
  if (!path.startsWith("/") || !(await approval.exists(path))) {
    throw new ToolError(
      "not-found",
      `There is no file at "${given}". Give the full path of the file to open.`,
    );
  }
  return path;
}

/** The request itself when it is the path of an existing file ("~/Documents/plan.pdf"). */
async function existingPath(wanted: string, ctx: MacContext, home: string): Promise<string | undefined> {
  if (!/^(\/|~\/|file:\/\/)/.test(wanted)) return undefined;
  const path = expandPath(wanted, home);
  if (!path.startsWith("/")) return undefined;
  return (await fileKind(path, ctx)) === "missing" ? undefined : path;
}

async function searchFile(wanted: string, ctx: MacContext, home: string): Promise<string> {
  // A path that does not exist is still a good hint: search for its last part.
  const name = /^(\/|~\/|file:\/\/)/.test(wanted) ? basename(expandPath(wanted, home)) || wanted : wanted;
  let found = rankCandidates(await spotlight(findFilesByNameCommand(name, home), ctx, home), name);
  let how = "name";
  if (found.length === 0) {
    found = rankCandidates(await spotlight(findFilesByContentCommand(name, home), ctx, home), name);
    how = "content";
  }
  if (found.length === 0) {
    throw new ToolError(
      "not-found",
      `Spotlight found no file named like "${name}" or containing those words in your home folder. Check the name, or give the file's full path.`,
      { invocations: [...ctx.invocations] },
    );
  }
  return pickCandidate(found, name, how, ctx, home);
}

async function spotlight(command: CommandInvocation, ctx: MacContext, home: string): Promise<string[]> {
  let output: string;
  try {
    output = await ctx.system.execFile(command.file, command.argv, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    throw new ToolError(
      "unavailable",
      `Spotlight could not search (${error instanceof Error ? error.message : String(error)}). Check that Spotlight is turned on in System Settings › Spotlight, or give the file's full path.`,
      { invocations: [...ctx.invocations], cause: error },
    );
  }
  return parseSpotlightOutput(output).filter((path) => isPersonalFile(path, home));
}

/** mdfind's `-0` output: paths separated (and ended) by NUL. Newline-separated output is read too. */
export function parseSpotlightOutput(output: string): string[] {
  const separator = output.includes("\0") ? "\0" : "\n";
  return [...new Set(output.split(separator).filter((path) => path.startsWith("/")))];
}

/** Bundles whose insides are an app's own files, not the person's documents. */
const PACKAGE = /\.(app|bundle|framework|photoslibrary|musiclibrary|tvlibrary|plugin|kext)$/i;

/**
 * Files the person would think of as theirs: not inside hidden folders, ~/Library (app data, caches, mail
 * stores) or app and library bundles, which Spotlight also indexes.
 */
export function isPersonalFile(path: string, home: string): boolean {
  if (!path.startsWith(`${home}/`)) return true;
  const parts = path.slice(home.length + 1).split("/");
  if (parts[0] === "Library") return false;
  return parts.every((part, index) => {
    if (part.startsWith(".")) return false;
    return index === parts.length - 1 || !PACKAGE.test(part);
  });
}

/** Compares names the way a person does: case, accents' encoding and separators do not matter. */
function looseName(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\s_.-]+/g, " ")
    .trim();
}

function stripExtension(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) : name;
}

/**
 * How well a path's name matches the request: 0 exactly (with or without its extension), 1 exactly but
 * for case and separators, 2 containing the request as a phrase, 3 otherwise (every word somewhere, or
 * found by content).
 */
export function matchRank(path: string, wanted: string): number {
  const name = basename(path).normalize("NFC");
  const target = wanted.trim().normalize("NFC");
  if (name === target || stripExtension(name) === target) return 0;
  const loose = looseName(target);
  if (looseName(name) === loose || looseName(stripExtension(name)) === loose) return 1;
  if (looseName(name).includes(loose)) return 2;
  return 3;
}

/** Best matches first; among equals, shorter names (closer to the request), then by path for a stable order. */
export function rankCandidates(paths: readonly string[], wanted: string): string[] {
  return paths
    .map((path) => ({ path, rank: matchRank(path, wanted), length: basename(path).length }))
    .sort(
      (a, b) => a.rank - b.rank || a.length - b.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0),
    )
    .map((candidate) => candidate.path);
}

async function pickCandidate(
  ranked: string[],
  wanted: string,
  how: string,
  ctx: MacContext,
  home: string,
): Promise<string> {
  // One candidate, or one whose name is the request itself, is what the person meant; otherwise ask.
  const exact = ranked.filter((path) => matchRank(path, wanted) <= 1);
  if (ranked.length === 1) return ranked[0]!;
  if (exact.length === 1) return exact[0]!;
  const offered = ranked.slice(0, MAX_CHOICES);
  const more = ranked.length - offered.length;
  const choice: Choice = {
    question:
      `${ranked.length} files match "${wanted}" by ${how}` +
      (more > 0 ? ` (the ${offered.length} closest are shown)` : "") +
      ". Which one?",
    options: offered.map((path) => ({ label: basename(path), value: path, detail: folderOf(path, home) })),
  };
  const picked = await chooseOffered(ctx, choice);
  if (picked !== undefined) return picked;
  throw new ToolError(
    "ambiguous",
    `${ranked.length} files match "${wanted}": ${offered.join(", ")}${more > 0 ? ` and ${more} more` : ""}. Say which one, or give its full path.`,
    { invocations: [...ctx.invocations] },
  );
}

// ---------------------------------------------------------------------------------------------------------
// summarize_pdf

type SummarizeArgs = z.infer<typeof summarizePdf.args>;

/** Pages read for a summary: the opening of a long document says what it is about. */
export const MAX_PAGES = 100;
/** Text handed to the local model; the writer fits it to the model's context. */
export const MAX_WRITER_INPUT = 16_000;
/** Length of an extractive summary. */
export const SUMMARY_CHARS = 600;

/**
 * Reads a PDF's text and summarizes it: with the planner's model when it is one that can write (the
 * writer; none for TinyAgent-micro), else by picking the document's most representative sentences. The observation is the summary alone, so later steps can
 * use it as text.
 */
export async function summarizePdfFile(
  args: SummarizeArgs,
  ctx: MacContext,
  home = homedir(),
): Promise<string> {
  const path = expandPath(args.pdf_path, home);
  const name = basename(path) || path;
  if (!path.startsWith("/")) {
    throw new ToolError(
      "not-found",
      `"${args.pdf_path}" is not a full path. Find the file first with open_and_get_file_path.`,
      { invocations: [...ctx.invocations] },
    );
  }
  const bytes = await readPdfBytes(path, name, ctx);
  const pdf = await readPdfText(bytes, name, ctx);
  const text = pdf.text.split(PAGE_SEPARATOR).join("\n\n").trim();
  const summary = (await writtenSummary(text, ctx)) ?? extractiveSummary(pdf.text);
  return pdf.pagesRead < pdf.pages
    ? `${summary} (From the first ${pdf.pagesRead} of ${pdf.pages} pages.)`
    : summary;
}

async function readPdfBytes(path: string, name: string, ctx: MacContext): Promise<Uint8Array> {
  try {
    return await ctx.system.readFile(path, ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw cancelled(ctx);
    const options = { invocations: [...ctx.invocations], cause: error };
    switch ((error as { code?: unknown } | null)?.code) {
      case "ENOENT":
      case "ENOTDIR":
        throw new ToolError(
          "not-found",
          `There is no file at ${path}. Find it first with open_and_get_file_path.`,
          options,
        );
      case "EISDIR":
        throw new ToolError(
          "failed",
          `${name} is a folder, not a PDF. Give the path of a PDF file.`,
          options,
        );
      case "EACCES":
      case "EPERM":
        throw new ToolError(
          "permission",
          `macOS did not let TinyAgent read ${path}. Allow Raycast (or your terminal) in System Settings › ${FILES_AND_FOLDERS.name}, or give it Full Disk Access, then try again.`,
          { ...options, settings: FILES_AND_FOLDERS },
        );
      default:
        throw new ToolError(
          "failed",
          `Could not read ${path}: ${error instanceof Error ? error.message : String(error)}.`,
          options,
        );
    }
  }
}

async function readPdfText(bytes: Uint8Array, name: string, ctx: MacContext): Promise<PdfText> {
  let pdf: PdfText;
  try {
    pdf = await extractPdfText(bytes, { signal: ctx.signal, maxPages: MAX_PAGES });
  } catch (error) {
    if (ctx.signal.aborted) throw cancelled(ctx);
    throw pdfError(error, name, ctx);
  }
  if (pdf.text.replace(/\s+/g, "") === "") {
    throw new ToolError(
      "failed",
      `${name} has no text to read: it is probably a scanned image. Make a searchable copy with a text recognition (OCR) app, then summarize that.`,
      { invocations: [...ctx.invocations] },
    );
  }
  return pdf;
}

function pdfError(error: unknown, name: string, ctx: MacContext): ToolError {
  const options = { invocations: [...ctx.invocations], cause: error };
  const problem = error instanceof PdfTextError ? error.problem : "unreadable";
  switch (problem) {
    case "not-pdf":
      return new ToolError("failed", `${name} is not a PDF, so it cannot be summarized.`, options);
    case "encrypted":
      return new ToolError(
        "failed",
        `${name} is protected by a password. Open it in Preview, export a copy without a password, and summarize that.`,
        options,
      );
    case "unreadable":
      return new ToolError(
        "failed",
        `${name} could not be read; it may be damaged. Open it in Preview to check it. (${error instanceof Error ? error.message : String(error)})`,
        options,
      );
  }
}

/**
 * The local model's summary, or undefined without a model. A model that fails or says nothing falls back
 * to the extractive summary: the person still gets one, and the document is not sent anywhere else.
 */
async function writtenSummary(text: string, ctx: MacContext): Promise<string | undefined> {
  if (!ctx.writer) return undefined;
  try {
    const summary = (
      await ctx.writer.write("pdf-summary", text.slice(0, MAX_WRITER_INPUT), ctx.signal)
    ).trim();
    return summary === "" ? undefined : summary;
  } catch {
    if (ctx.signal.aborted) throw cancelled(ctx);
    return undefined;
  }
}

function cancelled(ctx: MacContext): ToolError {
  return new ToolError("cancelled", "Stopped reading the PDF: the run was cancelled.", {
    invocations: [...ctx.invocations],
  });
}

// ---------------------------------------------------------------------------------------------------------
// Extractive summary

/** Frequent English words that say nothing about a document's subject. */
const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are as at be because been before being below " +
    "between both but by can could did do does doing down during each few for from further had has have " +
    "having he her here hers herself him himself his how however i if in into is it its itself just may me " +
    "might more most must my myself no nor not now of off on once only or other our ours ourselves out over " +
    "own same shall she should so some such than that the their theirs them themselves then there these " +
    "they this those through to too under until up upon us very was we were what when where which while " +
    "who whom why will with within without would you your yours yourself yourselves one two also et al " +
    "page figure table see use used using"
  ).split(" "),
);

const WORD = /[\p{L}\p{N}][\p{L}\p{M}\p{N}'’]*/gu;
/** Sentences shorter than this are headings, captions or page furniture. */
const MIN_WORDS = 5;
/** Sentences longer than this are usually run-together lists or tables. */
const MAX_WORDS = 80;
const SUMMARY_SENTENCES = 3;

interface Sentence {
  text: string;
  index: number;
  words: string[];
}

/**
 * A summary made of the document's own sentences: each sentence is scored by how frequent its content
 * words are in the whole text (stop words removed, divided by the square root of its length so long
 * sentences do not win by size alone), and the best three are kept in their original order, up to about
 * 600 characters. Headers and footers repeated on most pages are removed first, as they would otherwise
 * dominate the counts.
 */
export function extractiveSummary(text: string, maxChars = SUMMARY_CHARS): string {
  const sentences = splitSentences(removeRepeatedLines(text));
  const eligible = sentences.filter((s) => s.words.length >= MIN_WORDS && s.words.length <= MAX_WORDS);
  const pool = eligible.length > 0 ? eligible : sentences;
  if (pool.length === 0) return truncate(text.replace(/\s+/g, " ").trim(), maxChars);
  const frequency = wordFrequencies(pool);
  const scored = pool
    .map((sentence) => ({ sentence, score: score(sentence, frequency) }))
    .sort((a, b) => b.score - a.score || a.sentence.index - b.sentence.index);
  const kept: Sentence[] = [];
  let length = 0;
  for (const { sentence } of scored) {
    if (kept.length === SUMMARY_SENTENCES) break;
    const added = sentence.text.length + (kept.length > 0 ? 1 : 0);
    if (length + added > maxChars) continue;
    kept.push(sentence);
    length += added;
  }
  if (kept.length === 0) return truncate(scored[0]!.sentence.text, maxChars);
  return kept
    .sort((a, b) => a.index - b.index)
    .map((s) => s.text)
    .join(" ");
}

/** Drops lines found on more than half of the pages (running headers, footers, page numbers). */
function removeRepeatedLines(text: string): string {
  const pages = text.split(PAGE_SEPARATOR);
  // Pages join with a plain line break: a sentence often runs on from one page to the next.
  if (pages.length < 3) return pages.join("\n");
  const key = (line: string) => line.replace(/\d+/g, "#").replace(/\s+/g, " ").trim().toLowerCase();
  const counts = new Map<string, number>();
  for (const page of pages) {
    for (const line of new Set(page.split("\n").map(key))) counts.set(line, (counts.get(line) ?? 0) + 1);
  }
  const repeated = (line: string) => {
    const k = key(line);
    return k !== "" && (counts.get(k) ?? 0) > pages.length / 2;
  };
  return pages
    .map((page) =>
      page
        .split("\n")
        .filter((line) => !repeated(line))
        .join("\n"),
    )
    .join("\n\n");
}

/**
 * Sentences of PDF text, from its paragraphs (see `paragraphs`). Sentence boundaries come from
 * Intl.Segmenter with a fixed locale, so the result does not depend on the system's language.
 */
function splitSentences(text: string): Sentence[] {
  const segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
  const sentences: Sentence[] = [];
  for (const paragraph of paragraphs(text)) {
    for (const { segment } of segmenter.segment(paragraph)) {
      const sentence = segment.trim();
      if (sentence === "") continue;
      const words = (sentence.toLowerCase().match(WORD) ?? []) as string[];
      sentences.push({ text: sentence, index: sentences.length, words });
    }
  }
  return sentences;
}

/**
 * PDF text breaks lines where the page did. Lines are joined back into paragraphs (a word hyphenated
 * across a line break is rejoined); a blank line ends a paragraph, and so does a heading: a line much
 * shorter than the body text, without closing punctuation, followed by a capitalized line. Without that,
 * a title would run into the first sentence after it.
 */
export function paragraphs(text: string): string[] {
  const lines = text
    .replace(/\r\n?/g, "\n")
    .split(/[\n\f]/)
    .map((line) => line.replace(/\s+/g, " ").trim());
  const lengths = lines.map((line) => line.length).filter((length) => length > 0);
  lengths.sort((a, b) => a - b);
  const bodyLength = lengths[Math.floor(lengths.length * 0.75)] ?? 0;
  const result: string[] = [];
  let current = "";
  const flush = () => {
    if (current !== "") result.push(current);
    current = "";
  };
  lines.forEach((line, index) => {
    if (line === "") return flush();
    current = joinLines(current, line);
    const next = lines[index + 1] ?? "";
    const heading =
      line.length < bodyLength * 0.6 && !/[.!?:;,\-–—]$/.test(line) && /^[\p{Lu}\p{N}]/u.test(next);
    if (heading) flush();
  });
  flush();
  return result;
}

function joinLines(before: string, line: string): string {
  if (before === "") return line;
  if (/\p{L}-$/u.test(before) && /^\p{Ll}/u.test(line)) return before.slice(0, -1) + line;
  return `${before} ${line}`;
}

function isContentWord(word: string): boolean {
  return word.length > 1 && !STOP_WORDS.has(word) && !/^\p{N}+$/u.test(word);
}

function wordFrequencies(sentences: readonly Sentence[]): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const sentence of sentences) {
    for (const word of sentence.words) {
      if (isContentWord(word)) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
  }
  return frequency;
}

function score(sentence: Sentence, frequency: Map<string, number>): number {
  const content = sentence.words.filter(isContentWord);
  if (content.length === 0) return 0;
  const total = content.reduce((sum, word) => sum + (frequency.get(word) ?? 0), 0);
  return total / Math.sqrt(content.length);
}

/** Cuts at a word boundary and marks the cut. */
function truncate(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  const cut = text.slice(0, maxChars - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > maxChars / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
