import type { ContactDetail } from "../channels";
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
 *
 * And by channel: someone the request reaches two ways ("text Mr. Greene, email him the photo") is looked
 * up once with each, once looked up at all. Before a step that sends by one channel, and before the join,
 * such a person's missing look-up comes first (channelMissingBefore).
 */

/** How the plan reaches people by channel: who by which, the look-up tool of each, the channel of each send. */
export interface Channels {
  /** Name as the request writes it → every channel the request reaches that person by (PersonMention.reaches). */
  reaches: ReadonlyMap<string, readonly ContactDetail[]>;
  /** The selected look-up tool of each channel. */
  lookUpTool: ReadonlyMap<ContactDetail, string>;
  /** The channel each selected sending tool sends by. */
  sendsBy: ReadonlyMap<string, ContactDetail>;
  /** Whether the grammar lets that look-up tool name that person. */
  canLookUp: (tool: string, person: string) => boolean;
}

export class LookupCoverage {
  private readonly found = new Set<string>();
  /** Each look-up kept, and each channel look-up asked for already (lookupKey). */
  private readonly foundBy = new Set<string>();
  private readonly askedBy = new Set<string>();

  /**
   * `recipients`: the request's recipients, list by list, as the grammar offers them; `sending`: the
   * names of the selected tools that send to or invite people (sendingTools).
   */
  constructor(
    private readonly recipients: readonly (readonly string[])[],
    private readonly sending: ReadonlySet<string>,
    private readonly askedAbout: readonly string[] = [],
    private readonly channels?: Channels,
  ) {}

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const lookup = readLookup(line);
    if (!lookup) return;
    this.found.add(lookup.name.toLowerCase());
    this.foundBy.add(lookupKey(lookup.tool, lookup.name));
  }

  /** Whether a kept step looked `name` up with `tool` already. */
  lookedUpWith(tool: string, name: string): boolean {
    return this.foundBy.has(lookupKey(tool, name));
  }

  /**
   * The people to look up with one tool before `line`: those reached by the channel `line` sends by (any
   * channel, for the join) who were looked up, but not with that channel's tool. Each asked for once.
   */
  channelMissingBefore(line: string): { tool: string; names: string[] } | undefined {
    const step = stepToolOf(line);
    if (this.channels === undefined || step === undefined || readLookup(line)) return undefined;
    const { reaches, lookUpTool, sendsBy, canLookUp } = this.channels;
    const by = step === "join" ? undefined : sendsBy.get(step);
    if (step !== "join" && by === undefined) return undefined;
    for (const [detail, tool] of lookUpTool) {
      if (by !== undefined && detail !== by) continue;
      const names = [...reaches]
        .filter(([name, details]) => details.includes(detail) && this.has(name))
        .map(([name]) => name)
        .filter((name) => !this.lookedUpWith(tool, name) && !this.askedBy.has(lookupKey(tool, name)))
        .filter((name) => canLookUp(tool, name));
      if (names.length === 0) continue;
      for (const name of names) this.askedBy.add(lookupKey(tool, name));
      return { tool, names };
    }
    return undefined;
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

function lookupKey(tool: string, name: string): string {
  return `${tool}|${name.toLowerCase()}`;
}
