import { planGrammar } from "../plan/grammar";
import { END_OF_PLAN } from "../plan/plan";
import {
  PlannerError,
  type Planner,
  type PlanningRun,
  type PlanningStats,
  type PlanRequest,
} from "./planner";
import type { TextModel } from "../text-writer";
import { TextChannel } from "./text-channel";

export interface ServerPlannerOptions {
  /** The server's address, with or without a trailing `/v1`: "http://127.0.0.1:11434" (Ollama). */
  baseUrl: string;
  /** Model name as the server knows it ("tinyagent:1.1b"). Left out, the server picks its loaded model. */
  model?: string;
  /** Sent as a bearer token, for servers that ask for one (LM Studio, proxies). */
  apiKey?: string;
  /** Sampling temperature. Default 0: a plan should not depend on luck. */
  temperature?: number;
  /** Most tokens a plan may take when the request does not say. Default 1024. */
  maxTokens?: number;
  /**
   * Longest the server may stay silent — before it answers (loading a model included) and between two
   * chunks of the stream — before the run fails. Default 120 s.
   */
  timeoutMs?: number;
  /**
   * Send the plan grammar as `grammar` (llama.cpp server's extension to the OpenAI API; others ignore
   * the field). Default true. Turn it off for a server that rejects unknown fields.
   */
  sendGrammar?: boolean;
  /** For tests and proxies. Default: the global fetch. */
  fetch?: typeof fetch;
}

const DEFAULT_MAX_TOKENS = 1024;
const DEFAULT_TIMEOUT_MS = 120_000;
/** Longest server message quoted in an error: enough for the reason, not a whole HTML page. */
const MAX_QUOTED = 300;

/**
 * Plans through an OpenAI-compatible server (Ollama, LM Studio, llama.cpp server), streaming the plan text
 * as the server writes it.
 *
 * Cancelling (the request's signal, or `dispose()`) is not a failure: the HTTP request is aborted, `text`
 * simply ends, and `done` resolves with `stopReason: "aborted"` — that field is how a caller tells a
 * cancelled run from a finished one ("end-of-plan"). Only real failures reject, with a PlannerError that
 * says what to do; the same error ends `text`, so reading either one is enough.
 *
 * The text never contains `<END_OF_PLAN>`: servers that honour `stop` leave it out, and for those that
 * do not, the text is cut at the marker and the rest of the generation is abandoned.
 */
export class ServerPlanner implements Planner {
  readonly name: string;
  private readonly apiBase: string;
  private readonly fetchImpl: typeof fetch;
  private readonly inFlight = new Set<AbortController>();
  private disposed = false;

  constructor(private readonly options: ServerPlannerOptions) {
    this.apiBase = apiBaseOf(options.baseUrl);
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.name = `server:${options.model ?? "default"}@${this.origin}`;
  }

  /** The server as people know it, for messages: "http://127.0.0.1:11434". */
  get origin(): string {
    return this.apiBase.replace(/\/v1$/, "");
  }

  plan(request: PlanRequest): PlanningRun {
    const channel = new TextChannel();
    const done = this.run(request, channel);
    // A caller that reads the failure from `text` need not also await `done`: don't report it unhandled.
    done.catch(() => undefined);
    return { text: channel, done };
  }

  /**
   * The model names the server offers (GET /v1/models), for a settings list or a helpful error. Rejects
   * with a PlannerError, "aborted" included: unlike a plan, a list cut short has nothing to show.
   */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const connection = new Connection(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal);
    try {
      const init = { method: "GET", headers: this.headers() };
      const response = await this.send(`${this.apiBase}/models`, init, connection.signal);
      if (!response.ok) throw await this.httpError(response);
      return this.modelNames(await response.text());
    } catch (error) {
      if (connection.timedOut) throw this.timeoutError(undefined);
      if (connection.cancelled)
        throw new PlannerError("aborted", "Listing the server's models was cancelled.");
      throw this.asPlannerError(error);
    } finally {
      connection.release();
    }
  }

  private modelNames(text: string): string[] {
    const body = parseJson(text);
    const data = isRecord(body) ? body["data"] : undefined;
    if (!Array.isArray(data)) throw this.unreadable("the model list is not in the OpenAI format");
    return data.flatMap((entry) => (isRecord(entry) && typeof entry["id"] === "string" ? [entry["id"]] : []));
  }

  /** The server's model writes text for actions (email bodies, notes, summaries): it is a model that can. */
  get writer(): TextModel {
    return this;
  }

  /**
   * Free text from the server's model (an email body, a summary): one chat completion without the plan
   * grammar, not streamed. Fails with a PlannerError; actions then fall back to the person's own words.
   */
  async writeText(
    prompt: string,
    options: { maxTokens?: number; signal?: AbortSignal } = {},
  ): Promise<string> {
    const connection = new Connection(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.signal);
    this.inFlight.add(connection.controller);
    try {
      const { model, temperature = 0 } = this.options;
      const body = {
        ...(model !== undefined ? { model } : {}),
        messages: [{ role: "user", content: prompt }],
        stream: false,
        temperature,
        max_tokens: options.maxTokens ?? 400,
      };
      const init = { method: "POST", headers: this.headers(), body: JSON.stringify(body) };
      const response = await this.send(`${this.apiBase}/chat/completions`, init, connection.signal);
      if (!response.ok) throw await this.httpError(response);
      const answer = parseJson(await response.text());
      if (!isRecord(answer)) throw this.unreadable("the answer is not JSON");
      this.throwIfServerError(answer);
      const message = firstChoice(answer)?.["message"];
      const content = isRecord(message) ? message["content"] : undefined;
      if (typeof content !== "string") throw this.unreadable("the answer has no message content");
      return content.trim();
    } catch (error) {
      if (connection.timedOut) throw this.timeoutError(undefined);
      if (connection.cancelled) throw new PlannerError("aborted", "Writing the text was cancelled.");
      throw this.asPlannerError(error);
    } finally {
      connection.release();
      this.inFlight.delete(connection.controller);
    }
  }

  /** Aborts every request under way; their runs end as "aborted". */
  async dispose(): Promise<void> {
    this.disposed = true;
    for (const controller of this.inFlight)
      controller.abort(new PlannerError("aborted", "The planner was closed."));
    this.inFlight.clear();
  }

  private async run(request: PlanRequest, channel: TextChannel): Promise<PlanningStats> {
    const startedAt = performance.now();
    const progress = new Progress(startedAt);
    if (this.disposed)
      return this.fail(channel, new PlannerError("failed", "This planner was closed; create a new one."));
    if (request.signal?.aborted) return this.finishAborted(channel, progress);

    const connection = new Connection(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, request.signal);
    this.inFlight.add(connection.controller);
    try {
      const init = { method: "POST", headers: this.headers(), body: JSON.stringify(this.body(request)) };
      const response = await this.send(`${this.apiBase}/chat/completions`, init, connection.signal);
      if (!response.ok) throw await this.httpError(response);
      await this.readResponse(response, connection, progress, channel);
      channel.close();
      return progress.stats();
    } catch (error) {
      if (connection.cancelled) return this.finishAborted(channel, progress);
      if (connection.timedOut) return this.fail(channel, this.timeoutError(progress));
      return this.fail(channel, this.asPlannerError(error));
    } finally {
      connection.release();
      this.inFlight.delete(connection.controller);
    }
  }

  private body(request: PlanRequest): Record<string, unknown> {
    const { model, temperature = 0, sendGrammar = true } = this.options;
    return {
      ...(model !== undefined ? { model } : {}),
      messages: [
        { role: "system", content: request.prompt.system },
        { role: "user", content: request.prompt.user },
      ],
      stream: true,
      // Without it, OpenAI-style servers send no token counts in a stream.
      stream_options: { include_usage: true },
      temperature,
      max_tokens: request.maxTokens ?? this.options.maxTokens ?? DEFAULT_MAX_TOKENS,
      stop: [END_OF_PLAN],
      ...(sendGrammar ? { grammar: planGrammar(request.tools) } : {}),
    };
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "text/event-stream",
    };
    if (this.options.apiKey) headers["authorization"] = `Bearer ${this.options.apiKey}`;
    return headers;
  }

  /** fetch, with network failures turned into messages that say what to do. */
  private async send(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
    try {
      return await this.fetchImpl(url, { ...init, signal });
    } catch (error) {
      // The caller sorts out its own aborts (cancel or silence); only network failures are explained here.
      if (signal.aborted) throw error;
      throw this.networkError(error);
    }
  }

  private async readResponse(
    response: Response,
    connection: Connection,
    progress: Progress,
    channel: TextChannel,
  ): Promise<void> {
    const type = response.headers.get("content-type") ?? "";
    // Some servers ignore `stream: true` and answer with one JSON completion; take it whole.
    if (type.includes("application/json")) return this.readWhole(await response.text(), progress, channel);
    if (type !== "" && !type.includes("text/event-stream")) {
      throw this.unreadable(`it answered with ${type.split(";")[0]} instead of an event stream`);
    }
    if (!response.body) throw this.unreadable("the answer has no body");
    await this.readStream(response.body, connection, progress, channel);
  }

  private readWhole(text: string, progress: Progress, channel: TextChannel): void {
    const body = parseJson(text);
    if (!isRecord(body)) throw this.unreadable("the answer is not JSON");
    this.throwIfServerError(body);
    const choice = firstChoice(body);
    const message = isRecord(choice?.["message"]) ? choice["message"] : undefined;
    if (typeof message?.["content"] !== "string") throw this.unreadable("the answer has no message content");
    const cut = new MarkerCut();
    progress.text(channel, cut.accept(message["content"]).text + cut.flush());
    progress.finish(choice?.["finish_reason"]);
    progress.usage(body);
  }

  private async readStream(
    stream: ReadableStream<Uint8Array>,
    connection: Connection,
    progress: Progress,
    channel: TextChannel,
  ): Promise<void> {
    const reader = stream.getReader();
    // `stream: true` keeps a UTF-8 character split between two network chunks whole.
    const decoder = new TextDecoder("utf-8", { fatal: false });
    const events = new EventStreamParser();
    const cut = new MarkerCut();
    try {
      for (;;) {
        connection.touch();
        const { done, value } = await this.read(reader, connection);
        const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
        const payloads = done ? [...events.push(text), ...events.finish()] : events.push(text);
        for (const payload of payloads) {
          if (this.handleEvent(payload, progress, channel, cut) === "stop") return;
        }
        if (done) break;
      }
    } finally {
      // Ends the HTTP response early when the plan ended before the server's stream did.
      reader.cancel().catch(() => undefined);
    }
    progress.text(channel, cut.flush());
    if (!progress.finished) {
      throw new PlannerError(
        "server-error",
        `The planner server at ${this.origin} closed the connection before the plan was finished. Check the server's log; it may have run out of memory.`,
      );
    }
  }

  /** The next piece of the stream; a connection that breaks mid-plan says so instead of "terminated". */
  private async read(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    connection: Connection,
  ): ReturnType<ReadableStreamDefaultReader<Uint8Array>["read"]> {
    try {
      return await reader.read();
    } catch (error) {
      if (connection.signal.aborted) throw error;
      throw new PlannerError(
        "server-error",
        `The connection to the planner server at ${this.origin} broke before the plan was finished. Check the server's log; it may have stopped or run out of memory.`,
        { cause: error },
      );
    }
  }

  /** Handles one server-sent event; "stop" when nothing more is needed from the stream. */
  private handleEvent(
    payload: string,
    progress: Progress,
    channel: TextChannel,
    cut: MarkerCut,
  ): "more" | "stop" {
    if (payload.trim() === "[DONE]") {
      progress.text(channel, cut.flush());
      progress.finish(undefined);
      return "stop";
    }
    const chunk = parseJson(payload);
    if (!isRecord(chunk)) throw this.unreadable(`an event is not JSON: ${quote(payload)}`);
    this.throwIfServerError(chunk);
    progress.usage(chunk);
    const choice = firstChoice(chunk);
    const delta = isRecord(choice?.["delta"]) ? choice["delta"] : undefined;
    const content = delta?.["content"];
    if (typeof content === "string" && content !== "") {
      const { text, ended } = cut.accept(content);
      progress.text(channel, text);
      if (ended) {
        progress.finish("stop");
        return "stop";
      }
    }
    if (choice?.["finish_reason"] != null) progress.finish(choice["finish_reason"]);
    return "more";
  }

  /** Servers report failures inside a 200 stream too, as `{"error": ...}`. */
  private throwIfServerError(body: Record<string, unknown>): void {
    if (body["error"] === undefined || body["error"] === null) return;
    throw new PlannerError(
      "server-error",
      `The planner server at ${this.origin} failed while writing the plan: ${quote(serverMessage(body) ?? "no reason given")}. Check the server's log.`,
    );
  }

  private async httpError(response: Response): Promise<PlannerError> {
    const text = await response.text().catch(() => "");
    const message = serverMessage(parseJson(text)) ?? text.trim();
    const said = message ? `: ${quote(message)}` : "";
    const status = `HTTP ${response.status}${said}`;
    const server = `The planner server at ${this.origin}`;
    const model = this.options.model;
    if (response.status === 404 && /model/i.test(message)) {
      const fix = model
        ? `Download it (for Ollama: \`ollama pull ${model}\`) or choose a model the server has.`
        : "Choose a model the server has.";
      return new PlannerError(
        "model-missing",
        `${server} does not have the model${model ? ` "${model}"` : ""} (${status}). ${fix}`,
      );
    }
    if (response.status === 404) {
      return new PlannerError(
        "server-error",
        `${server} has no OpenAI-compatible API (${status}). Check the server URL: give the server's address, such as http://127.0.0.1:11434.`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      return new PlannerError(
        "server-error",
        `${server} refused the request (${status}). Set the server's API key in the planner settings, or check that it is still valid.`,
      );
    }
    if (response.status >= 500) {
      return new PlannerError(
        "server-error",
        `${server} failed (${status}). Check the server's log, then try again.`,
      );
    }
    const hint = model ? "" : " The request named no model; choose one in the planner settings.";
    return new PlannerError("server-error", `${server} rejected the request (${status}).${hint}`);
  }

  private networkError(error: unknown): PlannerError {
    const code = errorCode(error);
    if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "EAI_AGAIN") {
      return new PlannerError(
        "server-unreachable",
        `No planner server answers at ${this.origin}. Start it (for Ollama: \`ollama serve\`) or change the server URL.`,
        { cause: error },
      );
    }
    const reason =
      code ?? (error instanceof Error ? (causeOf(error)?.message ?? error.message) : String(error));
    return new PlannerError(
      "server-unreachable",
      `Could not reach the planner server at ${this.origin} (${reason}). Check that it is running and the URL is right.`,
      { cause: error },
    );
  }

  private timeoutError(progress: Progress | undefined): PlannerError {
    const ms = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const span = ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
    const when = progress?.started ? "stopped writing the plan" : "did not answer";
    return new PlannerError(
      "server-error",
      `The planner server at ${this.origin} ${when} for ${span}. Check that it is not busy or stuck, or allow it more time.`,
    );
  }

  private unreadable(reason: string): PlannerError {
    return new PlannerError(
      "server-error",
      `The planner server at ${this.origin} sent an answer this app cannot read (${reason}). Check that the URL points at an OpenAI-compatible server such as Ollama, LM Studio or llama.cpp server.`,
    );
  }

  private asPlannerError(error: unknown): PlannerError {
    if (error instanceof PlannerError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new PlannerError("failed", `Planning through ${this.origin} failed: ${reason}`, { cause: error });
  }

  private fail(channel: TextChannel, error: PlannerError): never {
    channel.fail(error);
    throw error;
  }

  private finishAborted(channel: TextChannel, progress: Progress): PlanningStats {
    channel.close();
    return { ...progress.stats(), stopReason: "aborted" };
  }
}

/** The API root, "<origin>/v1", from whatever form of the address a person typed. */
function apiBaseOf(baseUrl: string): string {
  const trimmed = baseUrl.trim();
  // "localhost:11434" would otherwise parse as a URL whose scheme is "localhost:".
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new PlannerError(
      "server-unreachable",
      `"${baseUrl}" is not a server URL. Write it like http://127.0.0.1:11434.`,
    );
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new PlannerError(
      "server-unreachable",
      `"${baseUrl}" is not an http(s) URL. Write it like http://127.0.0.1:11434.`,
    );
  }
  const path = url.pathname.replace(/\/+$/, "").replace(/\/v1$/, "");
  return `${url.origin}${path}/v1`;
}

/**
 * One HTTP request's lifetime: its abort controller, why it was aborted (the caller, or silence from the
 * server), and the silence timer.
 */
class Connection {
  readonly controller = new AbortController();
  cancelled = false;
  timedOut = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly onCallerAbort = () => {
    this.cancelled = true;
    this.controller.abort(this.callerSignal?.reason);
  };

  constructor(
    private readonly timeoutMs: number,
    private readonly callerSignal: AbortSignal | undefined,
  ) {
    callerSignal?.addEventListener("abort", this.onCallerAbort, { once: true });
    // dispose() aborts the controller directly: that is a cancel too, not a failure.
    this.controller.signal.addEventListener("abort", () => {
      if (!this.timedOut) this.cancelled = true;
    });
    this.touch();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The server just spoke: restart the silence timer. */
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new Error("the planner server stayed silent too long"));
    }, this.timeoutMs);
  }

  release(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this.onCallerAbort);
  }
}

/** What a run has produced so far, and the numbers its stats are made of. */
class Progress {
  private firstChunkAt: number | undefined;
  private chunks = 0;
  private promptTokens: number | undefined;
  private completionTokens: number | undefined;
  private evaluatedTokens: number | undefined;
  private stopReason: PlanningStats["stopReason"] | undefined;

  constructor(private readonly startedAt: number) {}

  get started(): boolean {
    return this.firstChunkAt !== undefined;
  }

  get finished(): boolean {
    return this.stopReason !== undefined;
  }

  text(channel: TextChannel, text: string): void {
    if (text === "") return;
    this.firstChunkAt ??= performance.now();
    this.chunks++;
    channel.push(text);
  }

  /** Records the first finish reason the server gives; "[DONE]" alone counts as "other". */
  finish(reason: unknown): void {
    if (this.stopReason !== undefined && reason === undefined) return;
    if (reason === "stop") this.stopReason = "end-of-plan";
    else if (reason === "length") this.stopReason = "max-tokens";
    else if (this.stopReason === undefined) this.stopReason = "other";
  }

  /** Token counts from `usage` (OpenAI) and `timings` (llama.cpp server), whichever the server sends. */
  usage(chunk: Record<string, unknown>): void {
    const usage = chunk["usage"];
    if (isRecord(usage)) {
      this.promptTokens = numberOr(usage["prompt_tokens"], this.promptTokens);
      this.completionTokens = numberOr(usage["completion_tokens"], this.completionTokens);
    }
    const timings = chunk["timings"];
    // llama.cpp counts in prompt_n only the prompt tokens it had to evaluate, after its prefix cache.
    if (isRecord(timings)) this.evaluatedTokens = numberOr(timings["prompt_n"], this.evaluatedTokens);
  }

  stats(): PlanningStats {
    const now = performance.now();
    const promptTokens = this.promptTokens ?? 0;
    return {
      promptTokens,
      evaluatedTokens: this.evaluatedTokens ?? promptTokens,
      // Without usage, each streamed chunk is about one token: the best estimate there is.
      generatedTokens: this.completionTokens ?? this.chunks,
      firstChunkMs: (this.firstChunkAt ?? now) - this.startedAt,
      totalMs: now - this.startedAt,
      stopReason: this.stopReason ?? "other",
    };
  }
}

/**
 * Cuts the text at `<END_OF_PLAN>` for servers that ignore `stop`. A chunk ending in what could be the
 * start of the marker ("<END_") is held back until the next chunk shows whether it is.
 */
export class MarkerCut {
  private held = "";
  private ended = false;

  accept(chunk: string): { text: string; ended: boolean } {
    if (this.ended) return { text: "", ended: true };
    const text = this.held + chunk;
    const at = text.indexOf(END_OF_PLAN);
    if (at !== -1) {
      this.held = "";
      this.ended = true;
      return { text: text.slice(0, at), ended: true };
    }
    const keep = partialMarkerLength(text);
    this.held = text.slice(text.length - keep);
    return { text: text.slice(0, text.length - keep), ended: false };
  }

  /** The held-back tail, once the stream has ended and it can no longer become the marker. */
  flush(): string {
    const held = this.held;
    this.held = "";
    return held;
  }
}

/** Length of the longest end of `text` that is a beginning of the marker. */
function partialMarkerLength(text: string): number {
  for (let length = Math.min(END_OF_PLAN.length - 1, text.length); length > 0; length--) {
    if (END_OF_PLAN.startsWith(text.slice(text.length - length))) return length;
  }
  return 0;
}

/**
 * Server-sent events, read incrementally: `push` takes decoded text in any pieces and returns the data of
 * each event completed by a blank line. Comments (": keepalive") and other fields are skipped.
 */
export class EventStreamParser {
  private buffer = "";
  private data: string[] = [];

  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let newline = this.buffer.indexOf("\n");
    while (newline !== -1) {
      // A "\r\n" split between two pushes still ends here with the "\r" dropped.
      const line = this.buffer.slice(0, newline).replace(/\r$/, "");
      this.buffer = this.buffer.slice(newline + 1);
      const event = this.readLine(line);
      if (event !== undefined) events.push(event);
      newline = this.buffer.indexOf("\n");
    }
    return events;
  }

  /** Whatever the stream left without its closing blank line; lenient, since some servers omit it. */
  finish(): string[] {
    const last = this.buffer.replace(/\r$/, "");
    this.buffer = "";
    if (last !== "") this.readLine(last);
    const event = this.readLine("");
    return event === undefined ? [] : [event];
  }

  private readLine(line: string): string | undefined {
    if (line === "") {
      if (this.data.length === 0) return undefined;
      const event = this.data.join("\n");
      this.data = [];
      return event;
    }
    if (line.startsWith(":")) return undefined;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== "data") return undefined;
    const value = colon === -1 ? "" : line.slice(colon + 1);
    this.data.push(value.startsWith(" ") ? value.slice(1) : value);
    return undefined;
  }
}

function firstChoice(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const choices = body["choices"];
  if (!Array.isArray(choices)) return undefined;
  const first: unknown = choices[0];
  return isRecord(first) ? first : undefined;
}

/** The reason in an error body: Ollama's `{"error": "..."}` or OpenAI's `{"error": {"message": "..."}}`. */
function serverMessage(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const error = body["error"];
  if (typeof error === "string") return error;
  if (isRecord(error) && typeof error["message"] === "string") return error["message"];
  if (typeof body["message"] === "string") return body["message"];
  return undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberOr(value: unknown, fallback: number | undefined): number | undefined {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_QUOTED ? `${oneLine.slice(0, MAX_QUOTED)}…` : oneLine;
}

/** Node's fetch hides the socket error ("ECONNREFUSED") in `cause`, sometimes inside an AggregateError. */
function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth++) {
    if (isRecord(current) && typeof current["code"] === "string") return current["code"];
    if (current instanceof AggregateError && current.errors[0]) {
      current = current.errors[0];
      continue;
    }
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

function causeOf(error: Error): Error | undefined {
  return error.cause instanceof Error ? error.cause : undefined;
}
