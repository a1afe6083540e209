import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { PDFDocumentProxy } from "pdfjs-dist";
import type { TextItem } from "pdfjs-dist/types/src/display/api";

/**
 * Text extraction from PDF bytes with Mozilla's pdf.js (the `pdfjs-dist` legacy build, which runs in plain
 * Node without a DOM). Only text is read: nothing is rendered, no font program is evaluated, no script in
 * the PDF runs.
 */

export interface PdfText {
  /** The text of the pages read, in order; pages are separated by a form feed (`\f`), as pdftotext does. */
  text: string;
  /** Pages in the document (not only those read: see `maxPages`). */
  pages: number;
  /** Pages whose text was read. */
  pagesRead: number;
}

export type PdfProblem = "not-pdf" | "encrypted" | "unreadable";

/** Why a PDF's text could not be read; the caller words the message for the person. */
export class PdfTextError extends Error {
  constructor(
    readonly problem: PdfProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "PdfTextError";
  }
}

export interface ExtractOptions {
  signal?: AbortSignal;
  /** Read at most this many pages (a 2,000-page manual would take long and say little more). */
  maxPages?: number;
}

export const PAGE_SEPARATOR = "\f";

/** Reads the text of a PDF. A scanned PDF gives empty text: the caller decides what that means. */
export async function extractPdfText(bytes: Uint8Array, options: ExtractOptions = {}): Promise<PdfText> {
  const { signal, maxPages = Number.POSITIVE_INFINITY } = options;
  if (!hasPdfHeader(bytes)) throw new PdfTextError("not-pdf", "The file does not start like a PDF.");
  signal?.throwIfAborted();
  const pdfjs = await loadPdfJs();
  const task = pdfjs.getDocument({
    // pdf.js takes ownership of (detaches) the buffer and refuses Node Buffers: give it its own copy.
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
    ...assetPaths(),
  });
  const stop = () => void task.destroy();
  signal?.addEventListener("abort", stop, { once: true });
  try {
    const document = await openDocument(task.promise);
    signal?.throwIfAborted();
    const pagesRead = Math.min(document.numPages, maxPages);
    const texts: string[] = [];
    for (let number = 1; number <= pagesRead; number++) {
      texts.push(await pageText(document, number));
      signal?.throwIfAborted();
    }
    return { text: texts.join(PAGE_SEPARATOR), pages: document.numPages, pagesRead };
  } catch (error) {
    signal?.throwIfAborted();
    throw error instanceof PdfTextError ? error : readError(error);
  } finally {
    signal?.removeEventListener("abort", stop);
    await task.destroy();
  }
}

/** Readers accept a header anywhere in the first kilobyte (some files carry a few bytes of junk first). */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 1024));
  return head.includes("%PDF-");
}

async function openDocument(loading: Promise<PDFDocumentProxy>): Promise<PDFDocumentProxy> {
  try {
    return await loading;
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name === "PasswordException") {
      throw new PdfTextError("encrypted", "The PDF is protected by a password.", { cause: error });
    }
    // The header was there (checked before), so a file pdf.js cannot make sense of is a damaged PDF.
    throw readError(error);
  }
}

/** One page's text: pdf.js gives runs of text and says where a line ends. */
async function pageText(document: PDFDocumentProxy, number: number): Promise<string> {
  const page = await document.getPage(number);
  try {
    const content = await page.getTextContent();
    let text = "";
    for (const item of content.items) {
      if (!("str" in item)) continue; // marked-content boundaries carry no text
      const run = item as TextItem;
      text += run.str + (run.hasEOL ? "\n" : "");
    }
    return text;
  } finally {
    page.cleanup();
  }
}

function readError(error: unknown): PdfTextError {
  const detail = error instanceof Error ? error.message : String(error);
  return new PdfTextError("unreadable", detail, { cause: error });
}

type PdfJs = typeof import("pdfjs-dist");
let pdfjsLoading: Promise<PdfJs> | undefined;

/**
 * Loads pdf.js once, on first use (it is large; most requests never read a PDF). Its worker code is
 * loaded too and handed over through `globalThis.pdfjsWorker`, so pdf.js runs it in this thread instead
 * of loading a worker file by path — a path that does not exist inside a bundled extension.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjsLoading ??= withRenderingStub(async () => {
    // @ts-expect-error -- pdf.js publishes no type declarations for its worker module.
    const worker: unknown = await import("pdfjs-dist/legacy/build/pdf.worker.mjs");
    (globalThis as { pdfjsWorker?: unknown }).pdfjsWorker ??= worker;
    return (await import("pdfjs-dist/legacy/build/pdf.mjs")) as PdfJs;
  });
  pdfjsLoading.catch(() => (pdfjsLoading = undefined));
  return pdfjsLoading;
}

/**
 * pdf.js creates a DOMMatrix when its module loads, for rendering. Node has no DOMMatrix; pdf.js borrows
 * one from the optional native `@napi-rs/canvas` package, which a bundled extension does not carry, and
 * then fails to load at all. Text extraction never renders, so while the module loads an inert stand-in
 * is offered, and removed afterwards so nothing else in the process mistakes it for the real thing.
 * pdf.js also warns, while it loads, about what it could not set up for rendering ("rendering may be
 * broken"): irrelevant here and alarming in a log, so those warnings are held back while it loads.
 */
async function withRenderingStub<T>(load: () => Promise<T>): Promise<T> {
  const scope = globalThis as { DOMMatrix?: unknown };
  const stubbed = scope.DOMMatrix === undefined;
  if (stubbed) {
    scope.DOMMatrix = class InertMatrix {
      a = 1;
      b = 0;
      c = 0;
      d = 1;
      e = 0;
      f = 0;
    };
  }
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (typeof args[0] === "string" && args[0].startsWith("Warning: ")) return;
    warn(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
    if (stubbed) delete scope.DOMMatrix;
  }
}

/**
 * The character maps (CJK text in non-embedded fonts) and standard font metrics shipped with pdf.js, when
 * they can be found on disk: in plain Node they can; inside a bundle they may not, and text extraction
 * still works for most files without them.
 */
function assetPaths(): { cMapUrl?: string; cMapPacked?: boolean; standardFontDataUrl?: string } {
  try {
    const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
    return {
      cMapUrl: join(root, "cmaps") + "/",
      cMapPacked: true,
      standardFontDataUrl: join(root, "standard_fonts") + "/",
    };
  } catch {
    return {};
  }
}
