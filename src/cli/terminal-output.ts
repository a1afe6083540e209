import { terminalJson, terminalText } from "./terminal-text";

/** Where output goes: process.stdout, process.stderr, or a test's stand-in. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Back to the start of the line, erased: how a progress line is redrawn in place. */
const REDRAW = "\r\x1b[2K";

/**
 * The one way the command line writes for a person. Text passes through terminalText, so control codes
 * from plans, tools or models are shown, never obeyed; JSON through terminalJson, which keeps its data.
 */
export class TerminalOutput implements OutputStream {
  constructor(private readonly stream: OutputStream) {}

  get isTTY(): boolean | undefined {
    return this.stream.isTTY;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  write(text: string): void {
    this.stream.write(terminalText(text));
  }

  /** One JSON document (or JSON line, without indent) and a newline. */
  json(value: unknown, indent?: number): void {
    this.stream.write(`${terminalJson(value, indent)}\n`);
  }

  /** Replaces the current line on a terminal: progress redrawn in place. */
  redraw(line: string): void {
    this.stream.write(`${REDRAW}${terminalText(line)}`);
  }
}

/** Wraps a stream once: a TerminalOutput is returned as it is. */
export function terminalOutput(stream: OutputStream): TerminalOutput {
  return stream instanceof TerminalOutput ? stream : new TerminalOutput(stream);
}

export const stdout = new TerminalOutput(process.stdout);
export const stderr = new TerminalOutput(process.stderr);
