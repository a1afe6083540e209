import { FILE_LOOKUP } from "../asked-tools";
import { stepToolOf } from "./distinct-lookups";

// Actions one clause may ask for more than once.
const UNCOUNTED = new Set(["create_reminder", FILE_LOOKUP]);

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
 * The other way round, an action the request asks for is not written more often than its clauses ask
 * (askedTimes): "email Professor Huang …, cc Felix" is one email, however often the model starts another.
 * Reminders and file look-ups are not held: one clause often asks for two ("remind me at 8pm to take my
 * antibiotics, and again tomorrow at 8am", "email the roster and the snack schedule").
 */
export class ActionCoverage {
  private readonly called = new Map<string, number>();
  private readonly askedFor = new Set<string>();
  private readonly asked: readonly string[];

  /** `times`: how often the request plainly asks for each tool (askedTimes) that the planner may write. */
  constructor(private readonly times: ReadonlyMap<string, number>) {
    this.asked = [...times.keys()];
  }

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const tool = stepToolOf(line);
    if (tool !== undefined) this.called.set(tool, (this.called.get(tool) ?? 0) + 1);
  }

  /** The tool of `line` when the plan already calls it as often as the request asks for it. */
  repeatedAction(line: string): string | undefined {
    const tool = stepToolOf(line);
    if (tool === undefined || UNCOUNTED.has(tool)) return undefined;
    const times = this.times.get(tool);
    return times !== undefined && (this.called.get(tool) ?? 0) >= times ? tool : undefined;
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
    const missing = due.find((asked) => !this.called.has(asked) && !this.askedFor.has(asked));
    if (missing) this.askedFor.add(missing);
    return missing;
  }
}
