import { clausesOf } from "../clauses";

/**
 * A decoding rule for planners that copy from the request: a plan does not join while a part of the
 * request that plainly asks for an action has no step of that action. TinyAgent-micro, given "put the
 * board meeting thursday 6pm on my calendar, and remind me monday to send the follow up", often writes
 * the reminder and joins; the planner then refuses the join and starts the next step with the missing
 * tool, leaving its arguments to the model (GrammarOptions.startWith).
 *
 * Only unmistakable asks count, each clause on its own (request/clauses.ts): "remind me" or "a reminder"
 * (create_reminder), a calendar, an invite or a block of time outside a message (create_calendar_event),
 * a clause that starts with "text" (send_sms). Each tool is asked for at most once, and only when it is
 * selected: a rule that cannot be met must never hold the plan back.
 */
const ASKS: readonly { tool: string; asks: (clause: string, kind: string) => boolean }[] = [
  { tool: "create_reminder", asks: (clause) => /\bremind me\b|\breminders?\b/.test(clause) },
  {
    tool: "create_calendar_event",
    asks: (clause, kind) => kind === "event" && /\b(?:calendar|cal|invite|block)\b/.test(clause),
  },
  { tool: "send_sms", asks: (clause) => /^\W*(?:pls |please )?(?:text|txt|sms)\b/.test(clause) },
];

/** The tools the request's clauses plainly ask for, in the order they first ask. */
export function askedTools(request: string): string[] {
  const text = request.toLowerCase().replace(/\s+/g, " ");
  const asked: string[] = [];
  for (const clause of clausesOf(text)) {
    const words = text.slice(clause.start, clause.end);
    for (const { tool, asks } of ASKS)
      if (!asked.includes(tool) && asks(words, clause.kind)) asked.push(tool);
  }
  return asked;
}

// A step, and its tool (or join).
const STEP = /^\s*\d+\.\s*(\w+)\(/;

export class ActionCoverage {
  private readonly called = new Set<string>();
  private readonly askedFor = new Set<string>();

  /** `asked`: the tools the request asks for (askedTools) that the planner may write. */
  constructor(private readonly asked: readonly string[]) {}

  /** Records a line the plan keeps. */
  keep(line: string): void {
    const step = STEP.exec(line);
    if (step) this.called.add(step[1]!);
  }

  /** The tool the plan must call before `line` when it is the join; asked for once only. */
  missingBefore(line: string): string | undefined {
    if (STEP.exec(line)?.[1] !== "join") return undefined;
    const missing = this.asked.find((tool) => !this.called.has(tool) && !this.askedFor.has(tool));
    if (missing) this.askedFor.add(missing);
    return missing;
  }
}
