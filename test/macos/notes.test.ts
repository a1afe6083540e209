import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ToolError } from "../../src/tools/tool-error";
import {
  appendNoteContent,
  appendNoteScript,
  createNote,
  createNoteScript,
  linesHtml,
  listNoteFoldersScript,
  listNotesScript,
  matchNotes,
  noteBodyHtml,
  noteText,
  openNote,
  openNoteScript,
  parseNotesListing,
  type NoteFolder,
} from "../../src/tools/macos/notes";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { FakeSystem, fakeContext } from "./fake-system";

// ---------------------------------------------------------------------------------------------------------
// A made-up Notes library, printed as the listing script would print it.

const FOLDERS = {
  icloudNotes: { id: "x-coredata://A/ICFolder/p1", name: "Notes", account: "iCloud" },
  recipes: { id: "x-coredata://A/ICFolder/p2", name: "Recipes", account: "iCloud" },
  trash: { id: "x-coredata://A/ICFolder/p9", name: "Recently Deleted", account: "iCloud" },
  macNotes: { id: "x-coredata://B/ICFolder/p3", name: "Notes", account: "On My Mac" },
  macWork: { id: "x-coredata://B/ICFolder/p4", name: "Work", account: "On My Mac" },
  gmailWork: { id: "x-coredata://C/ICFolder/p5", name: "work", account: "Gmail" },
} satisfies Record<string, NoteFolder>;

const NOTES: [id: string, name: string, folder: NoteFolder][] = [
  ["x-coredata://A/ICNote/p10", "Groceries", FOLDERS.icloudNotes],
  ["x-coredata://A/ICNote/p11", "Shakshuka", FOLDERS.recipes],
  ["x-coredata://B/ICNote/p12", "Groceries", FOLDERS.macNotes],
  ["x-coredata://B/ICNote/p13", "Meeting notes", FOLDERS.macWork],
  ["x-coredata://B/ICNote/p14", "Meeting notes (old)", FOLDERS.macWork],
  ["x-coredata://C/ICNote/p15", "Q3 plan", FOLDERS.gmailWork],
  ["x-coredata://A/ICNote/p16", "Old stuff", FOLDERS.trash],
];

function listingOutput(withNotes = true): string {
  const records = [
    ["default", "iCloud", FOLDERS.icloudNotes.id],
    ...Object.values(FOLDERS).map((f) => ["folder", f.id, f.name, f.account]),
    ...(withNotes ? NOTES.map(([id, name, folder]) => ["note", id, name, folder.id]) : []),
  ];
  return records.map((fields) => fields.join(FIELD)).join(RECORD);
}

/** A fake Mac whose Notes answers the listing scripts from the library above and `answer` for the rest. */
function notesMac(answer: (script: string) => string = () => "") {
  return new FakeSystem({
    script: (app, script) => {
      expect(app).toBe("Notes");
      if (script === listNotesScript()) return listingOutput(true);
      if (script === listNoteFoldersScript()) return listingOutput(false);
      return answer(script);
    },
  });
}

const notDeniedMessage = "execution error: Not authorized to send Apple events to Notes. (-1743)";

async function rejection(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

// ---------------------------------------------------------------------------------------------------------
// An independent reader of the note HTML, to check that the text survives: titles and lines back out.

function decodeNoteHtml(html: string): { title: string | undefined; lines: string[] } {
  const unescape = (text: string) => text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  let rest = html;
  let title: string | undefined;
  const heading = /^<div><h1>([^<]*)<\/h1><\/div>/.exec(rest);
  if (heading) {
    title = unescape(heading[1]!);
    rest = rest.slice(heading[0].length);
  }
  const lines: string[] = [];
  const line = /^<div>(?:<br>|([^<]*))<\/div>/;
  while (rest !== "") {
    const match = line.exec(rest);
    if (!match) throw new Error(`not note HTML at: ${rest.slice(0, 40)}`);
    lines.push(match[1] === undefined ? "" : unescape(match[1]));
    rest = rest.slice(match[0].length);
  }
  return { title, lines };
}

const linesOf = (text: string) => (text === "" ? [] : text.split(/\r\n|\r|\n|\u2028|\u2029/));

const anyText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: "grapheme", maxLength: 40 }),
);

// ---------------------------------------------------------------------------------------------------------

describe("Notes scripts (golden)", () => {
  it("lists folders of every account, nested ones included, with every note's id and title", () => {
    expect(listNotesScript()).toBe(`set FS to character id 31
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
        set end of output to "folder" & FS & folderId & FS & (name of aFolder) & FS & accountName
        set noteIds to id of notes of aFolder
        set noteNames to name of notes of aFolder
        repeat with i from 1 to count of noteIds
          set end of output to "note" & FS & (item i of noteIds) & FS & (item i of noteNames) & FS & folderId
        end repeat
        try
          set pending to pending & (folders of aFolder)
        end try
      end if
    end repeat
  end repeat
end tell
set AppleScript's text item delimiters to character id 30
return output as text`);
  });

  it("lists folders alone for create_note", () => {
    const script = listNoteFoldersScript();
    expect(script).not.toContain("notes of aFolder");
    expect(script).toBe(listNotesScript().replace(/\n {8}set noteIds[\s\S]*?end repeat(?=\n {8}try)/, ""));
  });

  it("creates a note in the default folder with the title as the body's first line", () => {
    expect(createNoteScript("Groceries", "milk & eggs\n\n<b>coffee</b>", null))
      .toBe(`set FS to character id 31
tell application "Notes"
  set theFolder to default folder of default account
  set accountName to name of default account
  set theNote to make new note at theFolder with properties {body:"<div><h1>Groceries</h1></div><div>milk &amp; eggs</div><div><br></div><div>&lt;b&gt;coffee&lt;/b&gt;</div>"}
  return (id of theNote) & FS & (name of theFolder) & FS & accountName
end tell`);
  });

  it("creates a note in a folder named by its id", () => {
    expect(createNoteScript("Plan", "", "x-coredata://B/ICFolder/p4")).toBe(`set FS to character id 31
tell application "Notes"
  set theFolder to folder id "x-coredata://B/ICFolder/p4"
  set accountName to ""
  set theNote to make new note at theFolder with properties {body:"<div><h1>Plan</h1></div>"}
  return (id of theNote) & FS & (name of theFolder) & FS & accountName
end tell`);
  });

  it("opens a note by id and reads its plain text", () => {
    expect(openNoteScript("x-coredata://A/ICNote/p10")).toBe(`set FS to character id 31
tell application "Notes"
  set theNote to note id "x-coredata://A/ICNote/p10"
  show theNote
  activate
  if password protected of theNote then return "locked"
  return "open" & FS & (plaintext of theNote)
end tell`);
  });

  it("appends lines to a note by id, leaving locked notes and notes with attachments alone", () => {
    expect(appendNoteScript("x-coredata://A/ICNote/p10", "bread\nbutter")).toBe(`tell application "Notes"
  set theNote to note id "x-coredata://A/ICNote/p10"
  if password protected of theNote then return "locked"
  if (count of attachments of theNote) > 0 then return "attachments"
  set body of theNote to (body of theNote) & "<div>bread</div><div>butter</div>"
  return "appended"
end tell`);
  });

  it("writes text as Notes' HTML", () => {
    expect(linesHtml("")).toBe("");
    expect(linesHtml("a\r\nb\rc\u2028d")).toBe("<div>a</div><div>b</div><div>c</div><div>d</div>");
    expect(linesHtml("\n")).toBe("<div><br></div><div><br></div>");
    expect(noteBodyHtml("Two\nlines & <more>", "x")).toBe(
      "<div><h1>Two lines &amp; &lt;more&gt;</h1></div><div>x</div>",
    );
  });
});

describe("Notes scripts keep every text as data (fuzz)", () => {
  const benign = {
    createBody: decodeScript(createNoteScript("Title", "Content", null)).skeleton,
    createIn: decodeScript(createNoteScript("Title", "Content", "folder-id")).skeleton,
    open: decodeScript(openNoteScript("note-id")).skeleton,
    append: decodeScript(appendNoteScript("note-id", "Content")).skeleton,
  };

  function checkAll(text: string): void {
    // The title and the content reach the script only inside the HTML body, which must come back whole.
    for (const [name, content] of [
      [text, "Content"],
      ["Title", text],
    ] as const) {
      const decoded = decodeScript(createNoteScript(name, content, null));
      expect(decoded.skeleton).toBe(benign.createBody);
      expect(decoded.texts).toEqual(["Notes", noteBodyHtml(name, content)]);
      expect(decodeNoteHtml(decoded.texts[1]!)).toEqual({
        title: name.split(/\r\n|\r|\n|\u2028|\u2029/).join(" "),
        lines: linesOf(content),
      });
    }
    const inFolder = decodeScript(createNoteScript("Title", "Content", text));
    expect(inFolder.skeleton).toBe(benign.createIn);
    expect(inFolder.texts).toEqual(["Notes", text, "", noteBodyHtml("Title", "Content")]);

    const open = decodeScript(openNoteScript(text));
    expect(open.skeleton).toBe(benign.open);
    expect(open.texts).toEqual(["Notes", text, "locked", "open"]);

    const appendId = decodeScript(appendNoteScript(text, "Content"));
    expect(appendId.skeleton).toBe(benign.append);
    expect(appendId.texts[1]).toBe(text);

    const appendText = decodeScript(appendNoteScript("note-id", text));
    expect(appendText.skeleton).toBe(benign.append);
    expect(appendText.texts).toEqual([
      "Notes",
      "note-id",
      "locked",
      "attachments",
      linesHtml(text),
      "appended",
    ]);
    expect(decodeNoteHtml(appendText.texts[4]!).lines).toEqual(linesOf(text));
  }

  it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    "keeps %s as data",
    (_, text) => checkAll(text),
  );

  it("keeps any text as data (property)", () => {
    fc.assert(fc.property(anyText, checkAll), { numRuns: 400, seed: 11 });
  });

  it("passes adversarial names, contents and folders through the actions as data", async () => {
    for (const text of ADVERSARIAL_TEXTS) {
      const folderId = `id ${text}`;
      const listing = [
        ["default", "iCloud", "x"],
        ["folder", folderId, `${text} folder`, "iCloud"],
        ["note", `note ${text}`, `${text} title`, folderId],
      ]
        .map((fields) => fields.join(FIELD))
        .join(RECORD);
      const system = new FakeSystem({
        script: (_app, script) => {
          if (script === listNotesScript() || script === listNoteFoldersScript()) return listing;
          if (script.includes("make new note")) return ["new", "f", ""].join(FIELD);
          if (script.includes("set body of theNote")) return "appended";
          return "open" + FIELD + "body";
        },
      });
      const ctx = fakeContext(system);
      await createNote({ name: text || "untitled", content: text, folder: `${text} folder` }, ctx);
      await appendNoteContent({ name: `${text} title`, content: text || "x", folder: `${text} folder` }, ctx);
      await openNote({ name: `${text} title`, folder: null }, ctx);
      const [, create, , append, , open] = system.scripts.map((s) => decodeScript(s.script));
      expect(create!.texts).toEqual(["Notes", folderId, "", noteBodyHtml(text || "untitled", text)]);
      expect(append!.texts[1]).toBe(`note ${text}`);
      expect(append!.texts[4]).toBe(linesHtml(text || "x"));
      expect(open!.texts[1]).toBe(`note ${text}`);
      expect(ctx.choices).toEqual([]);
    }
  });
});

describe("create_note", () => {
  it("creates the note in the default account's default folder when no folder is given", async () => {
    const system = notesMac(() => ["x-coredata://A/ICNote/p99", "Notes", "iCloud"].join(FIELD));
    const ctx = fakeContext(system);
    const observation = await createNote({ name: "Groceries", content: "milk", folder: "" }, ctx);
    expect(observation).toBe('Created the note "Groceries" in Notes (iCloud).');
    expect(system.scripts.map((s) => s.script)).toEqual([createNoteScript("Groceries", "milk", null)]);
    expect(await createNote({ name: "Groceries", content: "milk", folder: null }, ctx)).toBe(observation);
    expect(await createNote({ name: "Groceries", content: "milk", folder: "  " }, ctx)).toBe(observation);
    expect(system.scripts).toHaveLength(3);
  });

  it("finds the folder by name in any account, whatever its case", async () => {
    const system = notesMac(() => ["x-coredata://A/ICNote/p99", "Recipes", ""].join(FIELD));
    const ctx = fakeContext(system);
    expect(await createNote({ name: "Soup", content: "leeks", folder: "RECIPES" }, ctx)).toBe(
      'Created the note "Soup" in Recipes (iCloud).',
    );
    expect(system.scripts.map((s) => s.script)).toEqual([
      listNoteFoldersScript(),
      createNoteScript("Soup", "leeks", FOLDERS.recipes.id),
    ]);
    expect(ctx.invocations).toEqual(
      system.scripts.map((s) => ({ kind: "applescript", script: s.script, argv: [] })),
    );
  });

  it("uses the default account's folder when other accounts have a folder of that name too", async () => {
    const system = notesMac(() => ["id", "Notes", ""].join(FIELD));
    const ctx = fakeContext(system);
    expect(await createNote({ name: "Soup", content: "", folder: "notes" }, ctx)).toBe(
      'Created the note "Soup" in Notes (iCloud).',
    );
    expect(ctx.choices).toEqual([]);
    expect(system.scripts[1]!.script).toBe(createNoteScript("Soup", "", FOLDERS.icloudNotes.id));
  });

  it("asks which account's folder when none of them is the default account's", async () => {
    const system = notesMac(() => ["id", "Work", ""].join(FIELD));
    const ctx = fakeContext(system, { choose: (choice) => choice.options[1]!.value });
    expect(await createNote({ name: "Plan", content: "", folder: "Work" }, ctx)).toBe(
      'Created the note "Plan" in work (Gmail).',
    );
    expect(ctx.choices).toEqual([
      {
        question: 'Several folders are named "Work". Which one?',
        options: [
          { label: "Work", value: FOLDERS.macWork.id, detail: "On My Mac" },
          { label: "work", value: FOLDERS.gmailWork.id, detail: "Gmail" },
        ],
      },
    ]);
    expect(system.scripts[1]!.script).toBe(createNoteScript("Plan", "", FOLDERS.gmailWork.id));
  });

  it("creates nothing when the person does not choose a folder", async () => {
    const system = notesMac();
    const error = await rejection(
      createNote({ name: "Plan", content: "", folder: "work" }, fakeContext(system)),
    );
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      'Several folders are named "work": Work (On My Mac), work (Gmail). Say which account to use.',
    );
    expect(system.scripts).toHaveLength(1);
  });

  it("names the folders there are when the folder does not exist (the deleted-notes folder left out)", async () => {
    const system = notesMac();
    const error = await rejection(
      createNote({ name: "Plan", content: "", folder: "Projects" }, fakeContext(system)),
    );
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      'There is no folder "Projects" in Notes. Folders: Notes (iCloud), Recipes (iCloud), Notes (On My Mac), Work (On My Mac), work (Gmail). Use one of these, or create the folder in Notes first.',
    );
    expect(system.scripts).toHaveLength(1);
  });

  it("reports a refused Automation permission with the Settings pane to open", async () => {
    const system = new FakeSystem({
      script: (app, script) => {
        throw scriptError(app, notDeniedMessage, { kind: "applescript", script, argv: [] });
      },
    });
    const error = await rejection(
      createNote({ name: "Plan", content: "", folder: null }, fakeContext(system)),
    );
    expect(error.code).toBe("permission");
    expect(error.settings).toEqual(SETTINGS.automation);
    expect(error.message).toContain("Notes");
  });
});

describe("open_note", () => {
  it("opens the one note with that title in any folder and returns its text without the title line", async () => {
    const system = notesMac(() => `open${FIELD}Shakshuka\neggs, tomatoes\ncumin`);
    const ctx = fakeContext(system);
    expect(await openNote({ name: "shakshuka", folder: null }, ctx)).toBe("eggs, tomatoes\ncumin");
    expect(system.scripts.map((s) => s.script)).toEqual([
      listNotesScript(),
      openNoteScript("x-coredata://A/ICNote/p11"),
    ]);
    expect(ctx.choices).toEqual([]);
  });

  it("prefers the exact title to titles that contain it", async () => {
    const system = notesMac(() => `open${FIELD}Meeting notes\nQ3 review`);
    const ctx = fakeContext(system);
    expect(await openNote({ name: "Meeting Notes", folder: "" }, ctx)).toBe("Q3 review");
    expect(system.scripts[1]!.script).toBe(openNoteScript("x-coredata://B/ICNote/p13"));
    expect(ctx.choices).toEqual([]);
  });

  it("asks which note when two accounts have a note with that title", async () => {
    const system = notesMac(() => `open${FIELD}Groceries\nbread`);
    const ctx = fakeContext(system, { choose: (choice) => choice.options[1]!.value });
    expect(await openNote({ name: "Groceries", folder: "Notes" }, ctx)).toBe("bread");
    expect(ctx.choices).toEqual([
      {
        question: 'Several notes are titled "Groceries". Which one?',
        options: [
          { label: "Groceries", value: "x-coredata://A/ICNote/p10", detail: "Notes (iCloud)" },
          { label: "Groceries", value: "x-coredata://B/ICNote/p12", detail: "Notes (On My Mac)" },
        ],
      },
    ]);
    expect(system.scripts[1]!.script).toBe(openNoteScript("x-coredata://B/ICNote/p12"));
  });

  it("says which notes share the title when the person does not choose", async () => {
    const system = notesMac();
    const error = await rejection(openNote({ name: "groceries", folder: null }, fakeContext(system)));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      'Several notes are titled "groceries": "Groceries" in Notes (iCloud), "Groceries" in Notes (On My Mac). Say which folder.',
    );
    expect(system.scripts).toHaveLength(1);
  });

  it("offers titles that contain the words, never opening one without asking", async () => {
    const system = notesMac(() => `open${FIELD}Meeting notes (old)\nQ2 review`);
    const ctx = fakeContext(system, { choose: (choice) => choice.options[0]!.value });
    expect(await openNote({ name: "old meeting", folder: "work" }, ctx)).toBe("Q2 review");
    expect(ctx.choices).toEqual([
      {
        question: 'No note is titled exactly "old meeting". Did you mean one of these?',
        options: [
          { label: "Meeting notes (old)", value: "x-coredata://B/ICNote/p14", detail: "Work (On My Mac)" },
        ],
      },
    ]);
  });

  it("lists the similar titles when the person declines", async () => {
    const system = notesMac();
    const ctx = fakeContext(system, { choose: () => "x-coredata://A/ICNote/p10" }); // not one of the offered
    const error = await rejection(openNote({ name: "meeting", folder: null }, ctx));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      'No note is titled exactly "meeting"; similar: "Meeting notes" in Work (On My Mac), "Meeting notes (old)" in Work (On My Mac). Say which one.',
    );
    expect(system.scripts).toHaveLength(1);
  });

  it("looks only in the folder given", async () => {
    const error = await rejection(openNote({ name: "Shakshuka", folder: "Work" }, fakeContext(notesMac())));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      'No note titled "Shakshuka" in the folder "Work". Check the title, or create the note first.',
    );
  });

  it("does not find deleted notes", async () => {
    const error = await rejection(openNote({ name: "Old stuff", folder: null }, fakeContext(notesMac())));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      'No note titled "Old stuff" in Notes. Check the title, or create the note first.',
    );
  });

  it("names the folders there are when the folder does not exist", async () => {
    const error = await rejection(
      openNote({ name: "Groceries", folder: "Archive" }, fakeContext(notesMac())),
    );
    expect(error.code).toBe("not-found");
    expect(error.message).toMatch(
      /^There is no folder "Archive" in Notes\. Folders: Notes \(iCloud\), Recipes/,
    );
  });

  it("says a locked note cannot be read", async () => {
    const error = await rejection(
      openNote({ name: "Shakshuka", folder: null }, fakeContext(notesMac(() => "locked"))),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toBe(
      'The note "Shakshuka" is locked, so its text cannot be read. It is open in Notes: unlock it there.',
    );
  });
});

describe("append_note_content", () => {
  it("adds the text as new lines at the end of the note", async () => {
    const system = notesMac(() => "appended");
    const ctx = fakeContext(system);
    expect(
      await appendNoteContent({ name: "Q3 PLAN", content: "ship it\n& celebrate", folder: null }, ctx),
    ).toBe('Added the text to the note "Q3 plan" in work (Gmail).');
    expect(system.scripts.map((s) => s.script)).toEqual([
      listNotesScript(),
      appendNoteScript("x-coredata://C/ICNote/p15", "ship it\n& celebrate"),
    ]);
  });

  it("leaves a note with attachments alone and says why", async () => {
    const error = await rejection(
      appendNoteContent(
        { name: "Shakshuka", content: "salt", folder: "" },
        fakeContext(notesMac(() => "attachments")),
      ),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toBe(
      'Nothing was added to the note "Shakshuka": it has attachments, which Notes would drop if TinyAgent rewrote it. Add the text in Notes yourself.',
    );
  });

  it("leaves a locked note alone", async () => {
    const error = await rejection(
      appendNoteContent(
        { name: "Shakshuka", content: "salt", folder: "" },
        fakeContext(notesMac(() => "locked")),
      ),
    );
    expect(error.message).toBe(
      'The note "Shakshuka" is locked, so nothing was added. Unlock it in Notes, or add the text there yourself.',
    );
  });

  it("never appends to a note the person did not choose", async () => {
    const system = notesMac(() => "appended");
    const error = await rejection(
      appendNoteContent({ name: "Groceries", content: "tea", folder: null }, fakeContext(system)),
    );
    expect(error.code).toBe("ambiguous");
    expect(system.scripts).toHaveLength(1);
  });

  it("reports a refused Automation permission with the Settings pane to open", async () => {
    const system = new FakeSystem({
      script: (app, script) => {
        if (script === listNotesScript()) return listingOutput();
        throw scriptError(app, notDeniedMessage, { kind: "applescript", script, argv: [] });
      },
    });
    const error = await rejection(
      appendNoteContent({ name: "Shakshuka", content: "salt", folder: null }, fakeContext(system)),
    );
    expect(error.code).toBe("permission");
    expect(error.settings).toEqual(SETTINGS.automation);
  });
});

describe("reading Notes' answers", () => {
  it("reads the listing, keeps a note listed twice in its deepest folder and drops malformed records", () => {
    const output = [
      ["default", "iCloud", "f1"],
      ["folder", "f1", "Notes", "iCloud"],
      ["folder", "f2", "Sub", "iCloud"],
      ["note", "n1", "Nested", "f1"],
      ["note", "n1", "Nested", "f2"],
      ["note", "n2", "Orphan", "nowhere"],
      ["note", "broken"],
      ["something else"],
    ]
      .map((fields) => fields.join(FIELD))
      .join(RECORD);
    const listing = parseNotesListing(output);
    expect(listing.defaultAccount).toBe("iCloud");
    expect(listing.defaultFolderId).toBe("f1");
    expect(listing.folders.map((f) => f.name)).toEqual(["Notes", "Sub"]);
    expect(listing.notes).toEqual([
      { id: "n1", name: "Nested", folder: { id: "f2", name: "Sub", account: "iCloud" } },
    ]);
    expect(parseNotesListing("")).toEqual({
      defaultAccount: "",
      defaultFolderId: "",
      folders: [],
      notes: [],
    });
  });

  it("takes the title line off an opened note's text only when it is the title", () => {
    expect(noteText("Title\r\nline 1\nline 2", "title")).toBe("line 1\nline 2");
    expect(noteText("Title", "Title")).toBe("");
    expect(noteText("Other\ntext", "Title")).toBe("Other\ntext");
  });

  it("matches titles by case and spacing, and offers titles with every word", () => {
    const folder = FOLDERS.icloudNotes;
    const notes = ["Trip  to Rome", "Rome trip budget", "Trip"].map((name, i) => ({
      id: String(i),
      name,
      folder,
    }));
    expect(matchNotes(notes, " trip to ROME ").exact.map((n) => n.name)).toEqual(["Trip  to Rome"]);
    expect(matchNotes(notes, "rome trip").similar.map((n) => n.name)).toEqual([
      "Trip  to Rome",
      "Rome trip budget",
    ]);
    expect(matchNotes(notes, "   ")).toEqual({ exact: [], similar: [] });
  });
});
