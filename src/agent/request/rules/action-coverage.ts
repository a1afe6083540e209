import { FILE_LOOKUP, type AskedTimes } from "../asked-tools";
import { stepToolOf } from "./distinct-lookups";

// Steps that attach files.
const SENDS_FILES = new Set(["compose_new_email", "reply_to_email", "forward_email"]);

/**
 * A decoding rule for planners that copy from the request: a plan does not join while a part of the
 * request that plainly asks for an action has no step of that action (request/asked-tools.ts).
 * TinyAgent-micro, given "put the board meeting thursday 6pm on my calendar, and remind me monday to send
 * the follow up", often writes the event and joins; the planner then refuses the join and starts the next
 * step with the missing tool, leaving its arguments to the model (GrammarOptions.startWith). Likewise an
 * email that should carry a document the request names ("email Sandeep the keynote slides") waits for the
 * file look-up, so that it can attach its result.
 *
 * Each tool is asked for at most once, and only when it is selected: a rule that cannot be met must never
 * hold the plan back.
 *
 * A reminder clause that lists things asks for a reminder each ("remind me at 8pm to take my antibiotics,
 * and again tomorrow at 8am"), and the other way round, an action the request asks for is not written more
 * often than it asks (askedTimes): "email Professor Huang …, cc Felix" is one email, however often the
 * model starts another.
 */
export class ActionCoverage {
  private readonly called = new Map<string, number>();
  private readonly askedFor = new Set<string>();
  private readonly asked: readonly string[];

  /** `times`: how often the request plainly asks for each tool (askedTimes) that the planner may write. */
  constructor(private readonly times: ReadonlyMap<string, AskedTimes>) {
    this.asked = [...times].filter(([, asked]) => asked.least > 0).map(([tool]) => tool);
  }

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const tool = stepToolOf(line);
    if (tool !== undefined) this.called.set(tool, (this.called.get(tool) ?? 0) + 1);
  }

  private least(tool: string): number {
    return this.times.get(tool)?.least ?? 1;
  }

  /** The tool of `line` when the plan already calls it as often as the request asks for it. */
  repeatedAction(line: string): string | undefined {
    const tool = stepToolOf(line);
    if (tool === undefined) return undefined;
    const most = this.times.get(tool)?.most;
    return most !== undefined && (this.called.get(tool) ?? 0) >= most ? tool : undefined;
  }

  /**
   * The tool the plan must call before `line`: before the join, any action asked for; before an email,
   * the file look-up. Each asked for once only.
   */
  missingBefore(line: string): string | undefined {
    const tool = stepToolOf(line);
    if (tool === undefined) return undefined;
    const due =
      tool === "join"
        ? this.asked.filter((asked) => asked !== FILE_LOOKUP)
        : SENDS_FILES.has(tool)
          ? this.asked.filter((asked) => asked === FILE_LOOKUP)
          : [];
    // Asked for once per missing step: "the second reminder" is asked for once, like the first.
    const key = (asked: string) => `${asked}#${this.called.get(asked) ?? 0}`;
    const short = (asked: string) =>
      (this.called.get(asked) ?? 0) < (tool === "join" ? this.least(asked) : 1);
    const missing = due.find((asked) => short(asked) && !this.askedFor.has(key(asked)));
    if (missing) this.askedFor.add(key(missing));
    return missing;
  }
}
