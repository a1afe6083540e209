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
 * While a question waits for its answer, everything else written here waits too (see `question`).
 */
export class TerminalOutput implements OutputStream {
  /** Text written while a question is open, in order. */
  private held: string[] | undefined;

  constructor(private readonly stream: OutputStream) {}

  get isTTY(): boolean | undefined {
    return this.stream.isTTY;
  }

  get columns(): number | undefined {
    return this.stream.columns;
  }

  write(text: string): void {
    this.send(terminalText(text));
  }

  /** One JSON document (or JSON line, without indent) and a newline. */
  json(value: unknown, indent?: number): void {
    this.send(`${terminalJson(value, indent)}\n`);
  }

  /**
   * Asks a question on this stream. What `ask` writes through `say` goes out at once; lines written
   * meanwhile by anything else (steps finishing in parallel) wait and follow the answer, so they never land
   * on the prompt the person is typing at.
   */
  async question<T>(ask: (say: (text: string) => void) => Promise<T>): Promise<T> {
    if (this.held) return ask((text) => this.stream.write(terminalText(text)));
    this.held = [];
    try {
      return await ask((text) => this.stream.write(terminalText(text)));
    } finally {
      const held = this.held;
      this.held = undefined;
      for (const text of held) this.stream.write(text);
    }
  }

  private send(text: string): void {
    if (this.held) this.held.push(text);
    else this.stream.write(text);
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
