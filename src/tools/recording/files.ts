import type { z } from "zod";
import type { openAndGetFilePath, summarizePdf } from "../files";
import {
  approvedToOpen,
  basename,
  expandPath,
  fileKindCommand,
  fileModeCommand,
  findFilesByContentCommand,
  findFilesByNameCommand,
  isPersonalFile,
  matchRank,
  MAX_CHOICES,
  noLongerThere,
  openFileCommand,
  queryWords,
  rankCandidates,
  folderOf,
} from "../macos/files";
import { needsFileMode, openingRisk, type FileMode } from "../macos/opening-risk";
import { ToolError } from "../tool-error";
import type { FixtureWorld } from "./fixture-world";
import type { Recorder } from "./recorder";

/*
 * Files as src/tools/macos/files.ts handles them: an existing path is checked with `stat` and used as
 * given; otherwise Spotlight is asked by name, then by content, over the home folder (the fixture world
 * answers as Spotlight would), candidates are ranked the same way, a file whose name does not say what
 * it is gets its kind and permissions checked with `stat`, an app, a script or an installer is opened
 * only once the person approves it, and the file is opened with `open`.
 */

/** What `stat` would say about a path on the made-up Mac. */
export function fixtureFileKind(world: FixtureWorld, path: string): "file" | "folder" | "missing" {
  const trimmed = path.replace(/(.)\/+$/, "$1");
  if (world.files.some((file) => file.path === trimmed)) return "file";
  const isFolder =
    trimmed === "/" ||
    trimmed === world.home ||
    world.files.some((file) => file.path.startsWith(`${trimmed}/`));
  return isFolder ? "folder" : "missing";
}

/** Spotlight's comparison of names and text: any case, any accents. */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Files under the home folder whose name contains every word (`kMDItemFSName == "*word*"cd`). */
function spotlightByName(world: FixtureWorld, name: string): string[] {
  const words = queryWords(name).map(fold);
  return homeFiles(world)
    .filter((file) => words.every((word) => fold(basename(file.path)).includes(word)))
    .map((file) => file.path);
}

/** Files under the home folder whose text has every word as a word (`kMDItemTextContent == "word"cdw`). */
function spotlightByContent(world: FixtureWorld, text: string): string[] {
  const words = queryWords(text).map(fold);
  const asWord = (word: string) =>
    new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(?![\\p{L}\\p{N}])`, "u");
  return homeFiles(world)
    .filter((file) => file.text !== undefined && words.every((word) => asWord(word).test(fold(file.text!))))
    .map((file) => file.path);
}

function homeFiles(world: FixtureWorld) {
  return world.files.filter(
    (file) => file.path.startsWith(`${world.home}/`) && isPersonalFile(file.path, world.home),
  );
}

const PATH_LIKE = /^(\/|~\/|file:\/\/)/;

export async function findAndOpenFile(
  recorder: Recorder,
  args: z.infer<typeof openAndGetFilePath.args>,
): Promise<string> {
  const { world } = recorder;
  const wanted = args.file_name.trim();
  if (queryWords(wanted).length === 0) {
    throw recorder.error("not-found", "No file name was given. Say which file to open.");
  }
  let path: string | undefined;
  if (PATH_LIKE.test(wanted)) {
    const expanded = expandPath(wanted, world.home);
    if (expanded.startsWith("/")) {
      recorder.command(fileKindCommand(expanded));
      if (fixtureFileKind(world, expanded) !== "missing") path = expanded;
    }
  }
  path ??= await searchFile(recorder, wanted, args.file_name);
  let mode: FileMode | undefined;
  if (needsFileMode(path)) {
    recorder.command(fileModeCommand(path));
    mode = fixtureFileMode(world, path);
    if (!mode) throw recorder.error("not-found", noLongerThere(path));
  }
  const approved = await approvedToOpen(path, openingRisk(path, mode), {
    confirm: (request) => recorder.confirm(request),
    exists: async (other) => {
      recorder.command(fileKindCommand(other));
      return fixtureFileKind(world, other) !== "missing";
    },
    home: world.home,
  });
  recorder.command(openFileCommand(approved));
  return approved;
}

/** What `stat -f "%Lp %HT"` would say about a path on the made-up Mac. */
export function fixtureFileMode(world: FixtureWorld, path: string): FileMode | undefined {
  const file = world.files.find((candidate) => candidate.path === path.replace(/(.)\/+$/, "$1"));
  if (file) return { permissions: file.permissions ?? 0o644, kind: file.kind ?? "Regular File" };
  return fixtureFileKind(world, path) === "folder" ? { permissions: 0o755, kind: "Directory" } : undefined;
}

async function searchFile(recorder: Recorder, wanted: string, asked: string): Promise<string> {
  const { world } = recorder;
  const name = PATH_LIKE.test(wanted) ? basename(expandPath(wanted, world.home)) || wanted : wanted;
  recorder.command(findFilesByNameCommand(name, world.home));
  let found = rankCandidates(spotlightByName(world, name), name);
  let how = "name";
  if (found.length === 0) {
    recorder.command(findFilesByContentCommand(name, world.home));
    found = rankCandidates(spotlightByContent(world, name), name);
    how = "content";
  }
  if (found.length === 0) {
    throw recorder.error(
      "not-found",
      `No file matching "${asked}" was found by Spotlight. Check the name, or give the full path.`,
    );
  }
  const exact = found.filter((path) => matchRank(path, name) <= 1);
  if (found.length === 1) return found[0]!;
  if (exact.length === 1) return exact[0]!;
  const offered = found.slice(0, MAX_CHOICES);
  const more = found.length - offered.length;
  const picked = await recorder.choose({
    question:
      `${found.length} files match "${name}" by ${how}` +
      (more > 0 ? ` (the ${offered.length} closest are shown)` : "") +
      ". Which one?",
    options: offered.map((path) => ({
      label: basename(path),
      value: path,
      detail: folderOf(path, world.home),
    })),
  });
  if (picked !== undefined) return picked;
  throw recorder.error(
    "ambiguous",
    `Several files match "${asked}": ${offered.join(", ")}${more > 0 ? ` and ${more} more` : ""}. Say which one.`,
  );
}

/**
 * summarize_pdf. The Mac backend reads the file's bytes, which is not an invocation (nothing runs), and
 * summarizes them in-process: so nothing is recorded. The fixture's summary is the PDF's first sentences.
 */
export function summarizePdfFile(recorder: Recorder, args: z.infer<typeof summarizePdf.args>): string {
  const path = expandPath(args.pdf_path, recorder.world.home);
  if (!path.startsWith("/")) {
    throw recorder.error(
      "not-found",
      `"${args.pdf_path}" is not a full path. Find the file first with open_and_get_file_path.`,
    );
  }
  const file = recorder.world.files.find((candidate) => candidate.path === path);
  if (!file) {
    const kind = fixtureFileKind(recorder.world, path);
    if (kind === "folder") {
      throw new ToolError("failed", `${basename(path)} is a folder, not a PDF. Give the path of a PDF file.`);
    }
    throw new ToolError(
      "not-found",
      `There is no file at ${path}. Find it first with open_and_get_file_path.`,
    );
  }
  if (!path.toLowerCase().endsWith(".pdf") || file.text === undefined) {
    throw new ToolError("failed", `${basename(path)} is not a PDF, so it cannot be summarized.`);
  }
  const sentences = file.text.match(/[^.!?]+[.!?]/g) ?? [file.text];
  return sentences.slice(0, 2).join("").trim();
}
