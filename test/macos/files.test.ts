import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Choice } from "../../src/tools/backend";
import {
  expandPath,
  extractiveSummary,
  fileKindCommand,
  findAndOpenFile,
  findFilesByContentCommand,
  findFilesByNameCommand,
  isPersonalFile,
  MAX_CHOICES,
  MAX_PAGES,
  openFileCommand,
  parseSpotlightOutput,
  rankCandidates,
  spotlightValue,
  summarizePdfFile,
} from "../../src/tools/macos/files";
import type { TextWriter } from "../../src/tools/macos/mac-context";
import { extractPdfText } from "../../src/tools/macos/pdf-text";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS } from "./applescript-decoder";
import { fakeContext, FakeSystem, type FakeAnswers } from "./fake-system";

const HOME = "/Users/sam";

// -------------------------------------------------------------------------------------------------------
// A tiny PDF writer for the tests: real PDF syntax with a correct cross-reference table, so pdf.js reads
// it as it would any file. No binary fixtures are committed.

interface PdfOptions {
  /** An /Encrypt dictionary whose user password is not empty: readers must ask for a password. */
  encrypted?: boolean;
  /** Pages that only draw (a scanned page has no text objects). */
  drawingOnly?: boolean;
}

function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

function makePdf(pages: readonly (readonly string[])[], options: PdfOptions = {}): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add("<< /Type /Catalog /Pages 2 0 R >>");
  add(""); // the page tree, written once the pages are known
  add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  const kids: number[] = [];
  for (const lines of pages) {
    const operations = options.drawingOnly
      ? ["0.5 g", "72 72 400 600 re", "f"]
      : ["BT", "/F1 11 Tf", "14 TL", "72 720 Td", ...lines.map((line) => `${pdfString(line)} Tj T*`), "ET"];
    const stream = operations.join("\n");
    add(`<< /Length ${Buffer.byteLength(stream, "latin1")} >>\nstream\n${stream}\nendstream`);
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${objects.length} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  let encrypt = "";
  if (options.encrypted) {
    add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /O <${"7a".repeat(32)}> /U <${"3c".repeat(32)}> /P -4 >>`);
    encrypt = ` /Encrypt ${objects.length} 0 R /ID [<${"01".repeat(16)}> <${"01".repeat(16)}>]`;
  }
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, "latin1"));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, "latin1");
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${encrypt} >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, "latin1"));
}

const REPORT_PAGES = [
  [
    "Quarterly Solar Report",
    "",
    "The solar farm produced more energy this quarter than in any quarter",
    "before, thanks to the new panels installed in March.",
    "Lunch will be served in the cafeteria on Friday.",
  ],
  [
    "Panel efficiency rose by four percent after cleaning, and the solar",
    "energy output of the farm now covers the whole town at noon.",
    "Maintenance of the solar panels remains the largest cost of the farm.",
  ],
];

// -------------------------------------------------------------------------------------------------------

describe("Spotlight and file commands (golden)", () => {
  it("searches by name with one escaped value per word, in the home folder only", () => {
    expect(findFilesByNameCommand("Q3 deck", HOME)).toEqual({
      kind: "command",
      file: "/usr/bin/mdfind",
      argv: ["-0", "-onlyin", "/Users/sam", 'kMDItemFSName == "*Q3*"cd && kMDItemFSName == "*deck*"cd'],
    });
  });

  it("searches by content with whole-word values", () => {
    expect(findFilesByContentCommand("budget review", HOME)).toEqual({
      kind: "command",
      file: "/usr/bin/mdfind",
      argv: [
        "-0",
        "-onlyin",
        "/Users/sam",
        'kMDItemTextContent == "budget"cdw && kMDItemTextContent == "review"cdw',
      ],
    });
  });

  it("escapes quotes, backslashes and wildcards inside a value", () => {
    expect(spotlightValue('say "hi" \\ *now*')).toBe('"say \\"hi\\" \\\\ \\*now\\*"');
    expect(findFilesByNameCommand('-rf "x"', HOME).argv[3]).toBe(
      'kMDItemFSName == "*-rf*"cd && kMDItemFSName == "*\\"x\\"*"cd',
    );
  });

  it("opens and checks paths as single arguments", () => {
    expect(openFileCommand("/Users/sam/Documents/Q3 deck.key")).toEqual({
      kind: "command",
      file: "/usr/bin/open",
      argv: ["/Users/sam/Documents/Q3 deck.key"],
    });
    expect(fileKindCommand("/Users/sam/a b.pdf")).toEqual({
      kind: "command",
      file: "/usr/bin/stat",
      argv: ["-L", "-f", "%HT", "--", "/Users/sam/a b.pdf"],
    });
  });
});

/**
 * An independent reader of the generated Spotlight queries: `ATTR == "VALUE"mods` terms joined by ` && `,
 * where a backslash in a value escapes the next character and an unescaped `*` is a wildcard. Values come
 * back as lists of characters, with `null` for each wildcard.
 */
function readQuery(query: string): { skeleton: string; values: (string | null)[][] } {
  const values: (string | null)[][] = [];
  let skeleton = "";
  let i = 0;
  while (i < query.length) {
    if (query[i] !== '"') {
      skeleton += query[i++];
      continue;
    }
    const value: (string | null)[] = [];
    for (i++; query[i] !== '"'; i++) {
      if (i >= query.length) throw new Error("unterminated value");
      if (query[i] === "*") {
        value.push(null);
        continue;
      }
      if (query[i] === "\\") i++;
      value.push(query[i]!);
    }
    i++;
    values.push(value);
    skeleton += "«V»";
  }
  return { skeleton, values };
}

/** What the words of a request should be, computed here without the code under test. */
function expectedWords(text: string): string[] {
  return text
    .normalize("NFC")
    .split(/[\s\p{Cc}]+/u)
    .filter((w) => w !== "")
    .slice(0, 8);
}

function checkQueries(text: string): void {
  const words = expectedWords(text);
  const name = findFilesByNameCommand(text, HOME);
  const content = findFilesByContentCommand(text, HOME);
  for (const command of [name, content]) {
    expect(command.argv.slice(0, 3)).toEqual(["-0", "-onlyin", HOME]);
    expect(command.argv).toHaveLength(4);
    expect(command.argv[3]!.startsWith("-")).toBe(false);
  }
  const byName = readQuery(name.argv[3]!);
  expect(byName.skeleton).toBe(words.map(() => "kMDItemFSName == «V»cd").join(" && "));
  // Each value is the word, character for character, between two wildcards of Spotlight's own.
  expect(byName.values).toEqual(words.map((w) => [null, ...w.split(""), null]));
  const byContent = readQuery(content.argv[3]!);
  expect(byContent.skeleton).toBe(words.map(() => "kMDItemTextContent == «V»cdw").join(" && "));
  expect(byContent.values).toEqual(words.map((w) => w.split("")));
}

describe("Spotlight query encoding (fuzz)", () => {
  it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 60), text]))(
    "keeps %s as data",
    (_, text) => checkQueries(text),
  );

  it("keeps any text as data (property)", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 60 }),
          fc.string({ unit: "grapheme", maxLength: 30 }),
          fc.stringMatching(/^[-*"\\ a-z]{0,20}$/),
        ),
        checkQueries,
      ),
      { numRuns: 500, seed: 11 },
    );
  });

  it("passes paths to open and stat unchanged (property)", () => {
    const texts = [...ADVERSARIAL_TEXTS.filter((t) => !t.includes("\0"))];
    for (const text of texts) {
      expect(openFileCommand(`/Users/sam/${text}`).argv).toEqual([`/Users/sam/${text}`]);
      expect(fileKindCommand(`/${text}`).argv.at(-1)).toBe(`/${text}`);
    }
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (text) => {
        expect(openFileCommand(`/${text}`).argv).toEqual([`/${text}`]);
        expect(fileKindCommand(`/${text}`).argv).toEqual(["-L", "-f", "%HT", "--", `/${text}`]);
      }),
      { numRuns: 300, seed: 12 },
    );
  });
});

describe("paths", () => {
  it("expands ~ and file URLs, and leaves other text alone", () => {
    expect(expandPath("~/Documents/a.pdf", HOME)).toBe("/Users/sam/Documents/a.pdf");
    expect(expandPath("~", HOME)).toBe("/Users/sam");
    expect(expandPath("file:///Users/sam/My%20File.pdf", HOME)).toBe("/Users/sam/My File.pdf");
    expect(expandPath(" /tmp/x.pdf ", HOME)).toBe("/tmp/x.pdf");
    expect(expandPath("report.pdf", HOME)).toBe("report.pdf");
    expect(expandPath("~bob/x", HOME)).toBe("~bob/x");
  });

  it("reads NUL-separated Spotlight output and keeps only the person's own files", () => {
    expect(parseSpotlightOutput("/a/b c\n.pdf\0/d\0")).toEqual(["/a/b c\n.pdf", "/d"]);
    expect(parseSpotlightOutput("/a\n/b\n")).toEqual(["/a", "/b"]);
    expect(parseSpotlightOutput("")).toEqual([]);
    expect(isPersonalFile("/Users/sam/Documents/a.pdf", HOME)).toBe(true);
    expect(isPersonalFile("/Users/sam/Library/Mail/V10/x.emlx", HOME)).toBe(false);
    expect(isPersonalFile("/Users/sam/.Trash/a.pdf", HOME)).toBe(false);
    expect(isPersonalFile("/Users/sam/Applications/Tool.app/Contents/a.pdf", HOME)).toBe(false);
    expect(isPersonalFile("/Users/sam/Applications/Tool.app", HOME)).toBe(true);
  });

  it("ranks exact names first, then names differing only in case or separators, then phrases", () => {
    const ranked = rankCandidates(
      [
        "/Users/sam/Old/Q3 deck notes.txt",
        "/Users/sam/b/q3-deck.key",
        "/Users/sam/a/Q3 deck.pdf",
        "/Users/sam/z/deck for Q3.pdf",
      ],
      "Q3 deck",
    );
    expect(ranked).toEqual([
      "/Users/sam/a/Q3 deck.pdf",
      "/Users/sam/b/q3-deck.key",
      "/Users/sam/Old/Q3 deck notes.txt",
      "/Users/sam/z/deck for Q3.pdf",
    ]);
  });
});

// -------------------------------------------------------------------------------------------------------

function filesMac(options: {
  byName?: string[];
  byContent?: string[];
  existing?: Record<string, string>;
  /** What `stat -f "%Lp %HT"` prints for a path ("644 Regular File"). */
  modes?: Record<string, string>;
  choose?: (choice: Choice) => string | undefined;
  openFails?: boolean;
}) {
  const answers: FakeAnswers = {
    exec: (file, argv) => {
      if (file === "/usr/bin/mdfind") {
        const paths = argv[3]!.startsWith("kMDItemFSName") ? options.byName : options.byContent;
        return (paths ?? []).map((p) => `${p}\0`).join("");
      }
      if (file === "/usr/bin/stat" && argv[1] === "%Lp %HT") {
        const mode = options.modes?.[argv.at(-1)!];
        if (mode === undefined)
          throw new ToolError("failed", "/usr/bin/stat failed: No such file or directory");
        return `${mode}\n`;
      }
      if (file === "/usr/bin/stat") {
        const kind = options.existing?.[argv.at(-1)!];
        if (kind === undefined)
          throw new ToolError("failed", "/usr/bin/stat failed: No such file or directory");
        return `${kind}\n`;
      }
      if (file === "/usr/bin/open" && options.openFails)
        throw new ToolError("failed", "/usr/bin/open failed");
      return "";
    },
  };
  const system = new FakeSystem(answers);
  const ctx = fakeContext(system, options.choose ? { choose: options.choose } : {});
  return { system, ctx };
}

describe("open_and_get_file_path", () => {
  it("opens the one file Spotlight finds by name and returns its path", async () => {
    const { system, ctx } = filesMac({ byName: ["/Users/sam/Documents/Q3 deck.key"] });
    await expect(findAndOpenFile({ file_name: "Q3 deck" }, ctx, HOME)).resolves.toBe(
      "/Users/sam/Documents/Q3 deck.key",
    );
    expect(system.commands).toEqual(
      [findFilesByNameCommand("Q3 deck", HOME), openFileCommand("/Users/sam/Documents/Q3 deck.key")].map(
        ({ file, argv }) => ({ file, argv }),
      ),
    );
    expect(ctx.choices).toEqual([]);
  });

  it("takes the one exact name over partial matches, without asking", async () => {
    const { ctx } = filesMac({
      byName: [
        "/Users/sam/Archive/old report.pdf",
        "/Users/sam/Documents/report.pdf",
        "/Users/sam/report 2.pdf",
      ],
    });
    await expect(findAndOpenFile({ file_name: "report" }, ctx, HOME)).resolves.toBe(
      "/Users/sam/Documents/report.pdf",
    );
    expect(ctx.choices).toEqual([]);
  });

  it("asks which file when several match, and opens the one chosen", async () => {
    const { system, ctx } = filesMac({
      byName: [
        "/Users/sam/Desktop/report.pdf",
        "/Users/sam/Documents/report.docx",
        "/Users/sam/report draft.pdf",
      ],
      choose: (choice) => choice.options[1]!.value,
    });
    const path = await findAndOpenFile({ file_name: "report" }, ctx, HOME);
    expect(ctx.choices).toEqual([
      {
        question: '3 files match "report" by name. Which one?',
        options: [
          { label: "report.pdf", value: "/Users/sam/Desktop/report.pdf", detail: "~/Desktop" },
          { label: "report.docx", value: "/Users/sam/Documents/report.docx", detail: "~/Documents" },
          { label: "report draft.pdf", value: "/Users/sam/report draft.pdf", detail: "~" },
        ],
      },
    ]);
    expect(path).toBe("/Users/sam/Documents/report.docx");
    expect(system.commands.at(-1)).toEqual({
      file: "/usr/bin/open",
      argv: ["/Users/sam/Documents/report.docx"],
    });
  });

  it("offers at most a few files, and fails listing them when no one chooses", async () => {
    const many = Array.from({ length: 12 }, (_, i) => `/Users/sam/Notes/plan ${String(i + 10)}.txt`);
    const { system, ctx } = filesMac({ byName: many, choose: () => "/etc/passwd" });
    const error = await findAndOpenFile({ file_name: "plan" }, ctx, HOME).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).code).toBe("ambiguous");
    expect((error as ToolError).message).toBe(
      `12 files match "plan": ${many.slice(0, 8).join(", ")} and 4 more. Say which one, or give its full path.`,
    );
    expect(ctx.choices[0]!.options).toHaveLength(MAX_CHOICES);
    expect(ctx.choices[0]!.question).toBe(
      '12 files match "plan" by name (the 8 closest are shown). Which one?',
    );
    expect(system.commands.some((c) => c.file === "/usr/bin/open")).toBe(false);
  });

  it("searches by content when no name matches", async () => {
    const { system, ctx } = filesMac({ byName: [], byContent: ["/Users/sam/Documents/minutes.txt"] });
    await expect(findAndOpenFile({ file_name: "budget review" }, ctx, HOME)).resolves.toBe(
      "/Users/sam/Documents/minutes.txt",
    );
    expect(system.commands.map((c) => c.argv[3] ?? c.argv[0])).toEqual([
      'kMDItemFSName == "*budget*"cd && kMDItemFSName == "*review*"cd',
      'kMDItemTextContent == "budget"cdw && kMDItemTextContent == "review"cdw',
      "/Users/sam/Documents/minutes.txt",
    ]);
  });

  it("ignores app data and hidden files, and says so when nothing is left", async () => {
    const { system, ctx } = filesMac({
      byName: ["/Users/sam/Library/Caches/report.pdf", "/Users/sam/.Trash/report.pdf"],
      byContent: [],
    });
    const error = await findAndOpenFile({ file_name: "report" }, ctx, HOME).catch((e: unknown) => e);
    expect((error as ToolError).code).toBe("not-found");
    expect((error as ToolError).message).toBe(
      'Spotlight found no file named like "report" or containing those words in your home folder. Check the name, or give the file\'s full path.',
    );
    expect((error as ToolError).invocations).toHaveLength(2);
    expect(system.commands.some((c) => c.file === "/usr/bin/open")).toBe(false);
  });

  it("opens a path that exists without searching", async () => {
    const { system, ctx } = filesMac({ existing: { "/Users/sam/Documents/plan.pdf": "Regular File" } });
    await expect(findAndOpenFile({ file_name: "~/Documents/plan.pdf" }, ctx, HOME)).resolves.toBe(
      "/Users/sam/Documents/plan.pdf",
    );
    expect(system.commands).toEqual([
      { file: "/usr/bin/stat", argv: ["-L", "-f", "%HT", "--", "/Users/sam/Documents/plan.pdf"] },
      { file: "/usr/bin/open", argv: ["/Users/sam/Documents/plan.pdf"] },
    ]);
  });

  it("searches for the name of a path that does not exist", async () => {
    const { system, ctx } = filesMac({ byName: ["/Users/sam/Desktop/plan.pdf"] });
    await expect(findAndOpenFile({ file_name: "/Users/sam/Documents/plan.pdf" }, ctx, HOME)).resolves.toBe(
      "/Users/sam/Desktop/plan.pdf",
    );
    expect(system.commands[1]).toEqual({
      file: "/usr/bin/mdfind",
      argv: ["-0", "-onlyin", HOME, 'kMDItemFSName == "*plan.pdf*"cd'],
    });
  });

  it("refuses an empty name, and reports a file that cannot be opened", async () => {
    const empty = filesMac({});
    await expect(findAndOpenFile({ file_name: " \n " }, empty.ctx, HOME)).rejects.toMatchObject({
      code: "not-found",
    });
    expect(empty.system.commands).toEqual([]);
    const { ctx } = filesMac({
      byName: ["/Users/sam/x.weird"],
      modes: { "/Users/sam/x.weird": "644 Regular File" },
      openFails: true,
    });
    await expect(findAndOpenFile({ file_name: "x" }, ctx, HOME)).rejects.toMatchObject({
      code: "failed",
      message:
        "Found /Users/sam/x.weird, but macOS could not open it. Is there an app for this kind of file?",
    });
  });

  it("says what to do when Spotlight itself fails", async () => {
    const system = new FakeSystem({
      exec: () => {
        throw new ToolError("failed", "/usr/bin/mdfind failed: indexing disabled");
      },
    });
    await expect(findAndOpenFile({ file_name: "x" }, fakeContext(system), HOME)).rejects.toMatchObject({
      code: "unavailable",
    });
  });
});

// -------------------------------------------------------------------------------------------------------

describe("PDF text", () => {
  it("reads the text of every page, pages separated by a form feed", async () => {
    const pdf = await extractPdfText(makePdf([["Hello (world).", "Second line"], ["Page two"]]));
    expect(pdf).toEqual({ text: "Hello (world).\nSecond line\fPage two", pages: 2, pagesRead: 2 });
  });

  it("stops after the page limit and counts every page", async () => {
    const pdf = await extractPdfText(makePdf([["one"], ["two"], ["three"]]), { maxPages: 2 });
    expect(pdf).toEqual({ text: "one\ftwo", pages: 3, pagesRead: 2 });
  });

  it("names the problem with files that are not PDFs, damaged, or locked", async () => {
    await expect(extractPdfText(new TextEncoder().encode("hello"))).rejects.toMatchObject({
      problem: "not-pdf",
    });
    await expect(extractPdfText(new TextEncoder().encode("%PDF-1.4\ngarbage"))).rejects.toMatchObject({
      problem: "unreadable",
    });
    await expect(extractPdfText(makePdf([["secret"]], { encrypted: true }))).rejects.toMatchObject({
      problem: "encrypted",
    });
  });

  it("gives empty text for a page without text, and stops when cancelled", async () => {
    expect((await extractPdfText(makePdf([["x"]], { drawingOnly: true }))).text).toBe("");
    const controller = new AbortController();
    controller.abort();
    await expect(extractPdfText(makePdf([["x"]]), { signal: controller.signal })).rejects.toThrow();
  });

  it("works bundled into one CommonJS file, as Raycast builds extensions (no node_modules, no canvas)", async () => {
    const folder = mkdtempSync(join(tmpdir(), "pdf-bundle-"));
    try {
      const module = fileURLToPath(new URL("../../src/tools/macos/pdf-text.ts", import.meta.url));
      const bytes = Buffer.from(makePdf([["Bundled text."]])).toString("base64");
      writeFileSync(
        join(folder, "entry.ts"),
        `import { extractPdfText } from ${JSON.stringify(module)};\n` +
          `extractPdfText(Buffer.from("${bytes}", "base64")).then((r) => console.log(JSON.stringify(r)));\n`,
      );
      await build({
        entryPoints: [join(folder, "entry.ts")],
        outfile: join(folder, "bundle.cjs"),
        bundle: true,
        platform: "node",
        format: "cjs",
        target: "node20",
        logLevel: "silent",
      });
      const output = execFileSync(process.execPath, [join(folder, "bundle.cjs")], {
        cwd: folder,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      });
      expect(JSON.parse(output)).toEqual({ text: "Bundled text.", pages: 1, pagesRead: 1 });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it("leaves the caller's bytes usable (pdf.js would detach them)", async () => {
    const bytes = makePdf([["again"]]);
    await extractPdfText(bytes);
    expect((await extractPdfText(bytes)).text).toBe("again");
  });
});

describe("extractive summary", () => {
  it("keeps the three most representative sentences, in their original order", () => {
    const text = REPORT_PAGES.map((page) => page.join("\n")).join("\f");
    expect(extractiveSummary(text)).toBe(
      "The solar farm produced more energy this quarter than in any quarter before, thanks to the new panels installed in March. " +
        "Panel efficiency rose by four percent after cleaning, and the solar energy output of the farm now covers the whole town at noon. " +
        "Maintenance of the solar panels remains the largest cost of the farm.",
    );
  });

  it("ignores running headers and page numbers, and rejoins hyphenated words", () => {
    const page = (n: number, body: string) => `ACME Confidential\n${body}\nPage ${String(n)}`;
    const text = [
      page(1, "Rocket engines need cooling. The engine cooling loop uses kero-\nsene as coolant."),
      page(2, "Kerosene cooling keeps the engine walls below their melting point."),
      page(3, "Lunch is at noon today in the big hall."),
    ].join("\f");
    const summary = extractiveSummary(text);
    expect(summary).not.toContain("ACME");
    expect(summary).not.toContain("Page");
    expect(summary).toContain("uses kerosene as coolant.");
  });

  it("stays within the length limit, cutting a single long sentence at a word", () => {
    const long = `${"word ".repeat(200)}end.`;
    const summary = extractiveSummary(long, 100);
    expect(summary.length).toBeLessThanOrEqual(100);
    expect(summary.endsWith("…")).toBe(true);
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (text) => {
        expect(extractiveSummary(text).length).toBeLessThanOrEqual(600);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

describe("summarize_pdf", () => {
  const PATH = "/Users/sam/Documents/solar.pdf";

  function pdfMac(files: Record<string, Uint8Array>, writer?: TextWriter) {
    const system = new FakeSystem({ files });
    const ctx = fakeContext(system);
    if (writer) ctx.writer = writer;
    return { system, ctx };
  }

  it("summarizes a PDF's own sentences when no model is loaded", async () => {
    const { ctx } = pdfMac({ [PATH]: makePdf(REPORT_PAGES) });
    const summary = await summarizePdfFile({ pdf_path: PATH }, ctx, HOME);
    expect(summary).toMatch(/^The solar farm produced more energy/);
    expect(summary).not.toContain("Lunch");
  });

  it("asks the local model for the summary when one is loaded", async () => {
    const calls: [string, string][] = [];
    const writer: TextWriter = {
      write: async (task, input) => {
        calls.push([task, input]);
        return "  A record quarter for the solar farm.  ";
      },
    };
    const { ctx } = pdfMac({ [PATH]: makePdf(REPORT_PAGES) }, writer);
    await expect(summarizePdfFile({ pdf_path: "~/Documents/solar.pdf" }, ctx, HOME)).resolves.toBe(
      "A record quarter for the solar farm.",
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]![0]).toBe("pdf-summary");
    expect(calls[0]![1]).toContain("Quarterly Solar Report\nThe solar farm produced");
    expect(calls[0]![1]).toContain("\n\nPanel efficiency rose");
  });

  it("falls back to the extractive summary when the model fails or says nothing", async () => {
    for (const write of [async () => "  ", async () => Promise.reject(new Error("model crashed"))]) {
      const { ctx } = pdfMac({ [PATH]: makePdf(REPORT_PAGES) }, { write });
      await expect(summarizePdfFile({ pdf_path: PATH }, ctx, HOME)).resolves.toMatch(/^The solar farm/);
    }
  });

  it("says when only the first pages were read", async () => {
    const pages = Array.from({ length: MAX_PAGES + 2 }, (_, i) => [
      `Page ${String(i)} talks about apples and pears.`,
    ]);
    const { ctx } = pdfMac({ [PATH]: makePdf(pages) });
    await expect(summarizePdfFile({ pdf_path: PATH }, ctx, HOME)).resolves.toMatch(
      /\(From the first 100 of 102 pages\.\)$/,
    );
  });

  it("explains each kind of file it cannot summarize", async () => {
    const files = {
      "/Users/sam/notes.txt": new TextEncoder().encode("just text"),
      "/Users/sam/locked.pdf": makePdf([["x"]], { encrypted: true }),
      "/Users/sam/scan.pdf": makePdf([["x"]], { drawingOnly: true }),
      "/Users/sam/broken.pdf": new TextEncoder().encode("%PDF-1.7\n1 0 obj <<"),
    };
    const { ctx } = pdfMac(files);
    const failure = (path: string) =>
      summarizePdfFile({ pdf_path: path }, ctx, HOME).then(
        () => undefined,
        (e: unknown) => e as ToolError,
      );
    expect(await failure("/Users/sam/missing.pdf")).toMatchObject({
      code: "not-found",
      message: "There is no file at /Users/sam/missing.pdf. Find it first with open_and_get_file_path.",
    });
    expect(await failure("solar.pdf")).toMatchObject({
      code: "not-found",
      message: '"solar.pdf" is not a full path. Find the file first with open_and_get_file_path.',
    });
    expect(await failure("/Users/sam/notes.txt")).toMatchObject({
      code: "failed",
      message: "notes.txt is not a PDF, so it cannot be summarized.",
    });
    expect(await failure("/Users/sam/locked.pdf")).toMatchObject({
      code: "failed",
      message:
        "locked.pdf is protected by a password. Open it in Preview, export a copy without a password, and summarize that.",
    });
    expect(await failure("/Users/sam/scan.pdf")).toMatchObject({
      code: "failed",
      message:
        "scan.pdf has no text to read: it is probably a scanned image. Make a searchable copy with a text recognition (OCR) app, then summarize that.",
    });
    expect((await failure("/Users/sam/broken.pdf"))?.message).toMatch(
      /^broken\.pdf could not be read; it may be damaged\. Open it in Preview to check it\./,
    );
  });

  it("names the privacy setting when macOS refuses to let it read the file", async () => {
    const system = new FakeSystem();
    system.readFile = async () => {
      throw Object.assign(new Error("EPERM: operation not permitted"), { code: "EPERM" });
    };
    const error = await summarizePdfFile({ pdf_path: PATH }, fakeContext(system), HOME).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: "permission" });
    expect((error as ToolError).settings).toEqual({
      name: "Privacy & Security › Files and Folders",
      url: "x-apple.systempreferences:com.apple.preference.security?Privacy_FilesAndFolders",
    });
  });

  it("reports a cancelled run as cancelled", async () => {
    const controller = new AbortController();
    const system = new FakeSystem({ files: { [PATH]: makePdf(REPORT_PAGES) } });
    const ctx = { ...fakeContext(system), signal: controller.signal };
    controller.abort();
    await expect(summarizePdfFile({ pdf_path: PATH }, ctx, HOME)).rejects.toMatchObject({
      code: "cancelled",
    });
  });
});
