import type { Invocation } from "../../tools/backend";
import type { SettingsPane, ToolErrorCode } from "../../tools/tool-error";
import type { Step } from "../plan/plan";
import type { ArgumentSource } from "./argument-sources";

/** Arguments keyed by parameter name, with references already replaced by the results they point at. */
export type ResolvedArgs = Record<string, unknown>;

export type StepStatus = "queued" | "running" | "awaiting-confirmation" | "done" | "failed" | "skipped";

/** Why a step did not run. */
export type SkipCause = "dependency" | "declined" | "cancelled";

export interface StepError {
  code: ToolErrorCode | "invalid-arguments" | "unknown-tool" | "invalid-step";
  message: string;
  /** The System Settings pane that fixes a denied permission, for an "Open System Settings" action. */
  settings?: SettingsPane;
}

/** A step that ran and returned its observation. */
export interface DoneOutcome {
  status: "done";
  step: Step;
  args: ResolvedArgs;
  observation: string;
  invocations: Invocation[];
  durationMs: number;
  /**
   * Set when the step did not run because the same call already ran in an earlier round of the request
   * (before a replan): the index it had there. Its observation is that round's; nothing ran again.
   */
  reusedFrom?: number;
  /**
   * What the observation is, when the action said: whose number or address a look-up found ("Sid
   * Mehta's mobile number, from Contacts"). Steps using it show it in their confirmation, in this round
   * and, when the step is reused, in the next.
   */
  about?: string;
}

/** A step that could not do its job; its dependents are skipped. */
export interface FailedOutcome {
  status: "failed";
  step: Step;
  args?: ResolvedArgs;
  error: StepError;
  invocations: Invocation[];
  durationMs: number;
}

/** A step that never ran: declined, cancelled, or a dependency did not succeed. */
export interface SkippedOutcome {
  status: "skipped";
  step: Step;
  cause: SkipCause;
  reason: string;
  args?: ResolvedArgs;
}

/** How one step ended. Every step of a run ends as exactly one of these. */
export type StepOutcome = DoneOutcome | FailedOutcome | SkippedOutcome;

/** What a user interface hears about a run, in the order things happen. The last event of a step is its outcome. */
export type ExecutorEvent =
  | { type: "queued"; step: Step; dependencies: number[] }
  | {
      type: "awaiting-confirmation";
      step: Step;
      args: ResolvedArgs;
      /** Why a step without a declared side effect needs approval (the file it found is an app). */
      reason?: string;
      /** Which of the arguments earlier look-ups found, and whose they are. */
      sources?: ArgumentSource[];
    }
  | { type: "running"; step: Step; args: ResolvedArgs }
  | ({ type: "done" } & Omit<DoneOutcome, "status">)
  | ({ type: "failed" } & Omit<FailedOutcome, "status">)
  | { type: "skipped"; step: Step; cause: SkipCause; reason: string };

export interface RunResult {
  /** One outcome per step, in step order. */
  outcomes: StepOutcome[];
  cancelled: boolean;
  durationMs: number;
}
