import type { z } from "zod";
import {
  appendNoteScript,
  createNoteScript,
  folderLabel,
  listNoteFoldersScript,
  listNotesScript,
  matchFolders,
  matchNotes,
  MAX_NOTE_CANDIDATES,
  openNoteScript,
  type NoteEntry,
  type NoteFolder,
} from "../macos/notes";
import type { appendNoteContent, createNote, openNote } from "../notes";
import type { FixtureWorld, Note } from "./fixture-world";
import type { Recorder } from "./recorder";

/*
 * Notes as src/tools/macos/notes.ts does it: create_note lists the folders only when a folder is named
 * (otherwise it creates in the default account's default folder); open_note and append_note_content list
 * every note, pick one with the same matching rules (matchFolders, matchNotes), and act on it by id.
 */

const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/u;

export async function createNoteIn(
  recorder: Recorder,
  args: z.infer<typeof createNote.args>,
): Promise<string> {
  const { world } = recorder;
  const folder = given(args.folder) ? await pickFolder(recorder, args.folder) : defaultFolder(world);
  recorder.script(createNoteScript(args.name, args.content, given(args.folder) ? folder.id : null));
  world.notes.push({
    id: newNoteId(world, folder.id),
    // Notes takes the title from the first line, where the script puts the name on one line.
    name: args.name.split(LINE_BREAK).join(" "),
    folder: folder.name,
    account: folder.account,
    body: args.content,
  });
  return `Created the note "${args.name}" in ${folderLabel(folder)}.`;
}

export async function openNoteNamed(
  recorder: Recorder,
  args: z.infer<typeof openNote.args>,
): Promise<string> {
  const note = await findNote(recorder, args.name, args.folder);
  recorder.script(openNoteScript(note.id));
  return note.note.body;
}

export async function appendToNote(
  recorder: Recorder,
  args: z.infer<typeof appendNoteContent.args>,
): Promise<string> {
  const note = await findNote(recorder, args.name, args.folder);
  recorder.script(appendNoteScript(note.id, args.content));
  note.note.body = `${note.note.body}\n${args.content}`;
  return `Added the text to the note "${note.name}".`;
}

// ---------------------------------------------------------------------------------------------------------
// The fixture's Notes library, as the listing scripts would print it.

/** Every folder with its id (made up, and kept, for folders a test added without one). */
function folders(world: FixtureWorld): NoteFolder[] {
  return world.noteFolders.map((folder, i) => {
    folder.id ??= `x-coredata://fixture/ICFolder/f${i + 1}`;
    return { id: folder.id, name: folder.name, account: folder.account };
  });
}

function defaultFolder(world: FixtureWorld): NoteFolder {
  const all = folders(world);
  const account = world.defaultNoteAccount ?? all[0]?.account ?? "iCloud";
  const inAccount = all.filter((folder) => folder.account === account);
  return (
    inAccount.find((folder) => folder.name === "Notes") ??
    inAccount[0] ?? { id: "x-coredata://fixture/ICFolder/default", name: "Notes", account }
  );
}

/** Every note with its id and folder; `note` is the fixture's own record, to change it. */
function entries(world: FixtureWorld): (NoteEntry & { note: Note })[] {
  const all = folders(world);
  return world.notes.flatMap((note) => {
    const folder = all.find((f) => f.name === note.folder && f.account === note.account);
    if (!folder) return [];
    note.id ??= newNoteId(world, folder.id);
    return [{ id: note.id, name: note.name, folder, note }];
  });
}

/** `<store>/ICNote/p<N>` with the folder's store and a number no note has yet. */
function newNoteId(world: FixtureWorld, folderId: string): string {
  const store = folderId.replace(/\/ICFolder\/[^/]*$/, "");
  const numbers = world.notes.map((note) => Number(/\/p(\d+)$/.exec(note.id ?? "")?.[1] ?? 0));
  return `${store}/ICNote/p${Math.max(99, ...numbers) + 1}`;
}

// ---------------------------------------------------------------------------------------------------------
// Choosing.

async function pickFolder(recorder: Recorder, name: string): Promise<NoteFolder> {
  recorder.script(listNoteFoldersScript());
  const { world } = recorder;
  const all = folders(world);
  const matches = matchFolders(all, name);
  if (matches.length === 0) throw unknownFolder(recorder, name, all);
  if (matches.length === 1) return matches[0]!;
  const inDefault = matches.filter((folder) => folder.account === defaultFolder(world).account);
  if (inDefault.length === 1) return inDefault[0]!;
  const picked = await recorder.choose({
    question: `Several folders are named "${name}". Which one?`,
    options: matches.map((folder) => ({ label: folder.name, value: folder.id, detail: folder.account })),
  });
  const folder = matches.find((candidate) => candidate.id === picked);
  if (folder) return folder;
  throw recorder.error(
    "ambiguous",
    `Several folders are named "${name}": ${matches.map(folderLabel).join(", ")}. Say which account to use.`,
  );
}

/** An exact title wins; otherwise similar titles are offered, never taken silently. */
async function findNote(
  recorder: Recorder,
  name: string,
  folderName: string | null,
): Promise<NoteEntry & { note: Note }> {
  recorder.script(listNotesScript());
  const { world } = recorder;
  let notes = entries(world);
  if (given(folderName)) {
    const matches = matchFolders(folders(world), folderName);
    if (matches.length === 0) throw unknownFolder(recorder, folderName, folders(world));
    const ids = new Set(matches.map((folder) => folder.id));
    notes = notes.filter((note) => ids.has(note.folder.id));
  }
  const { exact, similar } = matchNotes(notes, name);
  if (exact.length === 1) return notes.find((note) => note.id === exact[0]!.id)!;
  if (exact.length === 0 && similar.length === 0) {
    const where = given(folderName) ? `the folder "${folderName}"` : "Notes";
    throw recorder.error(
      "not-found",
      `No note titled "${name}" in ${where}. Check the title, or create it first.`,
    );
  }
  const candidates = (exact.length > 0 ? exact : similar).slice(0, MAX_NOTE_CANDIDATES);
  const picked = await recorder.choose({
    question:
      exact.length > 0
        ? `Several notes are titled "${name}". Which one?`
        : `No note is titled exactly "${name}". Did you mean one of these?`,
    options: candidates.map((note) => ({
      label: note.name,
      value: note.id,
      detail: folderLabel(note.folder),
    })),
  });
  const note = notes.find((candidate) => candidate.id === picked && candidates.includes(candidate));
  if (note) return note;
  const listed = candidates.map((n) => `"${n.name}" in ${folderLabel(n.folder)}`).join(", ");
  throw recorder.error(
    "ambiguous",
    exact.length > 0
      ? `Several notes are titled "${name}": ${listed}. Say which folder.`
      : `No note is titled exactly "${name}"; similar: ${listed}. Say which one.`,
  );
}

function unknownFolder(recorder: Recorder, name: string, all: NoteFolder[]) {
  const names = all.map(folderLabel).join(", ") || "none";
  return recorder.error("not-found", `There is no folder "${name}" in Notes. Folders: ${names}.`);
}

/** "", None and blanks mean the default folder (create) or any folder (open, append). */
function given(folder: string | null): folder is string {
  return folder !== null && folder.trim() !== "";
}
