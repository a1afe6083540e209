import type { ActionConfirmation, Choice, ToolBackend, ToolResult } from "../../tools/backend";
import { defaultRegistry, type ToolRegistry } from "../../tools/registry";
import type { AnyTool } from "../../tools/tool";
import { ToolError } from "../../tools/tool-error";
import { referencesIn } from "../plan/references";
import type { Step } from "../plan/plan";
import type { ArgumentSource } from "./argument-sources";
import type {
  DoneOutcome,
  ExecutorEvent,
  ResolvedArgs,
  RunResult,
  SkipCause,
  StepError,
  StepOutcome,
} from "./events";
import { checkArguments, resolveArguments } from "./resolve";
import { stateOrdering } from "./shared-state";

export interface ConfirmationRequest {
  step: Step;
  tool: AnyTool;
  /** The arguments the action would run with, references already replaced. */
  args: ResolvedArgs;
  /**
   * Present when a step without a declared side effect found one while running (the file it found is an
   * app): why it needs approval. `args` then hold what was found (the file's full path).
   */
  reason?: string;
  /**
   * The values in `args` that earlier look-ups found, and whose they are ("Sid Patel's mobile number, from
   * Contacts"); absent when no argument came from a described result.
   */
  sources?: ArgumentSource[];
  /** Aborted when the run is cancelled while the question is open. */
  signal: AbortSignal;
}

export type Confirmation =
  | { decision: "approve" }
  | { decision: "edit"; args: ResolvedArgs }
  | { decision: "decline"; reason?: string };

export interface ExecuteOptions {
  backend: ToolBackend;
  /** The tools steps may call. Defaults to all 16. */
  registry?: ToolRegistry;
  /**
   * Asked before every step whose effect is "write", and when a running step finds that what it is about
   * to do has a side effect (open_and_get_file_path found an app or a script), one question at a time.
   * Without it, such steps are declined: nothing with a side effect runs unapproved.
   */
  confirm?: (request: ConfirmationRequest) => Promise<Confirmation>;
  /** Asked when a lookup finds several matches. Without it, ambiguous lookups fail instead of guessing. */
  choose?: (choice: Choice, step: Step) => Promise<string | undefined>;
  signal?: AbortSignal;
  /** Longest a single action may run, confirmation time excluded. Default 30 s. */
  stepTimeoutMs?: number;
  /**
   * Steps that ran in an earlier round of the same request (before a replan). A step that makes the same
   * call (same tool and resolved arguments, or the same reference-free arguments as planned, so an edit
   * made before it ran still counts) takes that result without running or asking again: nothing that
   * already ran runs twice.
   */
  alreadyRan?: readonly DoneOutcome[];
  /** Hears every event; a listener that throws cannot break the run. */
  onEvent?: (event: ExecutorEvent) => void;
  /** Clock for durations, in milliseconds. */
  now?: () => number;
}

/**
 * Runs a plan as a DAG. Each step starts the moment its dependencies are done, also while the plan is
 * still streaming in; independent steps run concurrently. A failed or declined step skips exactly the
 * steps that depend on it, and an error is never passed on as a value.
 */
export function executePlan(
  steps: Iterable<Step> | AsyncIterable<Step>,
  options: ExecuteOptions,
): Promise<RunResult> {
  return new PlanRun(options).execute(steps);
}

/** How a question asked while a step ran was answered, when it was not a plain yes. */
type FoundEffectAnswer =
  | { kind: "approved"; args: ResolvedArgs }
  | { kind: "declined"; reason: string }
  | { kind: "invalid"; message: string; args: ResolvedArgs };

type StepState = {
  step: Step;
  /** Steps whose results this one uses: their failure skips it. */
  dependencies: number[];
  /** Earlier writes to the same app state: this step only waits for them to end. */
  after: number[];
  phase: "pending" | "started" | "settled";
  outcome?: StepOutcome;
};

const DEFAULT_STEP_TIMEOUT_MS = 30_000;

class PlanRun {
  private readonly states: StepState[] = [];
  private readonly byIndex = new Map<number, StepState>();
  private readonly registry: ToolRegistry;
  private readonly now: () => number;
  private readonly signal: AbortSignal;
  private streamEnded = false;
  private unsettled = 0;
  private wakeWhenIdle: (() => void) | undefined;
  /** Confirmations and choices are asked one at a time, in the order they come up. */
  private questions: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: ExecuteOptions) {
    this.registry = options.registry ?? defaultRegistry;
    this.now = options.now ?? (() => performance.now());
    this.signal = options.signal ?? new AbortController().signal;
  }

  async execute(steps: Iterable<Step> | AsyncIterable<Step>): Promise<RunResult> {
    const startedAt = this.now();
    const onAbort = () => this.cancelPending();
    this.signal.addEventListener("abort", onAbort, { once: true });
    let streamError: unknown;
    try {
      await this.consume(steps);
    } catch (error) {
      streamError = error;
    }
    this.streamEnded = true;
    for (const state of this.states) if (state.phase === "pending") this.tryStart(state);
    await this.idle();
    this.signal.removeEventListener("abort", onAbort);
    if (streamError !== undefined) throw streamError;
    const outcomes = this.states.map((state) => state.outcome!).sort((a, b) => a.step.index - b.step.index);
    return { outcomes, cancelled: this.signal.aborted, durationMs: this.now() - startedAt };
  }

  /** Takes steps as they arrive; stops listening to the stream as soon as the run is cancelled. */
  private async consume(steps: Iterable<Step> | AsyncIterable<Step>): Promise<void> {
    if (!(Symbol.asyncIterator in steps)) {
      // A plan already in memory is taken whole, so even a cancelled run has an outcome for every step.
      for (const step of steps) this.add(step);
      return;
    }
    const iterator = steps[Symbol.asyncIterator]();
    try {
      for (;;) {
        const next = await untilAborted(iterator.next(), this.signal);
        if (next.done) return;
        this.add(next.value);
      }
    } catch (error) {
      if (!this.signal.aborted) throw error;
      iterator.return?.().catch(() => undefined);
    }
  }

  private add(step: Step): void {
    const earlier = this.states.map((other) => other.step);
    const state: StepState = {
      step,
      dependencies: referencesIn(step.args),
      after: stateOrdering(step, earlier, this.registry),
      phase: "pending",
    };
    this.states.push(state);
    this.unsettled++;
    this.emit({ type: "queued", step, dependencies: state.dependencies });
    if (this.byIndex.has(step.index)) {
      this.fail(state, { code: "invalid-step", message: `step number ${step.index} is used twice` }, 0);
      return;
    }
    this.byIndex.set(step.index, state);
    this.tryStart(state);
  }

  /** Starts a pending step if its dependencies are done, or skips it if one of them cannot be. */
  private tryStart(state: StepState): void {
    if (state.phase !== "pending") return;
    if (this.signal.aborted) {
      this.skip(state, "cancelled", "the run was cancelled before this step started");
      return;
    }
    const forward = state.dependencies.find((dependency) => dependency >= state.step.index);
    if (forward !== undefined) {
      this.fail(
        state,
        { code: "invalid-step", message: `it uses $${forward}, which is not an earlier step` },
        0,
      );
      return;
    }
    const unmet = this.unmetDependency(state);
    if (unmet) {
      this.skip(state, "dependency", unmet);
      return;
    }
    if (state.dependencies.some((index) => this.byIndex.get(index)?.phase !== "settled")) return;
    if (state.after.some((index) => this.byIndex.get(index)?.phase !== "settled")) return;
    state.phase = "started";
    this.runStep(state).catch((error: unknown) =>
      this.fail(state, { code: "failed", message: messageOf(error) }, 0),
    );
  }

  /** Why a step can never run because of its dependencies, as soon as that is known; else undefined. */
  private unmetDependency(state: StepState): string | undefined {
    for (const dependency of state.dependencies) {
      const outcome = this.byIndex.get(dependency)?.outcome;
      if (!this.byIndex.has(dependency) && this.streamEnded) {
        return `it uses the result of step ${dependency}, which is not in the plan`;
      }
      if (outcome?.status === "failed") return `step ${dependency} failed: ${outcome.error.message}`;
      if (outcome?.status === "skipped") return `step ${dependency} did not run (${outcome.reason})`;
    }
    return undefined;
  }

  private async runStep(state: StepState): Promise<void> {
    const { step } = state;
    const tool = this.registry.get(step.tool);
    if (!tool) {
      this.fail(state, { code: "unknown-tool", message: `${step.tool} is not an available tool` }, 0);
      return;
    }
    const resolved = resolveArguments(step, tool, (index) => this.observationOf(index));
    if (!resolved.ok) {
      this.fail(state, { code: "invalid-arguments", message: resolved.message }, 0);
      return;
    }
    let args = resolved.args;
    const earlier = this.earlierRun(step, args);
    if (earlier) {
      const reusedFrom = earlier.reusedFrom ?? earlier.step.index;
      this.settle(state, { ...earlier, step, durationMs: 0, invocations: [], reusedFrom });
      return;
    }
    const sources = this.sourcesOf(state);
    if (tool.effect === "write") {
      const approved = await this.askConfirmation(state, tool, args, sources);
      if (!approved) return;
      args = approved;
    }
    if (this.signal.aborted) {
      this.skip(state, "cancelled", "the run was cancelled before this step started", args);
      return;
    }
    await this.invoke(state, tool, args, sources);
  }

  /** The described results this step's arguments use, in step order. */
  private sourcesOf(state: StepState): ArgumentSource[] {
    const sources: ArgumentSource[] = [];
    for (const index of state.dependencies) {
      const outcome = this.byIndex.get(index)?.outcome;
      if (outcome?.status !== "done" || outcome.about === undefined) continue;
      sources.push({ step: index, value: outcome.observation, about: outcome.about });
    }
    return sources;
  }

  /** The earlier round's outcome of the same call, if there is one (ExecuteOptions.alreadyRan). */
  private earlierRun(step: Step, args: ResolvedArgs): DoneOutcome | undefined {
    const resolved = JSON.stringify(args);
    const planned = referencesIn(step.args).length === 0 ? JSON.stringify(step.args) : undefined;
    return this.options.alreadyRan?.find(
      (done) =>
        done.step.tool === step.tool &&
        (JSON.stringify(done.args) === resolved ||
          (planned !== undefined &&
            referencesIn(done.step.args).length === 0 &&
            JSON.stringify(done.step.args) === planned)),
    );
  }

  /** The approved arguments, or undefined when the step was declined, cancelled or edited into invalid ones. */
  private async askConfirmation(
    state: StepState,
    tool: AnyTool,
    args: ResolvedArgs,
    sources: ArgumentSource[],
  ): Promise<ResolvedArgs | undefined> {
    const { step } = state;
    const described = sources.length > 0 ? { sources } : {};
    this.emit({ type: "awaiting-confirmation", step, args, ...described });
    const confirm = this.options.confirm;
    if (!confirm) {
      this.skip(state, "declined", "nobody was asked to approve this action", args);
      return undefined;
    }
    let answer: Confirmation;
    try {
      answer = await this.inTurn(() => confirm({ step, tool, args, ...described, signal: this.signal }));
    } catch (error) {
      if (this.signal.aborted)
        this.skip(state, "cancelled", "the run was cancelled while waiting for approval", args);
      else this.skip(state, "declined", `the confirmation could not be asked: ${messageOf(error)}`, args);
      return undefined;
    }
    if (this.signal.aborted) {
      this.skip(state, "cancelled", "the run was cancelled while waiting for approval", args);
      return undefined;
    }
    switch (answer?.decision) {
      case "approve":
        return args;
      case "decline":
        this.skip(state, "declined", answer.reason ?? "you declined this step", args);
        return undefined;
      case "edit": {
        const edited = checkArguments(tool, answer.args);
        if (edited.ok) return edited.args;
        this.fail(
          state,
          { code: "invalid-arguments", message: `the edited arguments are invalid: ${edited.message}` },
          0,
          answer.args,
        );
        return undefined;
      }
      default:
        // Answers come from user interfaces; one this executor does not know never counts as a yes.
        this.skip(
          state,
          "declined",
          `the confirmation gave no clear answer (${describeAnswer(answer)})`,
          args,
        );
        return undefined;
    }
  }

  private async invoke(
    state: StepState,
    tool: AnyTool,
    args: ResolvedArgs,
    sources: ArgumentSource[],
  ): Promise<void> {
    const { step } = state;
    const timeoutMs = this.options.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const timeout = new AbortController();
    const limit = timeoutMs < 1000 ? `${timeoutMs} ms` : `${Math.round(timeoutMs / 1000)} s`;
    const expire = () =>
      timeout.abort(new ToolError("timeout", `${tool.name} did not finish within ${limit}`));
    let timer = setTimeout(expire, timeoutMs);
    let finished = false;
    const signal = AbortSignal.any([this.signal, timeout.signal]);
    // The clock stops while the person picks an option: only the action's own time counts.
    const choose = async (choice: Choice) => {
      clearTimeout(timer);
      try {
        return await this.choose(choice, step);
      } finally {
        if (!finished && !signal.aborted) timer = setTimeout(expire, timeoutMs);
      }
    };
    // An effect found while running (the file found is an app) is asked about like a write step.
    let found: FoundEffectAnswer | undefined;
    const confirm = async (request: ActionConfirmation) => {
      clearTimeout(timer);
      try {
        found = await this.confirmFoundEffect(step, tool, request, sources);
        return found.kind === "approved" ? found.args : undefined;
      } finally {
        if (!finished && !signal.aborted) timer = setTimeout(expire, timeoutMs);
      }
    };
    const context = { signal, choose, confirm };
    this.emit({ type: "running", step, args });
    if (this.signal.aborted) {
      // A listener of the event above may have cancelled the run.
      clearTimeout(timer);
      this.skip(state, "cancelled", "the run was cancelled before this step started", args);
      return;
    }
    const startedAt = this.now();
    try {
      const result: ToolResult = await untilAborted(
        this.options.backend.run({ tool, args }, context),
        signal,
      );
      this.settle(state, {
        status: "done",
        step,
        args,
        observation: result.observation,
        ...(result.about === undefined ? {} : { about: result.about }),
        invocations: result.invocations,
        durationMs: this.now() - startedAt,
      });
    } catch (error) {
      if (found?.kind === "declined" && !this.signal.aborted)
        this.skip(state, "declined", found.reason, args);
      else if (found?.kind === "invalid" && !this.signal.aborted)
        this.fail(state, { code: "invalid-arguments", message: found.message }, 0, found.args);
      else this.fail(state, stepErrorOf(error, this.signal), this.now() - startedAt, args, error);
    } finally {
      finished = true;
      clearTimeout(timer);
    }
  }

  /**
   * Asks about an effect a running step found, as askConfirmation asks before a write step: the step shows
   * as awaiting confirmation with what was found, and runs on only with a clear yes or valid edits.
   */
  private async confirmFoundEffect(
    step: Step,
    tool: AnyTool,
    request: ActionConfirmation,
    sources: ArgumentSource[],
  ): Promise<FoundEffectAnswer> {
    const args = request.args;
    const described = { reason: request.reason, ...(sources.length > 0 ? { sources } : {}) };
    this.emit({ type: "awaiting-confirmation", step, args, ...described });
    const confirm = this.options.confirm;
    if (!confirm) return { kind: "declined", reason: `nobody was asked to approve it (${request.reason})` };
    let answer: Confirmation;
    try {
      answer = await this.inTurn(() => confirm({ step, tool, args, ...described, signal: this.signal }));
    } catch (error) {
      return { kind: "declined", reason: `the confirmation could not be asked: ${messageOf(error)}` };
    }
    switch (answer?.decision) {
      case "approve":
        this.emit({ type: "running", step, args });
        return { kind: "approved", args };
      case "decline":
        return { kind: "declined", reason: answer.reason ?? "you declined this step" };
      case "edit": {
        const edited = checkArguments(tool, answer.args);
        if (!edited.ok)
          return {
            kind: "invalid",
            message: `the edited arguments are invalid: ${edited.message}`,
            args: answer.args,
          };
        this.emit({ type: "running", step, args: edited.args });
        return { kind: "approved", args: edited.args };
      }
      default:
        return {
          kind: "declined",
          reason: `the confirmation gave no clear answer (${describeAnswer(answer)})`,
        };
    }
  }

  private async choose(choice: Choice, step: Step): Promise<string | undefined> {
    const choose = this.options.choose;
    if (!choose || this.signal.aborted) return undefined;
    try {
      return await this.inTurn(() => choose(choice, step));
    } catch {
      return undefined;
    }
  }

  /** Runs one question after the previous one is answered; gives up when the run is cancelled. */
  private inTurn<T>(ask: () => Promise<T>): Promise<T> {
    const turn = this.questions.then(() => {
      if (this.signal.aborted) throw this.signal.reason;
      return untilAborted(ask(), this.signal);
    });
    this.questions = turn.catch(() => undefined);
    return turn;
  }

  private observationOf(index: number): string {
    const outcome = this.byIndex.get(index)?.outcome;
    if (outcome?.status !== "done") throw new Error(`step ${index} has no result`);
    return outcome.observation;
  }

  private fail(
    state: StepState,
    error: StepError,
    durationMs: number,
    args?: ResolvedArgs,
    cause?: unknown,
  ): void {
    const invocations = cause instanceof ToolError ? cause.invocations : [];
    const outcome: StepOutcome = { status: "failed", step: state.step, error, invocations, durationMs };
    if (args) outcome.args = args;
    this.settle(state, outcome);
  }

  private skip(state: StepState, cause: SkipCause, reason: string, args?: ResolvedArgs): void {
    this.settle(
      state,
      args
        ? { status: "skipped", step: state.step, cause, reason, args }
        : { status: "skipped", step: state.step, cause, reason },
    );
  }

  private settle(state: StepState, outcome: StepOutcome): void {
    if (state.phase === "settled") return;
    state.phase = "settled";
    state.outcome = outcome;
    this.unsettled--;
    this.emit(eventOf(outcome));
    const index = state.step.index;
    for (const other of this.states) {
      if (other.phase !== "pending") continue;
      if (other.dependencies.includes(index) || other.after.includes(index)) this.tryStart(other);
    }
    if (this.unsettled === 0) this.wakeWhenIdle?.();
  }

  private cancelPending(): void {
    for (const state of this.states) {
      if (state.phase === "pending")
        this.skip(state, "cancelled", "the run was cancelled before this step started");
    }
  }

  private idle(): Promise<void> {
    if (this.unsettled === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeWhenIdle = resolve;
    });
  }

  private emit(event: ExecutorEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A broken listener must not break the run; the outcome still lands in the result.
    }
  }
}

function eventOf(outcome: StepOutcome): ExecutorEvent {
  switch (outcome.status) {
    case "done": {
      const { status, ...rest } = outcome;
      return { type: status, ...rest };
    }
    case "failed": {
      const { status, ...rest } = outcome;
      return { type: status, ...rest };
    }
    case "skipped":
      return { type: "skipped", step: outcome.step, cause: outcome.cause, reason: outcome.reason };
  }
}

function stepErrorOf(error: unknown, runSignal: AbortSignal): StepError {
  if (error instanceof ToolError)
    return {
      code: error.code,
      message: error.message,
      ...(error.settings ? { settings: error.settings } : {}),
    };
  if (runSignal.aborted) return { code: "cancelled", message: "stopped because the run was cancelled" };
  return { code: "failed", message: messageOf(error) };
}

function describeAnswer(answer: unknown): string {
  try {
    return JSON.stringify(answer) ?? String(answer);
  } catch {
    return String(answer);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settles with the promise, or rejects with the abort reason as soon as the signal fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
