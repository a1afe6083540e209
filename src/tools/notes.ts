import { z } from "zod";
import { carriesResults, fromRequest, requestWording } from "./formats";
import { defineTool } from "./tool";

const noteName = requestWording(z.string().min(1).describe("Title of the note"));
/** A note that exists already is named by the request; a new note's title may be made up (from its text). */
const existingNoteName = fromRequest(z.string().min(1).describe("Title of the note"));
const folder = requestWording(
  z.string().nullable().describe("Folder of the note; empty string or None for the default folder"),
);

export const createNote = defineTool({
  name: "create_note",
  app: "notes",
  effect: "write",
  description: "Creates a note in Notes with the given title and content.",
  state: { scope: "note", key: "name" },
  args: z.object({
    name: noteName,
    content: carriesResults(requestWording(z.string().describe("Text of the note"))),
    folder,
  }),
});

export const openNote = defineTool({
  name: "open_note",
  app: "notes",
  effect: "ui",
  description: "Opens a note in Notes and returns its content.",
  state: { scope: "note", key: "name" },
  args: z.object({ name: existingNoteName, folder }),
});

export const appendNoteContent = defineTool({
  name: "append_note_content",
  app: "notes",
  effect: "write",
  description: "Adds text at the end of an existing note; the note does not need to be opened first.",
  state: { scope: "note", key: "name" },
  args: z.object({
    name: existingNoteName,
    content: carriesResults(requestWording(z.string().min(1).describe("Text to add"))),
    folder,
  }),
});
