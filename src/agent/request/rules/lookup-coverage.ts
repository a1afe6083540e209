import { readLookup, stepToolOf } from "./distinct-lookups";

/**
 * A decoding rule for planners that copy contact names from the request (request/people.ts): a plan looks
 * up everyone the request sends to, meets or asks about. A small model often stops after the first of
 * several names ("text Hemi and Wiremu" → one look-up), or sends without looking up ("zoom w/ priya" → no
 * invitee); a grammar cannot count who is still missing, so the planner checks each finished line, and
 * when a line comes too early it writes that step again as a look-up of someone missing
 * (GrammarOptions.lookUp) and lets the model go on from there.
 *
 * Too early means:
 * - a step that sends (a tool with a recipient list) while someone named in the same list as a person
 *   already looked up is missing: "email Sid, Lutfi and Nadia" is one message to three people. With
 *   nobody looked up yet, the request's first list counts: "zoom w/ priya".
 * - the plan's join, after a look-up, while any recipient is missing: "email Zawadi and text Mustafa" is
 *   two messages, so Mustafa may come after Zawadi's email, but must come. Before any look-up, the join
 *   waits only for the people whose details the request asks for ("put Tariq's number in my notes").
 * Other steps (a note, a map) may come between look-ups as the model likes.
 */

export class LookupCoverage {
  private readonly found = new Set<string>();

  /**
   * `recipients`: the request's recipients, list by list, as the grammar offers them; `sending`: the
   * names of the selected tools that send to or invite people (sendingTools).
   */
  constructor(
    private readonly recipients: readonly (readonly string[])[],
    private readonly sending: ReadonlySet<string>,
    private readonly askedAbout: readonly string[] = [],
  ) {}

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const lookup = readLookup(line);
    if (lookup) this.found.add(lookup.name.toLowerCase());
  }

  /** The recipients to look up before `line`, a finished step the model wrote (see above); often none. */
  missingBefore(line: string): string[] {
    const tool = stepToolOf(line);
    if (tool === undefined || readLookup(line)) return [];
    const missing = (list: readonly string[]) => list.filter((person) => !this.has(person));
    if (tool === "join") return missing(this.found.size > 0 ? this.recipients.flat() : this.askedAbout);
    if (!this.sending.has(tool)) return [];
    if (this.found.size === 0) return missing(this.recipients[0] ?? []);
    const started = this.recipients.filter((list) => list.some((person) => this.has(person)));
    return missing(started.flat());
  }

  private has(person: string): boolean {
    return this.found.has(person.toLowerCase());
  }
}
