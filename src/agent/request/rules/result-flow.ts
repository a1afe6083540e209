import type { z } from "zod";
import { resultUseOf, type ResultKind, type ResultUse } from "../../../tools/formats";
import { toolParams, type AnyTool } from "../../../tools/tool";
import { parsePlan } from "../../plan/parse";
import type { Step, Value } from "../../plan/plan";
import { wholeReference } from "../../plan/references";
import { serializeValue } from "../../plan/serialize";
import { readLookup } from "./distinct-lookups";

/**
 * A decoding rule for planners that copy from the request: results flow where they belong. Each tool's
 * result has a kind (formats.ts ResultKind) and each parameter that takes results says which kinds; a
 * small model mixes them up ("text Arjun the link" → the Zoom link among the SMS recipients, an email
 * address where a phone number goes) and writes its own text where a summary or link should go. The
 * grammar cannot know which tool an earlier step of the same round called, so each finished line is
 * checked here and rewritten before it is streamed:
 *
 * - a list that takes results (recipients, cc, invitees, attachments) keeps only references to steps of
 *   the kinds it takes, each once; what the request itself wrote (an address) stays;
 * - a list of people goes to whole lists the request names: with one of "Priya and Dev" in it, both,
 *   when both are looked up by a tool it takes; with a recipient in it, nobody the request only asks
 *   about ("what's my dad's cell? … text my brother Kofi" sends to Kofi alone);
 * - free text that carries results (a message, an email body, event notes, a note's text) becomes the
 *   reference to a summary or meeting link that no step has used yet, or that the request asks to pass on
 *   ("text Kenji the link", "email the summary"), instead of the model's own words.
 *
 * Lines pass through whole, like DistinctLookups: a rewritten line is never half-shown.
 */
export class ResultFlow {
  /** What each kept step returns; undefined for a result no later step may take (a confirmation). */
  private readonly kinds = new Map<number, ResultKind | undefined>();
  private readonly used = new Set<number>();
  /** Whom each kept look-up step looked up, in lower case. */
  private readonly lookedUp = new Map<number, string>();

  /**
   * `tools`: the selected tools; `request`: the person's words, for what they ask to pass on;
   * `recipients`: the request's recipients, list by list (GrammarOptions.recipients), and `askedAbout`
   * those whose details it only asks for (GrammarOptions.askedAbout).
   */
  constructor(
    private readonly tools: readonly AnyTool[],
    private readonly request: string,
    private readonly recipients: readonly (readonly string[])[] = [],
    private readonly askedAbout: readonly string[] = [],
  ) {}

  /** The line as the plan keeps it; any line but a finished step passes unchanged. */
  rewrite(line: string): string {
    const read = this.readStep(line);
    if (!read) return line;
    const { step, tool } = read;
    const params = toolParams(tool);
    const uses = params.map((param) => resultUseOf(tool.args.shape[param.name] as z.ZodType));
    const args = params.map((param, position) => {
      const value = step.args[position] ?? null;
      const use = uses[position];
      if (!use) return value;
      if (Array.isArray(value)) return this.fitList(value, use.takes);
      const schema = tool.args.shape[param.name] as z.ZodType;
      if (use.carries) return this.carried(value, use.takes, use.carries === "unused", schema) ?? value;
      return value;
    });
    this.moveToList(step.args, args, uses);
    if (args.every((arg, i) => arg === step.args[i])) return line;
    const ending = /\s*$/.exec(line)?.[0] ?? "";
    return `${step.index}. ${step.tool}(${args.map(serializeValue).join(", ")})${ending}`;
  }

  /**
   * A file the model wrote into text goes to the step's list of files: "$1", a file, as an email's body is
   * its attachment.
   */
  private moveToList(
    written: readonly Value[],
    args: Value[],
    uses: readonly (ResultUse | undefined)[],
  ): void {
    written.forEach((value, position) => {
      const reference = typeof value === "string" ? wholeReference(value) : undefined;
      const kind = reference === undefined ? undefined : this.kinds.get(reference);
      // Only files: moving an address would send to someone the model did not write as a recipient.
      if (kind !== "file-path" || !uses[position]?.carries) return;
      const list = uses.findIndex((use, i) => Array.isArray(args[i]) && use?.takes.includes(kind));
      if (list < 0 || (args[list] as Value[]).includes(value)) return;
      args[list] = [...(args[list] as Value[]), value];
    });
  }

  /** Records a line the plan keeps: what its step returns, and which results it uses. */
  keep(line: string): void {
    const read = this.readStep(line);
    if (!read) return;
    this.kinds.set(read.step.index, read.tool.result);
    const lookup = readLookup(line);
    if (lookup) this.lookedUp.set(read.step.index, lookup.name.toLowerCase());
    for (const value of read.step.args.flat()) {
      const reference = wholeReference(value);
      if (reference !== undefined) this.used.add(reference);
    }
  }

  /** The one step a finished line holds, with its tool; undefined for a thought, the join or a broken line. */
  private readStep(line: string): { step: Step; tool: AnyTool } | undefined {
    const { plan } = parsePlan(line.trimEnd());
    const step = plan.steps[0];
    if (!step || plan.steps.length !== 1) return undefined;
    const tool = this.tools.find((candidate) => candidate.name === step.tool);
    return tool ? { step, tool } : undefined;
  }

  private fitList(items: Value[], takes: readonly ResultKind[]): Value[] {
    const seen = new Set<string>();
    const kept = items.filter((item) => {
      const reference = wholeReference(item);
      const kind = reference === undefined ? undefined : this.kinds.get(reference);
      // A step whose result is no kind at all ("Created the event…") is no address either.
      if (reference !== undefined && (kind === undefined || !takes.includes(kind))) return false;
      const key = JSON.stringify(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const whole = this.wholeLists(kept, takes);
    return whole.length === items.length && whole.every((item, i) => item === items[i]) ? items : whole;
  }

  /** The list with the whole recipient lists its people belong to, and without people only asked about. */
  private wholeLists(items: Value[], takes: readonly ResultKind[]): Value[] {
    const personOf = (item: Value) => {
      const reference = wholeReference(item);
      return reference === undefined ? undefined : this.lookedUp.get(reference);
    };
    const named = new Set(items.map(personOf).filter((person) => person !== undefined));
    const asked = new Set(this.askedAbout.map((name) => name.toLowerCase()));
    const groups = this.recipients
      .map((group) => group.map((name) => name.toLowerCase()))
      .filter((group) => !group.every((name) => asked.has(name)));
    const anyRecipient = new Set(groups.flat());
    if (![...named].some((person) => anyRecipient.has(person))) return items;
    const kept = items.filter((item) => {
      const person = personOf(item);
      return person === undefined || anyRecipient.has(person);
    });
    const wanted = new Set(groups.filter((group) => group.some((name) => named.has(name))).flat());
    for (const [index, person] of this.lookedUp) {
      const kind = this.kinds.get(index);
      if (!wanted.has(person) || named.has(person) || kind === undefined || !takes.includes(kind)) continue;
      kept.push(`$${index}`);
      named.add(person);
    }
    return kept;
  }

  /**
   * The reference a carrying text should be, or undefined to keep what the model wrote. A reference the
   * model wrote stays unless it is a result of another kind ("$1", an email address, in an event's notes) or,
   * with `onlyUnused`, one another step passed on already; then it becomes the right result, or empty text
   * where the parameter allows it.
   */
  private carried(
    value: Value,
    takes: readonly ResultKind[],
    onlyUnused: boolean,
    schema: z.ZodType,
  ): string | undefined {
    const steps = [...this.kinds].filter(([, kind]) => kind !== undefined && takes.includes(kind)).reverse();
    const unused = steps.find(([index]) => !this.used.has(index));
    const written = typeof value === "string" ? wholeReference(value) : undefined;
    if (written !== undefined) {
      const kind = this.kinds.get(written);
      // A result of no kind (an opened note's text) may be what the text is: only a wrong kind is replaced.
      const wrong = kind !== undefined && !takes.includes(kind);
      if (!wrong && !(onlyUnused && kind !== undefined && this.used.has(written))) return undefined;
      const instead = onlyUnused ? unused : (unused ?? steps[0]);
      if (instead) return `$${instead[0]}`;
      return schema.safeParse("").success ? "" : undefined;
    }
    if (onlyUnused) return unused ? `$${unused[0]}` : undefined;
    const asked = steps.find(([, kind]) => kind !== undefined && ASKED[kind]?.test(this.request));
    const chosen = unused ?? asked;
    return chosen ? `$${chosen[0]}` : undefined;
  }
}

/** Words by which a request asks to pass a result on. */
const ASKED: Partial<Record<ResultKind, RegExp>> = {
  "meeting-link": /\b(?:link|invite details|zoom details)\b/i,
  summary: /\bsummar(?:y|ies|ize|ise|ized|ised)\b|\bthe gist\b/i,
};
