import { spawn, type ChildProcess } from "node:child_process";
import type { EngineOptions } from "../engines/node-llama-cpp";
import { probeModelFile } from "../engines/probe-model";
import type { ResolvedModel } from "../model/model-store";
import type { PlannerPrompt } from "../prompt/build-prompt";
import type { PromptStyle } from "../prompt/planner-prompt";
import type { TextModel } from "../text-writer";
import {
  PlannerError,
  type PlanRequest,
  type Planner,
  type PlanningRun,
  type PlanningStats,
} from "./planner";
import { TextChannel } from "./text-channel";

/**
 * The planner of a local model, run in a process of its own (planner-process.ts) and driven over its IPC
 * channel.
 *
 * Raycast runs every extension in one shared Node process, each command in a worker thread that it
 * terminates when the command closes. llama.cpp does its work (loading, decoding, disposing) as N-API
 * async work on the thread pool; when a worker is terminated with such work in flight, the work's
 * completion runs during the worker's teardown, cannot settle its promise there, and node-llama-cpp's
 * C++ wrapper throws `Napi::Error` out of the callback: std::terminate, and Raycast's Node process
 * aborts with every extension in it. No order of disposal inside the worker avoids this, since disposing
 * is itself such work (measured: a context dispose or a decode in flight at termination aborted the
 * process; idle or fully disposed engines never did). So the engine lives in a child process: the
 * command's worker only sends messages, and a worker terminated at any moment merely closes the channel,
 * after which the child aborts what it was doing, disposes the context, the model and the llama.cpp
 * instance, and exits.
 */
export interface ChildProcessPlannerOptions extends EngineOptions {
  /** The planner process's script: `assets/planner-process.cjs`, bundled from planner-process.ts. */
  script: string;
  /** Node flags for the script (tests run the TypeScript source through tsx). */
  execArgv?: string[];
  /** See LlamaPlannerOptions.probeCacheDir. */
  probeCacheDir?: string;
  /** How long loading the model may take before the process is stopped; default 120 s. */
  loadTimeoutMs?: number;
}

/** What the parent asks of the planner process. */
export type ToPlannerProcess =
  | { type: "load"; model: ResolvedModel; engine: EngineOptions }
  | { type: "plan"; id: number; request: SentPlanRequest }
  | { type: "write"; id: number; prompt: string; maxTokens?: number }
  | { type: "warm-up"; id: number; prompt: PlannerPrompt }
  | { type: "abort"; id: number }
  | { type: "dispose" };

/** A PlanRequest as sent: the tools by name (the process looks them up in the registry), no signal. */
export interface SentPlanRequest extends Omit<PlanRequest, "tools" | "signal"> {
  tools: string[];
}

/** What the planner process answers. */
export type FromPlannerProcess =
  | { type: "loaded"; name: string; promptStyle: PromptStyle; toolFloor?: number; writesText: boolean }
  | { type: "text"; id: number; chunk: string }
  | { type: "done"; id: number; stats?: PlanningStats; text?: string }
  | { type: "failed"; id?: number; error: SentError };

/** An error as sent: PlannerError's code when it was one; its message says what to do. */
export interface SentError {
  message: string;
  code?: PlannerError["code"];
}

interface Pending {
  onText?: (chunk: string) => void;
  resolve: (answer: Extract<FromPlannerProcess, { type: "done" }>) => void;
  reject: (error: unknown) => void;
}

const DEFAULT_LOAD_TIMEOUT_MS = 120_000;
/** How long a disposed process may take to dispose its engine before it is killed. */
const DISPOSE_TIMEOUT_MS = 10_000;

export class ChildProcessPlanner implements Planner {
  readonly name: string;
  readonly promptStyle: PromptStyle;
  readonly toolFloor?: number;
  readonly writer?: TextModel;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private closed = false;
  private ended: PlannerError | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    private readonly child: ChildProcess,
    loaded: Extract<FromPlannerProcess, { type: "loaded" }>,
    exited: Promise<void>,
  ) {
    this.name = loaded.name;
    this.promptStyle = loaded.promptStyle;
    if (loaded.toolFloor !== undefined) this.toolFloor = loaded.toolFloor;
    if (loaded.writesText) this.writer = { writeText: (prompt, options) => this.writeText(prompt, options) };
    this.exited = exited;
    child.on("message", (message: FromPlannerProcess) => this.receive(message));
  }

  /**
   * Probes the model file here unless it is the shipped bundled one (remembered across opens, see
   * probeModelFile), then starts the planner
   * process and loads the model there, unprobed. Rejects with the process's error, or with how it ended.
   */
  static async forModel(
    model: ResolvedModel,
    options: ChildProcessPlannerOptions,
  ): Promise<ChildProcessPlanner> {
    if (!model.shipped) {
      await probeModelFile(model.path, {
        ...(options.runtimeDir !== undefined ? { runtimeDir: options.runtimeDir } : {}),
        ...(options.probeCacheDir ? { cacheDir: options.probeCacheDir } : {}),
      });
    }
    const child = spawn(process.execPath, [...(options.execArgv ?? []), options.script], {
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    let stderr = "";
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (text: string) => (stderr = (stderr + text).slice(-2000)));
    const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
    const engine: EngineOptions = {
      ...(options.runtimeDir !== undefined ? { runtimeDir: options.runtimeDir } : {}),
      ...(options.maxThreads !== undefined ? { maxThreads: options.maxThreads } : {}),
      ...(options.gpu !== undefined ? { gpu: options.gpu } : {}),
    };
    const loaded = await new Promise<Extract<FromPlannerProcess, { type: "loaded" }>>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(
          new PlannerError(
            "failed",
            `Loading ${model.path} took too long. Try again, or choose a smaller model.`,
          ),
        );
      }, options.loadTimeoutMs ?? DEFAULT_LOAD_TIMEOUT_MS);
      const settle = () => {
        clearTimeout(timer);
        child.off("message", onMessage);
        child.off("exit", onExit);
        child.off("error", onError);
      };
      const onMessage = (message: FromPlannerProcess) => {
        if (message.type === "loaded") {
          settle();
          resolve(message);
        } else if (message.type === "failed" && message.id === undefined) {
          settle();
          reject(errorOf(message.error));
        }
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        settle();
        reject(endedError("while loading the model", code, signal, stderr));
      };
      const onError = (error: Error) => {
        settle();
        reject(
          new PlannerError("failed", `The planner could not start: ${error.message}.`, { cause: error }),
        );
      };
      child.on("message", onMessage);
      child.once("exit", onExit);
      child.once("error", onError);
      send(child, { type: "load", model, engine });
    }).catch(async (error: unknown) => {
      child.kill("SIGKILL");
      await exited;
      throw error;
    });
    const planner = new ChildProcessPlanner(child, loaded, exited);
    child.once("exit", (code, signal) => planner.end(endedError("", code, signal, stderr)));
    return planner;
  }

  /** The planner process's id, for diagnostics. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  plan(request: PlanRequest): PlanningRun {
    const channel = new TextChannel();
    const { signal, tools, ...rest } = request;
    const done = this.ask(
      (id) => ({ type: "plan", id, request: { ...rest, tools: tools.map((tool) => tool.name) } }),
      signal,
      (chunk) => channel.push(chunk),
    ).then((answer) => answer.stats!);
    channel.endWith(done);
    return { text: channel, done };
  }

  /** Free text from the same model (see LlamaPlanner.writeText). */
  async writeText(
    prompt: string,
    options: { maxTokens?: number; signal?: AbortSignal } = {},
  ): Promise<string> {
    const answer = await this.ask(
      (id) => ({
        type: "write",
        id,
        prompt,
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      }),
      options.signal,
    );
    return answer.text ?? "";
  }

  /** See LlamaPlanner.warmUp. */
  async warmUp(prompt: PlannerPrompt): Promise<void> {
    await this.ask((id) => ({ type: "warm-up", id, prompt }), undefined);
  }

  /**
   * Asks the process to abort what it is doing, dispose its engine and exit, and waits until it has; a
   * process that does not finish in 10 s is killed.
   */
  async dispose(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      send(this.child, { type: "dispose" });
      const timer = setTimeout(() => this.child.kill("SIGKILL"), DISPOSE_TIMEOUT_MS);
      await this.exited;
      clearTimeout(timer);
    }
    await this.exited;
  }

  private ask(
    message: (id: number) => ToPlannerProcess,
    signal: AbortSignal | undefined,
    onText?: (chunk: string) => void,
  ): Promise<Extract<FromPlannerProcess, { type: "done" }>> {
    if (this.closed)
      return Promise.reject(new PlannerError("failed", "This planner was closed; load the model again."));
    if (this.ended) return Promise.reject(this.ended);
    const id = ++this.nextId;
    const abort = () => send(this.child, { type: "abort", id });
    const answer = new Promise<Extract<FromPlannerProcess, { type: "done" }>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onText ? { onText } : {}) });
    });
    send(this.child, message(id));
    if (signal?.aborted) abort();
    else signal?.addEventListener("abort", abort, { once: true });
    const forget = () => {
      this.pending.delete(id);
      signal?.removeEventListener("abort", abort);
    };
    answer.then(forget, forget);
    return answer;
  }

  private receive(message: FromPlannerProcess): void {
    if (message.type === "loaded" || message.id === undefined) return;
    const pending = this.pending.get(message.id);
    if (!pending) return;
    if (message.type === "text") pending.onText?.(message.chunk);
    else if (message.type === "done") pending.resolve(message);
    else pending.reject(errorOf(message.error));
  }

  /** The process ended: whatever was asked of it fails with how it ended. */
  private end(error: PlannerError): void {
    this.ended = this.closed ? new PlannerError("aborted", "The planner was closed.") : error;
    for (const pending of this.pending.values()) pending.reject(this.ended);
    this.pending.clear();
  }
}

function send(child: ChildProcess, message: ToPlannerProcess): void {
  if (!child.connected) return;
  // A channel closing meanwhile is reported by the process's exit, not here.
  child.send(message, (error) => void error);
}

function errorOf(error: SentError): PlannerError {
  return new PlannerError(error.code ?? "failed", error.message);
}

function endedError(
  when: string,
  code: number | null,
  signal: NodeJS.Signals | null,
  stderr: string,
): PlannerError {
  const how = signal ? `was stopped (${signal})` : `ended (exit code ${code})`;
  const last = stderr.trim().split("\n").at(-1)?.trim();
  return new PlannerError(
    "failed",
    `The planner's process ${how}${when ? ` ${when}` : ""}${last ? `: ${last}` : ""}. Close Ask TinyAgent and open it again; if this happens again, choose another planner model in the preferences.`,
  );
}
