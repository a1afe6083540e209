import type { z } from "zod";
import { chooseOffered, type Choice } from "../backend";
import type * as tools from "../notes";
import { ToolError } from "../tool-error";
import { appleScriptText } from "./applescript-text";
import type { MacContext } from "./mac-context";
import { FIELD, parseRecords } from "./osascript";

/*
 * Notes through AppleScript, in every account (iCloud, On My Mac, Gmail, Exchange...), not only iCloud.
 *
 * How it works, and why:
 * - A listing script (no arguments, so nothing can be injected into it) prints every account's folders,
 *   nested ones included, and the id and title of every note in them. Which folder or note the person
 *   means is decided here in TypeScript, where it is tested; the action script then names the note by its
 *   `id`, never by title, so two notes with one title can never be confused.
 * - A note's body is HTML, and Notes takes a note's title from the first line of its body. Notes are
 *   created with the title as the first line of the body (`<div><h1>Title</h1></div>`) and no `name`
 *   property: the title is then the same whatever Notes does with `name` when both are given.
 * - Appending sets the body to the old body followed by new lines. Notes' scripting has no other way to
 *   add text, and writing the body back drops attachments, so a note with attachments is left alone and
 *   the person is told; locked notes cannot be read or written by scripts at all.
 */

const APP = "Notes";

/**
 * The folder that holds deleted notes. Scripting gives it no mark but its name (English here; Notes in
 * another language names it otherwise, and its notes are then listed like any other folder's).
 */
const TRASH_FOLDERS = new Set(["recently deleted"]);

/** More similar titles than this are not offered one by one. */
export const MAX_NOTE_CANDIDATES = 20;

export interface NoteFolder {
  id: string;
  name: string;
  account: string;
}

export interface NoteEntry {
  id: string;
  name: string;
  folder: NoteFolder;
}

export interface NotesListing {
  defaultAccount: string;
  defaultFolderId: string;
  /** Every folder of every account, the deleted-notes folder left out. */
  folders: NoteFolder[];
  /** Every note in those folders (empty when the listing asked for folders only). */
  notes: NoteEntry[];
}

// ---------------------------------------------------------------------------------------------------------
// Builders: the exact scripts the actions run (the dry-run recorder uses them too).

/** Lists accounts' folders and every note's id and title. Takes no arguments: nothing reaches it from outside. */
export function listNotesScript(): string {
  return inventoryScript(true);
}

/** Lists accounts' folders only: what create_note needs to find a folder by name. */
export function listNoteFoldersScript(): string {
  return inventoryScript(false);
}

/**
 * One record per line of the inventory: `default` (default account's name and default folder id), then per
 * folder `folder` (id, name, account) and, when asked, per note `note` (id, title, folder id). Folders are
 * walked from each account down through subfolders, each once (`seen`), whether or not an account's
 * `folders` already includes nested ones. Ids and titles come as one list per folder: two Apple events
 * per folder instead of two per note.
 */
function inventoryScript(withNotes: boolean): string {
  const notes = withNotes
    ? `
        set noteIds to id of notes of aFolder
        set noteNames to name of notes of aFolder
        repeat with i from 1 to count of noteIds
          set end of output to "note" & FS & (item i of noteIds) & FS & (item i of noteNames) & FS & folderId
        end repeat`
    : "";
  return `set FS to character id 31
set output to {}
tell application "Notes"
  try
    set end of output to "default" & FS & (name of default account) & FS & (id of default folder of default account)
  end try
  repeat with anAccount in accounts
    set accountName to name of anAccount
    set pending to folders of anAccount
    set seen to {}
    repeat while pending is not {}
      set aFolder to item 1 of pending
      set pending to rest of pending
      set folderId to id of aFolder
      if seen does not contain folderId then
        set end of seen to folderId
        set end of output to "folder" & FS & folderId & FS & (name of aFolder) & FS & accountName${notes}
        try
          set pending to pending & (folders of aFolder)
        end try
      end if
    end repeat
  end repeat
end tell
set AppleScript's text item delimiters to character id 30
return output as text`;
}

/**
 * Creates a note whose body is `noteBodyHtml(name, content)`, in the folder with `folderId`, or in the
 * default account's default folder when it is null. Prints the new note's id, its folder's name and (for
 * the default folder) the default account's name.
 */
export function createNoteScript(name: string, content: string, folderId: string | null): string {
  const body = appleScriptText(noteBodyHtml(name, content));
  const where =
    folderId === null
      ? `set theFolder to default folder of default account
  set accountName to name of default account`
      : `set theFolder to folder id ${appleScriptText(folderId)}
  set accountName to ""`;
  return `set FS to character id 31
tell application "Notes"
  ${where}
  set theNote to make new note at theFolder with properties {body:${body}}
  return (id of theNote) & FS & (name of theFolder) & FS & accountName
end tell`;
}

/**
 * Shows the note in Notes and prints `open` and its plain text, or `locked` when a password protects it
 * (Notes then asks for the password in its window; scripts cannot read it).
 */
export function openNoteScript(noteId: string): string {
  return `set FS to character id 31
tell application "Notes"
  set theNote to note id ${appleScriptText(noteId)}
  show theNote
  activate
  if password protected of theNote then return "locked"
  return "open" & FS & (plaintext of theNote)
end tell`;
}

/**
 * Adds `content` as new lines at the end of the note, unless it is locked or has attachments (writing the
 * body back would drop them): then it changes nothing and prints why.
 */
export function appendNoteScript(noteId: string, content: string): string {
  return `tell application "Notes"
  set theNote to note id ${appleScriptText(noteId)}
  if password protected of theNote then return "locked"
  if (count of attachments of theNote) > 0 then return "attachments"
  set body of theNote to (body of theNote) & ${appleScriptText(linesHtml(content))}
  return "appended"
end tell`;
}

// ---------------------------------------------------------------------------------------------------------
// Note text as Notes' HTML.

const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/u;

/** Text as HTML text: the three characters HTML reads as markup are escaped, everything else stays. */
export function escapeHtml(text: string): string {
  return text.replace(/&/gu, "&amp;").replace(/</gu, "&lt;").replace(/>/gu, "&gt;");
}

/** One `<div>` per line, as Notes writes lines itself; an empty line is `<div><br></div>`. "" has no lines. */
export function linesHtml(text: string): string {
  if (text === "") return "";
  return text
    .split(LINE_BREAK)
    .map((line) => (line === "" ? "<div><br></div>" : `<div>${escapeHtml(line)}</div>`))
    .join("");
}

/** A new note's body: the title as a heading on the first line (a title is one line), then the content. */
export function noteBodyHtml(name: string, content: string): string {
  const title = name.split(LINE_BREAK).join(" ");
  return `<div><h1>${escapeHtml(title)}</h1></div>${linesHtml(content)}`;
}

// ---------------------------------------------------------------------------------------------------------
// Reading script output.

/** Reads the inventory (see inventoryScript). A note listed twice keeps its deepest folder, the one listed last. */
export function parseNotesListing(output: string): NotesListing {
  let defaultAccount = "";
  let defaultFolderId = "";
  const folders = new Map<string, NoteFolder>();
  const notes = new Map<string, NoteEntry>();
  for (const [kind, ...fields] of parseRecords(output)) {
    if (kind === "default") {
      defaultAccount = fields[0] ?? "";
      defaultFolderId = fields[1] ?? "";
    } else if (kind === "folder") {
      const [id, name, account] = fields;
      if (id !== undefined && name !== undefined && account !== undefined)
        folders.set(id, { id, name, account });
    } else if (kind === "note") {
      const [id, name, folderId] = fields;
      const folder = folderId === undefined ? undefined : folders.get(folderId);
      if (id === undefined || name === undefined || !folder) continue;
      notes.delete(id);
      notes.set(id, { id, name, folder });
    }
  }
  const kept = (folder: NoteFolder) => !TRASH_FOLDERS.has(foldTitle(folder.name));
  return {
    defaultAccount,
    defaultFolderId,
    folders: [...folders.values()].filter(kept),
    notes: [...notes.values()].filter((note) => kept(note.folder)),
  };
}

/**
 * The text of an opened note. Notes' plain text starts with the title line; the observation is what the
 * note says below it.
 */
export function noteText(plaintext: string, title: string): string {
  const [first, ...rest] = plaintext.split(LINE_BREAK);
  if (first === undefined || foldTitle(first) !== foldTitle(title)) return plaintext;
  return rest.join("\n");
}

// ---------------------------------------------------------------------------------------------------------
// Matching.

/** Case, width and spacing do not make two titles different ("Meeting  notes" is "meeting notes"). */
export function foldTitle(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

/** "Work (On My Mac)": how a folder is named to the person, since two accounts may have the same folder. */
export function folderLabel(folder: NoteFolder): string {
  return `${folder.name} (${folder.account})`;
}

/** Folders named `name` (any case), in any account. */
export function matchFolders(folders: readonly NoteFolder[], name: string): NoteFolder[] {
  const wanted = foldTitle(name);
  return folders.filter((folder) => foldTitle(folder.name) === wanted);
}

/**
 * Notes whose title is `name` (any case); failing that, notes whose title contains every word of it, to be
 * offered as "did you mean" and never taken without asking.
 */
export function matchNotes(
  notes: readonly NoteEntry[],
  name: string,
): { exact: NoteEntry[]; similar: NoteEntry[] } {
  const wanted = foldTitle(name);
  if (wanted === "") return { exact: [], similar: [] };
  const exact = notes.filter((note) => foldTitle(note.name) === wanted);
  if (exact.length > 0) return { exact, similar: [] };
  const words = wanted.split(" ");
  const similar = notes.filter((note) => {
    const title = foldTitle(note.name);
    return words.every((word) => title.includes(word));
  });
  return { exact, similar };
}

// ---------------------------------------------------------------------------------------------------------
// Actions.

/** create_note: a new note with the title and content, in the named folder or the default one. */
export async function createNote(
  args: z.infer<typeof tools.createNote.args>,
  ctx: MacContext,
): Promise<string> {
  const folder = given(args.folder) ? await pickFolder(args.folder, ctx) : null;
  const output = await ctx.system.runScript(
    APP,
    createNoteScript(args.name, args.content, folder?.id ?? null),
    ctx.signal,
  );
  const [, folderName, accountName] = output.split(FIELD);
  const where = folder
    ? folderLabel(folder)
    : `${folderName ?? "Notes"} (${accountName ?? "default account"})`;
  return `Created the note "${args.name}" in ${where}.`;
}

/** open_note: shows the note in Notes and returns its text. */
export async function openNote(args: z.infer<typeof tools.openNote.args>, ctx: MacContext): Promise<string> {
  const note = await findNote(args.name, args.folder, ctx);
  const output = await ctx.system.runScript(APP, openNoteScript(note.id), ctx.signal);
  if (output === "locked") {
    throw new ToolError(
      "failed",
      `The note "${note.name}" is locked, so its text cannot be read. It is open in Notes: unlock it there.`,
      { invocations: [...ctx.invocations] },
    );
  }
  const separator = output.indexOf(FIELD);
  if (!output.startsWith("open") || separator < 0) throw unexpected(output, ctx);
  return noteText(output.slice(separator + 1), note.name);
}

/** append_note_content: adds the text at the end of an existing note. */
export async function appendNoteContent(
  args: z.infer<typeof tools.appendNoteContent.args>,
  ctx: MacContext,
): Promise<string> {
  const note = await findNote(args.name, args.folder, ctx);
  const output = await ctx.system.runScript(APP, appendNoteScript(note.id, args.content), ctx.signal);
  const invocations = { invocations: [...ctx.invocations] };
  switch (output) {
    case "appended":
      return `Added the text to the note "${note.name}" in ${folderLabel(note.folder)}.`;
    case "locked":
      throw new ToolError(
        "failed",
        `The note "${note.name}" is locked, so nothing was added. Unlock it in Notes, or add the text there yourself.`,
        invocations,
      );
    case "attachments":
      throw new ToolError(
        "failed",
        `Nothing was added to the note "${note.name}": it has attachments, which Notes would drop if TinyAgent rewrote it. Add the text in Notes yourself.`,
        invocations,
      );
    default:
      throw unexpected(output, ctx);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Finding what the person means.

async function listing(script: string, ctx: MacContext): Promise<NotesListing> {
  return parseNotesListing(await ctx.system.runScript(APP, script, ctx.signal));
}

/**
 * The folder named `name`. Several accounts may have one (a "Notes" folder in iCloud and On My Mac): the
 * default account's is the one meant when it is among them, else the person chooses.
 */
async function pickFolder(name: string, ctx: MacContext): Promise<NoteFolder> {
  const inventory = await listing(listNoteFoldersScript(), ctx);
  const matches = matchFolders(inventory.folders, name);
  if (matches.length === 0) throw unknownFolder(name, inventory, ctx);
  if (matches.length === 1) return matches[0]!;
  const inDefault = matches.filter((folder) => folder.account === inventory.defaultAccount);
  if (inDefault.length === 1) return inDefault[0]!;
  const choice: Choice = {
    question: `Several folders are named "${name}". Which one?`,
    options: matches.map((folder) => ({ label: folder.name, value: folder.id, detail: folder.account })),
  };
  const picked = await chooseOffered(ctx, choice);
  const folder = matches.find((candidate) => candidate.id === picked);
  if (folder) return folder;
  throw new ToolError(
    "ambiguous",
    `Several folders are named "${name}": ${matches.map(folderLabel).join(", ")}. Say which account to use.`,
    { invocations: [...ctx.invocations] },
  );
}

/**
 * The note the person means: the one titled `name` in the folder (any folder when none is given). Several
 * with that title, or none but similar titles: the person chooses; nothing is taken silently.
 */
async function findNote(name: string, folderName: string | null, ctx: MacContext): Promise<NoteEntry> {
  const inventory = await listing(listNotesScript(), ctx);
  let notes = inventory.notes;
  if (given(folderName)) {
    const folders = matchFolders(inventory.folders, folderName);
    if (folders.length === 0) throw unknownFolder(folderName, inventory, ctx);
    const ids = new Set(folders.map((folder) => folder.id));
    notes = notes.filter((note) => ids.has(note.folder.id));
  }
  const { exact, similar } = matchNotes(notes, name);
  if (exact.length === 1) return exact[0]!;
  const where = given(folderName) ? `the folder "${folderName}"` : "Notes";
  if (exact.length === 0 && similar.length === 0) {
    throw new ToolError(
      "not-found",
      `No note titled "${name}" in ${where}. Check the title, or create the note first.`,
      {
        invocations: [...ctx.invocations],
      },
    );
  }
  const candidates = exact.length > 0 ? exact : similar;
  const offered = candidates.slice(0, MAX_NOTE_CANDIDATES);
  const question =
    exact.length > 0
      ? `Several notes are titled "${name}". Which one?`
      : `No note is titled exactly "${name}". Did you mean one of these?`;
  const picked = await chooseOffered(ctx, {
    question,
    options: offered.map((note) => ({ label: note.name, value: note.id, detail: folderLabel(note.folder) })),
  });
  const note = offered.find((candidate) => candidate.id === picked);
  if (note) return note;
  throw new ToolError("ambiguous", ambiguousNotes(name, exact.length > 0, candidates), {
    invocations: [...ctx.invocations],
  });
}

function ambiguousNotes(name: string, sameTitle: boolean, candidates: readonly NoteEntry[]): string {
  const listed = candidates
    .slice(0, MAX_NOTE_CANDIDATES)
    .map((note) => `"${note.name}" in ${folderLabel(note.folder)}`)
    .join(", ");
  const more =
    candidates.length > MAX_NOTE_CANDIDATES ? ` and ${candidates.length - MAX_NOTE_CANDIDATES} more` : "";
  return sameTitle
    ? `Several notes are titled "${name}": ${listed}. Say which folder.`
    : `No note is titled exactly "${name}"; similar: ${listed}${more}. Say which one.`;
}

function unknownFolder(name: string, inventory: NotesListing, ctx: MacContext): ToolError {
  const folders = inventory.folders.map(folderLabel).join(", ");
  return new ToolError(
    "not-found",
    `There is no folder "${name}" in Notes. Folders: ${folders || "none"}. Use one of these, or create the folder in Notes first.`,
    { invocations: [...ctx.invocations] },
  );
}

/** A folder argument that names a folder: "", None and blanks mean the default (create) or any (open, append). */
function given(folder: string | null): folder is string {
  return folder !== null && folder.trim() !== "";
}

function unexpected(output: string, ctx: MacContext): ToolError {
  return new ToolError("failed", `Notes gave an answer TinyAgent did not expect: "${output.slice(0, 80)}".`, {
    invocations: [...ctx.invocations],
  });
}
