import type { Choice, ToolBackend } from "../../tools/backend";
import type { ToolRegistry } from "../../tools/registry";
import { ToolError } from "../../tools/tool-error";
import type { App, Effect } from "../../tools/tool";
import { ask, type ToolSelector } from "../agent";
import type { ArgumentSource } from "../executor/argument-sources";
import { answerFor } from "../join/answer";
import type { ExecutorEvent, ResolvedArgs, StepError } from "../executor/events";
import type { Confirmation, ConfirmationRequest } from "../executor/executor";
import type { Problem, Step, Value } from "../plan/plan";
import type { PlanItem } from "../plan/parse";
import type { Planner } from "../planner/planner";
import { parseArgumentForm, type FormValues, type ParsedArguments } from "./argument-form";
import { resultTarget, type ResultTarget } from "./result-target";
import { referenceLabels, summarizeStep } from "./step-summary";

/** A step as the list shows it. "waiting" means waiting for the person: a confirmation. */
export type StepViewStatus = "queued" | "running" | "waiting" | "done" | "failed" | "skipped";

export interface StepView {
  index: number;
  tool: string;
  app: App | undefined;
  effect: Effect | undefined;
  summary: string;
  status: StepViewStatus;
  /** The arguments as the plan wrote them, references included. */
  plannedArgs: Value[];
  /** The resolved arguments (edited ones once edited), known when the step is about to run. */
  args?: ResolvedArgs;
  /** Which argument values earlier look-ups found, and whose they are ("Sid Mehta's work email"). */
  sources?: ArgumentSource[];
  /** Why a step without a declared side effect asks before going on (the file it found is an app). */
  confirmationReason?: string;
  edited: boolean;
  observation?: string;
  error?: StepError;
  skipReason?: string;
  durationMs?: number;
  result?: ResultTarget;
  /** Done in the first round of a request planned again: its result is reused, it did not run twice. */
  reused?: boolean;
}

export type RunPhase =
  /** The model is writing the plan; steps appear and read-only ones run as their lines are written. */
  | "planning"
  /** The plan is written and steps are running. */
  | "running"
  /** Steps with a side effect wait for Confirm and Run, Edit Arguments or Skip Step. */
  | "confirming"
  /** A lookup found several matches and waits for the person to pick one. */
  | "choosing"
  | "finished"
  | "cancelled"
  /** No tool fits the request. */
  | "no-tools"
  /** Planning itself failed (model, server, classifier); `message` says what to do. */
  | "failed";

export interface PendingChoice {
  step: number;
  question: string;
  options: Choice["options"];
}

export interface RunSnapshot {
  request: string;
  phase: RunPhase;
  steps: StepView[];
  /** The plan text as the model wrote it so far. */
  planText: string;
  problems: Problem[];
  /** Steps listed in the confirmation view (phase "confirming"), in plan order. */
  confirmation: number[];
  choice?: PendingChoice;
  message?: string;
  /**
   * Once the run is over: the answer built from the step results (join/answer.ts): the looked-up values,
   * or what was done and what was not.
   */
  answer?: string;
  /**
   * Set once the request is planned again after a fixable failure: "Trying again: " and why. The steps are
   * then the second plan's; the first plan's steps that succeeded show in it as done, reused.
   */
  retry?: string;
}

export interface AskRunOptions {
  request: string;
  planner: Planner;
  selector: ToolSelector;
  registry: ToolRegistry;
  backend: ToolBackend;
  customInstructions?: string;
  timeZone?: string;
  requestTime?: Date;
  maxTokens?: number;
  stepTimeoutMs?: number;
}

const TERMINAL: readonly RunPhase[] = ["finished", "cancelled", "no-tools", "failed"];

/**
 * The view model of one request: runs the real pipeline (select tools, plan while streaming, execute as
 * a DAG) and turns its events into a list a person can act on. It has no Raycast imports, so tests drive
 * it with a scripted planner and the recording backend.
 *
 * Confirmation. The executor asks about write steps one at a time, but a person should see every step
 * with a side effect at once, so questions are gathered: each write step shows as "waiting" with its
 * resolved arguments as soon as the executor reaches it, and the confirmation view opens once the plan
 * is fully written and nothing is running (read-only steps have run). Confirm and Run answers every
 * listed step: approve, or the edited arguments; Skip Step declines one at once. A step whose arguments
 * use the result of an earlier write (a Zoom link put into an event) cannot be shown with real arguments
 * before that write has run, so it is not listed in the first round: once the write ran it reaches
 * "waiting" with its arguments filled in and a second confirmation view lists it. Nothing is approved on
 * the person's behalf, and what is approved is exactly what was shown.
 */
export class AskRun {
  readonly done: Promise<RunSnapshot>;
  private readonly controller = new AbortController();
  private readonly views = new Map<number, StepView>();
  private readonly steps = new Map<number, Step>();
  private readonly problems: Problem[] = [];
  private readonly listeners = new Set<() => void>();
  /** Confirmation questions the executor has asked and the person has not answered yet. */
  private readonly openQuestions = new Map<number, (answer: Confirmation) => void>();
  /** Answers given before the executor got round to asking (it asks one question at a time). */
  private readonly answers = new Map<number, Confirmation>();
  /** Edited arguments, validated, to be sent with Confirm and Run. */
  private readonly drafts = new Map<number, ResolvedArgs>();
  private openChoice: { view: PendingChoice; answer: (value: string | undefined) => void } | undefined;
  private planText = "";
  private planWritten = false;
  private retry: string | undefined;
  private outcome:
    | { phase: "finished" | "cancelled" | "no-tools" | "failed"; message?: string; answer?: string }
    | undefined;
  private snapshot: RunSnapshot;
  private publishScheduled = false;

  constructor(private readonly options: AskRunOptions) {
    this.snapshot = this.build();
    this.done = this.run();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getSnapshot = (): RunSnapshot => this.snapshot;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Confirm and Run: approves every step of the confirmation view, with its edits. False when there is none. */
  confirmAll(): boolean {
    const listed = this.snapshot.phase === "confirming" ? this.snapshot.confirmation : [];
    for (const index of listed) {
      const draft = this.drafts.get(index);
      this.answer(index, draft ? { decision: "edit", args: draft } : { decision: "approve" });
    }
    this.schedulePublish();
    return listed.length > 0;
  }

  /** Skip Step: declines one waiting step now; the steps that use its result are skipped with it. */
  skip(index: number): boolean {
    if (!this.isUndecidedWaiting(index)) return false;
    this.answer(index, { decision: "decline", reason: "you skipped this step" });
    this.schedulePublish();
    return true;
  }

  /**
   * Edit Arguments: checks the form with the tool's schema. Valid arguments replace the shown ones and
   * are what Confirm and Run sends; invalid ones change nothing and come back with the reason per field.
   */
  edit(index: number, values: FormValues): ParsedArguments {
    const view = this.views.get(index);
    const tool = view && this.options.registry.get(view.tool);
    if (!view || !tool || !this.isUndecidedWaiting(index)) {
      return { ok: false, message: `Step ${index} is not waiting for confirmation.`, fieldErrors: {} };
    }
    const parsed = parseArgumentForm(tool, values);
    if (!parsed.ok) return parsed;
    this.drafts.set(index, parsed.args);
    this.update(index, { args: parsed.args, edited: true });
    this.schedulePublish();
    return parsed;
  }

  /** Answers the open choice with one of its values, or undefined to pick none (the lookup then fails). */
  choose(value: string | undefined): void {
    const open = this.openChoice;
    if (!open) return;
    this.openChoice = undefined;
    open.answer(value);
    this.schedulePublish();
  }

  /** Cancel: nothing new starts, running actions are stopped, the planner stops writing. */
  cancel(): void {
    if (TERMINAL.includes(this.snapshot.phase)) return;
    this.controller.abort(new ToolError("cancelled", "You cancelled the request."));
    this.schedulePublish();
  }

  private isUndecidedWaiting(index: number): boolean {
    return this.views.get(index)?.status === "waiting" && !this.answers.has(index);
  }

  private answer(index: number, answer: Confirmation): void {
    const open = this.openQuestions.get(index);
    if (open) {
      this.openQuestions.delete(index);
      open(answer);
    }
    // Kept also when delivered, so the step no longer counts as undecided until its next event.
    this.answers.set(index, answer);
  }

  private async run(): Promise<RunSnapshot> {
    const { options } = this;
    try {
      const outcome = await ask(options.request, {
        planner: this.observedPlanner(options.planner),
        selector: options.selector,
        registry: options.registry,
        backend: options.backend,
        signal: this.controller.signal,
        confirm: (request) => this.confirm(request),
        choose: (choice, step) => this.askChoice(choice, step),
        onEvent: (event) => this.onEvent(event),
        onItem: (item) => this.onItem(item),
        onReplan: (retry) => this.onReplan(retry),
        onText: (chunk) => {
          this.planText += chunk;
          this.schedulePublish();
        },
        ...(options.customInstructions ? { customInstructions: options.customInstructions } : {}),
        ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        ...(options.requestTime ? { requestTime: options.requestTime } : {}),
        ...(options.maxTokens ? { maxTokens: options.maxTokens } : {}),
        ...(options.stepTimeoutMs ? { stepTimeoutMs: options.stepTimeoutMs } : {}),
      });
      if (outcome.kind === "no-tools") this.outcome = { phase: "no-tools", message: outcome.message };
      else
        this.outcome = {
          phase: outcome.result.cancelled ? "cancelled" : "finished",
          answer: answerFor(outcome.result, outcome.earlier?.result),
        };
    } catch (error) {
      this.outcome = this.controller.signal.aborted
        ? { phase: "cancelled" }
        : { phase: "failed", message: error instanceof Error ? error.message : String(error) };
    }
    this.planWritten = true;
    this.openChoice = undefined;
    this.publish();
    return this.snapshot;
  }

  /**
   * The planner, with the end of its text observed: the confirmation view waits for the whole plan. The
   * last lines reach the executor through a few promise hops after the text ends, all microtasks, so the
   * flag is set one macrotask later, when every written step has been queued.
   */
  private observedPlanner(planner: Planner): Planner {
    const ended = () =>
      setTimeout(() => {
        this.planWritten = true;
        this.schedulePublish();
      }, 0);
    return {
      name: planner.name,
      // The prompt must stay the one this planner's model was trained on.
      ...(planner.promptStyle ? { promptStyle: planner.promptStyle } : {}),
      // And it is offered the tools it was trained to be offered.
      ...(planner.toolFloor !== undefined ? { toolFloor: planner.toolFloor } : {}),
      dispose: () => planner.dispose(),
      plan: (request) => {
        const run = planner.plan(request);
        async function* text(): AsyncGenerator<string> {
          try {
            yield* run.text;
          } finally {
            ended();
          }
        }
        return { text: text(), done: run.done };
      },
    };
  }

  private confirm(request: ConfirmationRequest): Promise<Confirmation> {
    const index = request.step.index;
    const given = this.answers.get(index);
    if (given) return Promise.resolve(given);
    return new Promise<Confirmation>((resolve) => {
      this.openQuestions.set(index, resolve);
      request.signal.addEventListener(
        "abort",
        () => resolve({ decision: "decline", reason: "the request was cancelled" }),
        { once: true },
      );
    });
  }

  private askChoice(choice: Choice, step: Step): Promise<string | undefined> {
    if (this.controller.signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const view = { step: step.index, question: choice.question, options: choice.options };
      this.openChoice = { view, answer: resolve };
      this.controller.signal.addEventListener("abort", () => this.choose(undefined), { once: true });
      this.schedulePublish();
    });
  }

  /**
   * The second plan replaces the first in the list: its steps reuse the first plan's numbers, and the
   * steps that succeeded before reappear in it as done. Cancel stops it like any run.
   */
  private onReplan(retry: { reason: string; byModel: boolean }): void {
    this.retry = `Trying again: ${retry.reason}`;
    this.views.clear();
    this.steps.clear();
    this.problems.length = 0;
    this.answers.clear();
    this.drafts.clear();
    this.planText = "";
    // A plan written by rules is whole at once; a model's is written when its text ends.
    this.planWritten = !retry.byModel;
    this.schedulePublish();
  }

  private onItem(item: PlanItem): void {
    if (item.kind === "problem") this.problems.push(item.problem);
  }

  private onEvent(event: ExecutorEvent): void {
    const index = event.step.index;
    switch (event.type) {
      case "queued":
        this.addStep(event.step);
        break;
      case "awaiting-confirmation":
        this.answers.delete(index);
        this.update(index, {
          status: "waiting",
          args: event.args,
          ...optional("sources", event.sources),
          ...optional("confirmationReason", event.reason),
        });
        break;
      case "running":
        this.update(index, { status: "running", args: event.args });
        break;
      case "done":
        this.update(index, {
          status: "done",
          args: event.args,
          observation: event.observation,
          durationMs: event.durationMs,
          ...optional("result", resultTarget(event.step.tool, event.observation)),
          ...optional("reused", event.reusedFrom === undefined ? undefined : true),
        });
        break;
      case "failed":
        this.update(index, {
          status: "failed",
          ...optional("args", event.args),
          error: event.error,
          durationMs: event.durationMs,
        });
        break;
      case "skipped":
        this.update(index, { status: "skipped", skipReason: event.reason });
        break;
    }
    this.schedulePublish();
  }

  private addStep(step: Step): void {
    const tool = this.options.registry.get(step.tool);
    this.steps.set(step.index, step);
    this.views.set(step.index, {
      index: step.index,
      tool: step.tool,
      app: tool?.app,
      effect: tool?.effect,
      summary: "",
      status: "queued",
      plannedArgs: step.args,
      edited: false,
    });
  }

  private update(index: number, change: Partial<StepView>): void {
    const view = this.views.get(index);
    if (!view) return;
    // Edited arguments stay on show until the executor reports what really ran.
    const keepDraft = change.status === "waiting" && this.drafts.has(index);
    this.views.set(index, { ...view, ...change, ...(keepDraft ? { args: this.drafts.get(index) } : {}) });
  }

  /** Snapshots are rebuilt once per burst of events, after the executor's synchronous follow-ups. */
  private schedulePublish(): void {
    if (this.publishScheduled) return;
    this.publishScheduled = true;
    queueMicrotask(() => {
      this.publishScheduled = false;
      this.publish();
    });
  }

  private publish(): void {
    this.snapshot = this.build();
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A broken view must not stop the run.
      }
    }
  }

  private build(): RunSnapshot {
    const labelOf = referenceLabels(this.steps);
    const steps = [...this.views.values()]
      .sort((a, b) => a.index - b.index)
      .map((view) => {
        const step = this.steps.get(view.index)!;
        const approved = view.status === "waiting" && this.answers.has(view.index);
        return {
          ...view,
          summary: summarizeStep(step, labelOf),
          status: approved ? "queued" : view.status,
        } as StepView;
      });
    const confirmation = steps.filter((step) => step.status === "waiting").map((step) => step.index);
    return {
      request: this.options.request,
      phase: this.phase(steps, confirmation),
      steps,
      planText: this.planText,
      problems: [...this.problems],
      confirmation,
      ...optional("choice", this.openChoice?.view),
      ...optional("message", this.outcome?.message),
      ...optional("answer", this.outcome?.answer),
      ...optional("retry", this.retry),
    };
  }

  private phase(steps: StepView[], confirmation: number[]): RunPhase {
    if (this.outcome) return this.outcome.phase;
    if (this.controller.signal.aborted) return "cancelled";
    if (this.openChoice) return "choosing";
    const busy = steps.some((step) => step.status === "running");
    if (this.planWritten && !busy && confirmation.length > 0) return "confirming";
    return this.planWritten ? "running" : "planning";
  }
}

/** `{ key: value }` when the value is defined, else nothing: for exactOptionalPropertyTypes-style spreads. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
