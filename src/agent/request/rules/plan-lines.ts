import {
  lookUpTools,
  recipientDetailOf,
  sendingTools,
  withContactDetails,
  type GrammarOptions,
} from "../../plan/grammar";
import type { ContactDetail } from "../channels";
import { END_OF_PLAN } from "../../plan/plan";
import type { AnyTool } from "../../../tools/tool";
import { askedTimes } from "../asked-tools";
import { ActionCoverage } from "./action-coverage";
import { DistinctLookups, readLookup } from "./distinct-lookups";
import { LookupCoverage, type Channels } from "./lookup-coverage";
import { ResultFlow } from "./result-flow";

/**
 * For a planner that copies from the request, the plan goes out line by line through the decoding rules
 * a grammar cannot state: nobody is looked up twice by one tool (distinct-lookups.ts), a plan that looks
 * anyone up, or sends to anyone, looks up every recipient (lookup-coverage.ts), and results go where their
 * kind belongs (result-flow.ts), and the plan does not join while an action the request plainly asks for
 * has no step (action-coverage.ts). Without a request to copy from (undefined), token by token.
 */
export function planLines(
  copied: GrammarOptions,
  tools: readonly AnyTool[],
  maxSteps: number,
): PlanLines | undefined {
  if (copied.request === undefined) return undefined;
  const sending = new Set(sendingTools(tools).map((tool) => tool.name));
  const people = copied.people ?? [];
  const byTool = Object.fromEntries(
    lookUpTools(withContactDetails(tools, copied.contactDetails)).map((tool) => [
      tool.name,
      copied.peopleByDetail?.[tool.result as ContactDetail] ?? people,
    ]),
  );
  // The coverage rule asks only for look-ups the grammar can write: else a refused line comes back forever.
  const lookable = new Set(Object.values(byTool).flatMap((names) => names.map((name) => name.toLowerCase())));
  const canBe = (person: string) => lookable.has(person.toLowerCase());
  const selected = new Set(tools.map((tool) => tool.name));
  return new PlanLines(
    maxSteps,
    new DistinctLookups(people, byTool),
    new LookupCoverage(
      (copied.recipients ?? []).map((group) => group.filter(canBe)).filter((group) => group.length > 0),
      sending,
      (copied.askedAbout ?? []).filter(canBe),
      channelsOf(tools, copied, byTool),
    ),
    new ResultFlow(tools, copied.request, copied.recipients ?? [], copied.askedAbout ?? []),
    new ActionCoverage(new Map([...askedTimes(copied.request)].filter(([tool]) => selected.has(tool)))),
  );
}

/** How the request reaches people by channel, for the look-up coverage rule; undefined when it says nothing. */
function channelsOf(
  tools: readonly AnyTool[],
  copied: GrammarOptions,
  byTool: Record<string, readonly string[]>,
): Channels | undefined {
  if (copied.reaches === undefined) return undefined;
  const lookUpTool = new Map(
    Object.keys(byTool).map((name) => [
      tools.find((tool) => tool.name === name)!.result as ContactDetail,
      name,
    ]),
  );
  const sendsBy = new Map(
    sendingTools(tools).flatMap((tool) => {
      const detail = recipientDetailOf(tool);
      return detail ? [[tool.name, detail] as const] : [];
    }),
  );
  const canLookUp = (tool: string, person: string) =>
    (byTool[tool] ?? []).some((name) => name.toLowerCase() === person.toLowerCase());
  return { reaches: new Map(Object.entries(copied.reaches)), lookUpTool, sendsBy, canLookUp };
}

/** What the step after a refused line must be: the grammar options of the next round. */
export type NextStep = Pick<GrammarOptions, "lookUp" | "lookUpWith" | "startWith" | "startWithout">;

/**
 * The plan's finished lines, as they pass the decoding rules. A line a rule refuses ends the round: the
 * planner then goes on after `written`, its next step held to `takeNextStep()` (a look-up of someone
 * missing, a call of a missing tool, or any call but a repeated look-up's).
 */
export class PlanLines {
  /** The lines kept so far, and how many steps they hold: the next round goes on after them. */
  written = "";
  steps = 0;
  private next: NextStep | undefined;
  private repeatsRefused = 0;

  constructor(
    private readonly maxSteps: number,
    private readonly lookups: DistinctLookups,
    private readonly coverage: LookupCoverage,
    private readonly flow: ResultFlow,
    private readonly actions: ActionCoverage,
  ) {}

  /** What the refused line calls for; the next round starts with nothing refused. */
  takeNextStep(): NextStep {
    const next = this.next ?? {};
    this.next = undefined;
    return next;
  }

  /** Takes a chunk; streams the lines it finishes. False when a line is refused: stop generating. */
  push(chunk: string, canLookUp: boolean, emit: (text: string) => void): boolean {
    if (this.next !== undefined) return false;
    const ready = this.lookups.push(chunk);
    if (ready === "") return true;
    for (const line of ready.slice(0, -1).split("\n"))
      if (!this.take(`${line}\n`, canLookUp, emit, true)) return false;
    return true;
  }

  /** The last line (the join), at the end of generation. False when it is refused: go on with a look-up. */
  end(canLookUp: boolean, emit: (text: string) => void): boolean {
    const rest = this.lookups.end();
    // Text cut off by the token limit is no finished step to judge.
    const finished = rest.includes(END_OF_PLAN);
    return rest === "" || this.take(rest, canLookUp && finished, emit, finished);
  }

  private take(
    written: string,
    canLookUp: boolean,
    emit: (text: string) => void,
    canAddStep = false,
  ): boolean {
    const line = this.flow.rewrite(written);
    this.next = this.refusal(line, canLookUp, canAddStep);
    if (this.next !== undefined) {
      this.lookups.discard();
      return false;
    }
    this.coverage.keep(line);
    this.actions.keep(line);
    this.flow.keep(line);
    this.written += line;
    if (/^\s*\d+\./.test(line) && line.endsWith("\n")) this.steps++;
    emit(line);
    return true;
  }

  /** What must come before `line` instead of it, by the first rule that refuses it; undefined to keep it. */
  private refusal(line: string, canLookUp: boolean, canAddStep: boolean): NextStep | undefined {
    const missing = canLookUp ? this.coverage.missingBefore(line) : [];
    if (missing.length > 0) return { lookUp: missing };
    const byChannel = canLookUp ? this.coverage.channelMissingBefore(line) : undefined;
    if (byChannel) return { lookUp: byChannel.names, lookUpWith: byChannel.tool };
    const tool = canAddStep && this.steps < this.maxSteps ? this.actions.missingBefore(line) : undefined;
    if (tool !== undefined) return { startWith: tool };
    if (!canAddStep || this.repeatsRefused >= MAX_REPEATS_REFUSED) return undefined;
    const repeated = this.repeatedLookup(line) ?? this.actions.repeatedAction(line);
    if (repeated === undefined) return undefined;
    this.repeatsRefused++;
    return { startWithout: repeated };
  }

  /**
   * The tool of a look-up of someone that tool already looked up, when nobody else was left to look up
   * (distinct-lookups.ts leaves such a repeat as written), or of an action the request asked for fewer
   * times (action-coverage.ts): the step is written again without it. A few times per plan at most, so
   * that a model set on it still ends.
   */
  private repeatedLookup(line: string): string | undefined {
    const lookup = readLookup(line);
    if (!lookup) return undefined;
    return this.coverage.lookedUpWith(lookup.tool, lookup.name) ? lookup.tool : undefined;
  }
}

const MAX_REPEATS_REFUSED = 3;
