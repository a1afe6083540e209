/**
 * A decoding rule for planners that copy contact names from the request (request-people.ts): a plan that
 * looks anyone up, or sends to or invites anyone, first looks up everyone the request sends to, meets or
 * asks about. A small model often stops after the first of several names ("text Hemi and Wiremu" → one
 * look-up), or sends without looking up ("zoom w/ priya" → no invitee); a grammar cannot count who is
 * still missing, so the planner checks each finished line. When a step would send, or a plan that has
 * looked someone up would move on (to another tool, or to its join), while a recipient is still missing,
 * the planner writes that step again as a look-up of one of them (GrammarOptions.lookUp) and lets the
 * model go on from there.
 *
 * The recipients are the names personMentions marks as such: introduced by "text", "email", "with", "cc",
 * "to" and the like, or asked about ("Ravi's number"); a name only talked about is left to the model.
 */
const LOOKUP = /^\s*\d+\.\s*(?:get_phone_number|get_email_address)\("((?:[^"\\]|\\.)*)"\)\s*$/;
// A step, and its tool (or join).
const STEP = /^\s*\d+\.\s*(\w+)\(/;

export class LookupCoverage {
  private readonly found = new Set<string>();
  private looked = false;

  /**
   * `recipients`: the request's recipients, in order, as the grammar offers them; `sending`: the names of
   * the selected tools that send to or invite people (sendingTools).
   */
  constructor(
    private readonly recipients: readonly string[],
    private readonly sending: ReadonlySet<string>,
  ) {}

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const match = LOOKUP.exec(line);
    if (!match) return;
    this.looked = true;
    this.found.add(match[1]!.replace(/\\(.)/g, "$1").toLowerCase());
  }

  /**
   * The recipients still to look up before `line`, a finished step the model wrote: none for a look-up,
   * for a step that does not send before the plan's first look-up, or once everyone is found.
   */
  missingBefore(line: string): string[] {
    const step = STEP.exec(line);
    if (!step || LOOKUP.test(line)) return [];
    if (!this.looked && !this.sending.has(step[1]!)) return [];
    return this.recipients.filter((person) => !this.found.has(person.toLowerCase()));
  }
}
