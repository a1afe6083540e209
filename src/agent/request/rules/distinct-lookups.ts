/**
 * A decoding rule for planners that copy contact names from the request's people (request/people.ts):
 * nobody is looked up twice with the same tool. A small model often writes the first name again where the
 * request lists two ("meeting with Priya and Dev" → get_email_address("Priya") twice); the grammar cannot
 * say "a name not used yet", so each finished look-up line is checked before it is streamed, and a repeat
 * becomes the first listed person that tool has not looked up yet. A repeat with nobody left stays as the
 * model wrote it. A name is written as the request spells it ("bruno" → "Bruno").
 *
 * Lines pass through whole: text is held until its line ends, so a rewritten line is never half-shown.
 */
const LOOKUP = /^(\s*\d+\.\s*)(get_phone_number|get_email_address)\("((?:[^"\\]|\\.)*)"\)(\s*)$/;

// A step, and its tool (or join).
const STEP = /^\s*\d+\.\s*(\w+)\(/;

/** The tool a plan line calls ("join" for the join); undefined for a thought or a broken line. */
export function stepToolOf(line: string): string | undefined {
  return STEP.exec(line)?.[1];
}

/** A plan line that looks a contact up: its parts, the name unescaped; undefined for any other line. */
export function readLookup(
  line: string,
): { head: string; tool: string; name: string; tail: string } | undefined {
  const match = LOOKUP.exec(line);
  if (!match) return undefined;
  const [, head, tool, written, tail] = match as unknown as [string, string, string, string, string];
  return { head, tool, name: written.replace(/\\(.)/g, "$1"), tail };
}

export class DistinctLookups {
  private pending = "";
  private readonly used = new Map<string, Set<string>>();

  /**
   * `people`: the request's people, in order, as the grammar offers them; `byTool`: fewer for a look-up
   * tool whose contact detail the request holds some people away from (GrammarOptions.peopleByDetail).
   */
  constructor(
    private readonly people: readonly string[],
    private readonly byTool: Readonly<Record<string, readonly string[]>> = {},
  ) {}

  /** Takes a chunk of plan text; returns the text whose lines are complete, rewritten where needed. */
  push(chunk: string): string {
    this.pending += chunk;
    const end = this.pending.lastIndexOf("\n");
    if (end < 0) return "";
    const ready = this.pending.slice(0, end + 1);
    this.pending = this.pending.slice(end + 1);
    return ready
      .split("\n")
      .map((line) => this.line(line))
      .join("\n");
  }

  /** The text still held (a last line without its newline), rewritten where needed. */
  end(): string {
    const rest = this.pending;
    this.pending = "";
    return rest === "" ? "" : this.line(rest);
  }

  /** Drops the text still held: the planner refused the line before it and writes that step again. */
  discard(): void {
    this.pending = "";
  }

  private line(line: string): string {
    const lookup = readLookup(line);
    if (!lookup) return line;
    const { head, tool, tail } = lookup;
    // The grammar lets a first letter's case go; the name is looked up as the request spells it.
    const name =
      this.people.find((person) => person.toLowerCase() === lookup.name.toLowerCase()) ?? lookup.name;
    const used = this.used.get(tool) ?? new Set<string>();
    this.used.set(tool, used);
    if (!used.has(name.toLowerCase())) {
      used.add(name.toLowerCase());
      return name === lookup.name ? line : `${head}${tool}(${JSON.stringify(name)})${tail}`;
    }
    const next = (this.byTool[tool] ?? this.people).find(
      (person) => person.toLowerCase() !== "me" && !used.has(person.toLowerCase()),
    );
    if (next === undefined) return line;
    used.add(next.toLowerCase());
    return `${head}${tool}(${JSON.stringify(next)})${tail}`;
  }
}
