import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { decodingThreads } from "../engines/decoding-threads";
import {
  defaultEngineOptions,
  loadLlama,
  type EngineOptions,
  type NodeLlamaCpp,
} from "../engines/node-llama-cpp";
import { probeModelFile } from "../engines/probe-model";
import { checkModelFile } from "../model/model-store";
import {
  lookUpTools,
  maxStepsOf,
  planGrammar,
  withContactDetails,
  type GrammarOptions,
} from "../plan/grammar";
import { copiedFrom } from "../request/allowed";
import { planLines, type NextStep, type PlanLines } from "../request/rules/plan-lines";
import { END_OF_PLAN } from "../plan/plan";
import { renderPrompt, type PromptTemplate } from "../prompt/template";
import type { ResolvedModel } from "../model/model-store";
import type { PlannerPrompt } from "../prompt/build-prompt";
import type { PromptStyle } from "../prompt/planner-prompt";
import {
  PlannerError,
  type PlanRequest,
  type Planner,
  type PlanningRun,
  type PlanningStats,
} from "./planner";
import type { AnyTool } from "../../tools/tool";
import { firstLine, guardSampler } from "./sampler-guard";
import { TextChannel } from "./text-channel";
import { sharedPrefixLength, WarmSequences } from "./warm-sequences";
import type { TextModel } from "../text-writer";

type Llama = Awaited<ReturnType<typeof loadLlama>>["llama"];
type LlamaModel = Awaited<ReturnType<Llama["loadModel"]>>;
type LlamaContext = Awaited<ReturnType<LlamaModel["createContext"]>>;
type LlamaGrammar = Awaited<ReturnType<Llama["createGrammar"]>>;
type LlamaCompletion = InstanceType<NodeLlamaCpp["LlamaCompletion"]>;
type LlamaContextSequence = ReturnType<LlamaContext["getSequence"]>;
type Token = import("node-llama-cpp").Token;

export interface LlamaPlannerOptions extends EngineOptions {
  modelPath: string;
  /** How the prompt is laid out for this model. */
  template: PromptTemplate;
  /** The prompt the model was trained on; default "tinyagent". */
  promptStyle?: PromptStyle;
  /** Hold arguments marked `fromRequest` to spans of the request (see GrammarOptions.request). */
  copyFromRequest?: boolean;
  /** The model may write text for actions (Planner.writer); default false. */
  writesText?: boolean;
  /** Tokens of context to allocate: the prompt plus the plan. */
  contextSize?: number;
  /**
   * Context sequences kept warm, each with the KV cache of an earlier prompt (see WarmSequences); default 1.
   * Each holds its own contextSize of cache.
   */
  warmSequences?: number;
  /** The profile's threads: used unless maxThreads or TINYAGENT_THREADS set them (decodingThreads). */
  threads?: number;
  /** The lowest tool probability at which Tool RAG offers this model a tool (Planner.toolFloor). */
  toolFloor?: number;
  /**
   * The caller probed this very file in a child process just before (probeModelFile), so it is not probed
   * again. Every other load probes it: a hash that matches says the file is the published one, not that
   * llama.cpp can run it.
   */
  probed?: boolean;
  /**
   * Longest one plan or one text may take, from the request to its last token; default 180 s. At the limit
   * generation stops and the request fails saying so, whatever the token limit: a model decoding very
   * slowly (too many threads on a small machine, a damaged file) cannot keep the CPU busy for ever.
   */
  timeoutMs?: number;
  /**
   * Where passed probes of model files are remembered across processes (the models folder), so a model
   * opened again unchanged is not probed again; absent: remembered in this process only.
   */
  probeCacheDir?: string;
  /** Bounds of the plan grammar (steps, text length). */
  grammar?: GrammarOptions;
  /** 0 picks the most likely token every time; tests raise it (with a seed) to explore. */
  temperature?: number;
  seed?: number;
}

const DEFAULT_MAX_TOKENS = 1024;
const DEFAULT_TIMEOUT_MS = 180_000;
/**
 * llama.cpp stops between tokens when asked to; evaluating a long prompt it cannot interrupt. This long
 * after the time limit, a generation that has not stopped is given up on, and the planner with it.
 */
const STOP_GRACE_MS = 2_000;
/** How long dispose waits for a planner given up on to release its model. */
const BROKEN_DISPOSE_MS = 5_000;

/** A context sequence with the completion that evaluates on it. */
interface Slot {
  readonly sequence: LlamaContextSequence;
  readonly completion: LlamaCompletion;
  readonly contextTokens: readonly Token[];
}

/**
 * Plans with a local GGUF model through node-llama-cpp. The model and its context sequences stay loaded
 * between requests, so a request that shares its beginning with an earlier one evaluates only what
 * differs (llama.cpp keeps the shared prefix in its KV cache; WarmSequences picks the sequence). Decoding
 * is constrained by a grammar built from the selected tools, so every plan it writes is valid.
 */
export class LlamaPlanner implements Planner {
  readonly name: string;
  readonly promptStyle: PromptStyle;
  readonly toolFloor?: number;
  readonly writer?: TextModel;
  private readonly grammars = new Map<string, Promise<LlamaGrammar>>();
  /** Requests share the context, so they run one at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The slot the request in turn runs on (see use). */
  private current: Slot;
  private disposed = false;
  /** Why this planner can no longer be used (the engine failed, or would not stop), once it cannot. */
  private broken: PlannerError | undefined;
  /** What the sampler could not do, when it failed (see guardSampler); the model is damaged. */
  private samplerFailure: unknown;

  private constructor(
    private readonly module: NodeLlamaCpp,
    private readonly llama: Llama,
    private readonly model: LlamaModel,
    private readonly context: LlamaContext,
    private readonly slots: WarmSequences<Slot, Token>,
    private readonly options: LlamaPlannerOptions,
  ) {
    this.current = slots.pick([]);
    this.name = `llama:${options.modelPath}`;
    this.promptStyle = options.promptStyle ?? "tinyagent";
    if (options.toolFloor !== undefined) this.toolFloor = options.toolFloor;
    if (options.writesText) this.writer = { writeText: (prompt, writing) => this.writeText(prompt, writing) };
  }

  /**
   * The planner for a resolved model: its file, and what its profile says about prompting it (template,
   * prompt style, copying from the request, context size). `engine` adds where the engines come from. A
   * catalog model's file is first made sure to be the published one (checkModelFile: refused when `model
   * verify` would call it damaged), and every file but the shipped bundled one is probed before it is loaded.
   * `engine.warmSequences` overrides the profile's for a caller that knows how many prompts it will have.
   */
  static async forModel(
    model: ResolvedModel,
    engine: EngineOptions &
      Pick<LlamaPlannerOptions, "probeCacheDir" | "probed" | "timeoutMs" | "warmSequences"> = {},
  ): Promise<LlamaPlanner> {
    await checkModelFile(model);
    return LlamaPlanner.load({
      ...engine,
      modelPath: model.path,
      template: model.profile.template,
      promptStyle: model.profile.promptStyle,
      copyFromRequest: model.profile.copyFromRequest,
      writesText: model.profile.writesText,
      contextSize: model.profile.contextSize,
      ...(model.shipped ? { probed: true } : {}),
      ...((engine.warmSequences ?? model.profile.warmSequences) !== undefined
        ? { warmSequences: engine.warmSequences ?? model.profile.warmSequences }
        : {}),
      ...(model.profile.threads !== undefined ? { threads: model.profile.threads } : {}),
      ...(model.profile.toolFloor !== undefined ? { toolFloor: model.profile.toolFloor } : {}),
    });
  }

  static async load(options: LlamaPlannerOptions): Promise<LlamaPlanner> {
    if (!options.probed) {
      await probeModelFile(options.modelPath, {
        runtimeDir: options.runtimeDir,
        ...(options.probeCacheDir ? { cacheDir: options.probeCacheDir } : {}),
      });
    }
    // Started before the engine is awaited: the warm-up runs on this thread while node-llama-cpp tests its
    // binding in another process and loads the model on llama.cpp's threads.
    const warming = options.copyFromRequest ? warmRequestRules() : undefined;
    const { module, llama } = await loadLlama(options);
    const threads = decodingThreads({
      configured: options.maxThreads ?? defaultEngineOptions().maxThreads,
      ...(options.threads !== undefined ? { profile: options.threads } : {}),
      modelBytes: (await stat(options.modelPath)).size,
      cpus: availableParallelism(),
    });
    const model = await llama.loadModel({ modelPath: options.modelPath });
    await warming;
    try {
      const sequences = Math.max(1, Math.floor(options.warmSequences ?? 1));
      const context = await model.createContext({
        contextSize: options.contextSize ?? 4096,
        sequences,
        threads,
      });
      const slots = Array.from({ length: sequences }, () => slotOn(module, context.getSequence()));
      const planner = new LlamaPlanner(module, llama, model, context, new WarmSequences(slots), options);
      guardSampler(context, (error) => (planner.samplerFailure ??= error));
      return planner;
    } catch (error) {
      await model.dispose();
      throw new PlannerError("failed", `Could not prepare the model: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Context sequences kept warm with earlier prompts (LlamaPlannerOptions.warmSequences). */
  get warmSequences(): number {
    return this.slots.all().length;
  }

  /** CPU threads this model decodes with (decodingThreads). */
  get threads(): number {
    return this.context.idealThreads;
  }

  /** Tokens the model's tokenizer makes of a text, for budgets and reports. */
  countTokens(text: string): number {
    return this.model.tokenize(text, false).length;
  }

  plan(request: PlanRequest): PlanningRun {
    if (this.disposed) throw new PlannerError("failed", "This planner was closed; load the model again.");
    if (this.broken) throw this.broken;
    const channel = new TextChannel();
    const done = this.inTurn(() =>
      this.bounded("plan", request.signal, (signal) => this.generate({ ...request, signal }, channel)),
    );
    channel.endWith(done);
    return { text: channel, done };
  }

  /**
   * Free text from the same model (an email body, a summary), without the plan grammar. It runs on the
   * warm sequence its prompt fits best, so with several of them the plans' prompts stay warm.
   */
  async writeText(
    prompt: string,
    options: { maxTokens?: number; signal?: AbortSignal } = {},
  ): Promise<string> {
    return this.inTurn(() =>
      this.bounded("text", options.signal, async (signal) => {
        this.use(this.promptTokens(prompt));
        const text = await this.completion.generateCompletion(prompt, {
          maxTokens: options.maxTokens ?? 400,
          temperature: 0,
          customStopTriggers: ["\n\n\n", "###"],
          signal,
          stopOnAbortSignal: true,
        });
        return text.trim();
      }),
    );
  }

  /**
   * Runs one generation within the time limit: `work` gets a signal that fires at the limit (or when the
   * request is cancelled) and must stop generating then. Past the limit the request fails, whether the
   * engine stopped (between tokens) or not (it cannot stop while evaluating a prompt: after STOP_GRACE_MS
   * the planner is given up on). A sampler failure (see guardSampler) fails the request and the planner,
   * saying the model is damaged.
   */
  private async bounded<T>(
    what: "plan" | "text",
    cancel: AbortSignal | undefined,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    if (this.broken) throw this.broken;
    const limitMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const limit = limitMs < 1000 ? `${limitMs} ms` : `${Math.round(limitMs / 1000)} s`;
    const tooSlow = (stuck: boolean) =>
      new PlannerError(
        "failed",
        `The model did not finish the ${what === "plan" ? "plan" : "text"} within ${limit}` +
          `${stuck ? " and could not be stopped" : ""}. It decodes too slowly on this Mac: use a smaller ` +
          `model (TinyAgent-1.1B or TinyAgent-micro), or set fewer threads (TINYAGENT_THREADS=1); if it ` +
          `happens with a model that was fast before, its file may be damaged: download it again.`,
      );
    const deadline = new AbortController();
    const signal = cancel ? AbortSignal.any([cancel, deadline.signal]) : deadline.signal;
    let grace: NodeJS.Timeout | undefined;
    const givenUp = new Promise<never>((_, reject) => {
      grace = setTimeout(() => {
        deadline.abort();
        grace = setTimeout(() => {
          this.broken = tooSlow(true);
          reject(this.broken);
        }, STOP_GRACE_MS);
      }, limitMs);
    });
    givenUp.catch(() => undefined);
    const running = work(signal);
    running.catch(() => undefined);
    try {
      const result = await Promise.race([running, givenUp]);
      if (deadline.signal.aborted && !cancel?.aborted) throw tooSlow(false);
      return result;
    } catch (error) {
      if (this.samplerFailure === undefined) throw error;
      this.broken = new PlannerError(
        "model-invalid",
        `The model failed while writing (llama.cpp: ${firstLine(this.samplerFailure)}): its file is ` +
          `probably damaged. Check it with \`tinyagent model verify\`, download it again, or use another ` +
          `model.`,
        { cause: this.samplerFailure },
      );
      throw this.broken;
    } finally {
      clearTimeout(grace);
    }
  }

  /** Loads the model's state for a prompt without generating: makes the first real request fast. */
  async warmUp(prompt: PlannerPrompt): Promise<void> {
    await this.inTurn(async () => {
      const tokens = this.promptTokens(this.input(prompt));
      const sequence = this.use(tokens).sequence;
      await sequence.adaptStateToTokens(tokens.slice(0, -1), false);
      if (sequence.nextTokenIndex < tokens.length - 1)
        await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(sequence.nextTokenIndex, -1));
    });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.queue.catch(() => undefined);
    const release = async () => {
      for (const slot of this.slots.all()) slot.completion.dispose();
      await this.context.dispose();
      await this.model.dispose();
    };
    if (!this.broken) return release();
    // The engine may still be busy with (or stuck in) the work it was given up on: do not wait for ever.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      release().catch(() => undefined),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, BROKEN_DISPOSE_MS))),
    ]);
    clearTimeout(timer);
  }

  private async generate(request: PlanRequest, channel: TextChannel): Promise<PlanningStats> {
    const startedAt = performance.now();
    let firstChunkMs = -1;
    const copied = this.copied(request);
    const input = this.input(request.prompt);
    this.use(this.promptTokens(input));
    const before = this.sequence.tokenMeter.getState();
    const emit = (text: string) => {
      if (text === "") return;
      if (firstChunkMs < 0) firstChunkMs = performance.now() - startedAt;
      channel.push(text);
    };
    const lines = planLines(copied, request.tools, maxStepsOf(this.options.grammar ?? {}));
    let evaluatedTokens = 0;
    let next: NextStep = {};
    let round: Round;
    // A round writes the plan until it ends, or until a decoding rule refuses a line; the next round
    // then goes on from the lines kept, its first step the one the rule calls for.
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    let capped = false;
    for (;;) {
      round = await this.round(request, input, copied, lines, next, before, emit);
      evaluatedTokens += round.evaluatedTokens;
      if (!lines || request.signal?.aborted) break;
      if (!round.refused && lines.end(round.canLookUp, emit)) break;
      // The token limit is for the whole plan, whatever number of rounds it takes.
      if (this.sequence.tokenMeter.diff(before).usedOutputTokens >= maxTokens) {
        capped = true;
        break;
      }
      next = lines.takeNextStep();
    }
    return {
      promptTokens: this.promptTokens(input).length,
      // llama.cpp keeps the KV cache of the tokens each round shares with the sequence's current state.
      evaluatedTokens,
      generatedTokens: this.sequence.tokenMeter.diff(before).usedOutputTokens,
      firstChunkMs: Math.max(0, firstChunkMs),
      totalMs: performance.now() - startedAt,
      stopReason: request.signal?.aborted
        ? "aborted"
        : capped
          ? "max-tokens"
          : stopReasonOf(round.stopReason, (lines?.written ?? "") + round.response),
      threads: this.threads,
    };
  }

  /** One call to the model, from the plan's kept lines on, with the grammar that continues them. */
  private async round(
    request: PlanRequest,
    input: string,
    copied: GrammarOptions,
    lines: PlanLines | undefined,
    next: NextStep,
    before: ReturnType<LlamaContextSequence["tokenMeter"]["getState"]>,
    emit: (text: string) => void,
  ): Promise<Round> {
    const written = lines?.written ?? "";
    const step = lines?.steps ?? 0;
    const grammar = await this.grammarFor(request.tools, {
      ...copied,
      ...(step > 0 ? { startStep: step + 1 } : {}),
      ...next,
    });
    const tokens = this.promptTokens(input + written);
    const reused = Math.min(sharedPrefixLength(this.sequence.contextTokens, tokens), tokens.length - 1);
    const stop = new AbortController();
    // Only a look-up the grammar can write may be asked for: else the refused line would come back forever.
    const lookUps = lookUpTools(withContactDetails(request.tools, copied.contactDetails));
    const canLookUp = step < maxStepsOf(this.options.grammar ?? {}) && lookUps.length > 0;
    const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
    try {
      const result = await this.completion.generateCompletionWithMeta(input + written, {
        grammar,
        maxTokens: Math.max(1, maxTokens - this.sequence.tokenMeter.diff(before).usedOutputTokens),
        temperature: request.sampling?.temperature ?? this.options.temperature ?? 0,
        ...seedOf(request.sampling?.seed ?? this.options.seed),
        signal: request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal,
        stopOnAbortSignal: true,
        onTextChunk: (chunk) => {
          if (!lines) return emit(chunk);
          if (!lines.push(chunk, canLookUp, emit)) stop.abort();
        },
      });
      return {
        evaluatedTokens: tokens.length - reused,
        refused: stop.signal.aborted,
        canLookUp,
        stopReason: result.metadata.stopReason,
        response: result.response,
      };
    } catch (error) {
      // Aborted before the engine took the request: node-llama-cpp then throws the signal's reason instead
      // of stopping (stopOnAbortSignal applies once it is writing). Either way the plan was stopped, not
      // failed; a Stop that arrives during the prompt's set-up must not read as a broken model.
      if (request.signal?.aborted) {
        return { evaluatedTokens: 0, refused: false, canLookUp, stopReason: "abort", response: "" };
      }
      throw new PlannerError("failed", `The model could not write a plan: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  /** Makes the warm sequence that best fits these prompt tokens the one the request in turn runs on. */
  private use(tokens: readonly Token[]): Slot {
    this.current = this.slots.pick(tokens);
    return this.current;
  }

  private get sequence(): LlamaContextSequence {
    return this.current.sequence;
  }

  private get completion(): LlamaCompletion {
    return this.current.completion;
  }

  /** The tokens LlamaCompletion evaluates for a text: its own tokenization, after the BOS token it adds. */
  private promptTokens(input: string): Token[] {
    const tokens = this.model.tokenize(input, false, "trimLeadingSpace");
    const bos = this.model.tokens.bos;
    return this.model.tokens.shouldPrependBosToken && bos !== null ? [bos, ...tokens] : tokens;
  }

  /** The prompt as the model's template lays it out, shared part first. */
  private input(prompt: PlannerPrompt): string {
    if (this.options.template !== "model") return renderPrompt(prompt, this.options.template);
    const wrapper = this.module.resolveChatWrapper(this.model);
    const { contextText } = wrapper.generateContextState({
      chatHistory: [
        { type: "system", text: prompt.system },
        { type: "user", text: prompt.user },
        { type: "model", response: [] },
      ],
    });
    return contextText.toString();
  }

  /**
   * What the grammar holds to the request when copying by construction (see copiedFrom).
   */
  private copied(request: PlanRequest): GrammarOptions {
    if (!this.options.copyFromRequest || request.request === undefined) return {};
    return copiedFrom(request.request, request.context);
  }

  /**
   * Grammars are compiled once per tool set: the same selection recurs often. A grammar that copies from
   * the request is compiled per request (a few milliseconds; the cache then serves a repeated request).
   */
  private grammarFor(tools: readonly AnyTool[], copied: GrammarOptions): Promise<LlamaGrammar> {
    const text = planGrammar(tools, { ...this.options.grammar, ...copied });
    let grammar = this.grammars.get(text);
    if (!grammar) {
      grammar = this.llama.createGrammar({ grammar: text });
      this.grammars.set(text, grammar);
      grammar.catch(() => this.grammars.delete(text));
      if (this.grammars.size > 32) this.grammars.delete(this.grammars.keys().next().value!);
    }
    return grammar;
  }

  private inTurn<T>(work: () => Promise<T>): Promise<T> {
    const turn = this.queue.then(work);
    this.queue = turn.catch(() => undefined);
    return turn;
  }
}

interface Round {
  evaluatedTokens: number;
  /** The look-up rule refused a line and stopped the model. */
  refused: boolean;
  /** Whether this round could have been asked for a look-up step. */
  canLookUp: boolean;
  stopReason: string;
  response: string;
}

function seedOf(seed: number | undefined): { seed?: number } {
  return seed === undefined ? {} : { seed };
}

/**
 * The request rules (copiedFrom) run chrono-node's large regular expressions, which V8 compiles twice: to
 * bytecode on their first run and to machine code on their second (its regexp tier-up). A new process
 * would pay both, ~200 ms, on its first request: the rules run twice here on a sample while the engine
 * loads, each run in a turn of its own so that the engine's callbacks get the thread between them.
 */
async function warmRequestRules(): Promise<void> {
  for (let run = 0; run < 2; run++) {
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        try {
          copiedFrom("remind me tomorrow at 5pm to text Sid", { now: new Date(), timeZone: "UTC" });
        } catch {
          // Only a warm-up: the first request runs the rules again and reports what fails.
        }
        resolve();
      }),
    );
  }
}

function slotOn(module: NodeLlamaCpp, sequence: LlamaContextSequence): Slot {
  return {
    sequence,
    completion: new module.LlamaCompletion({ contextSequence: sequence }),
    get contextTokens() {
      return sequence.contextTokens;
    },
  };
}

function stopReasonOf(reason: string, response: string): PlanningStats["stopReason"] {
  if (reason === "maxTokens") return "max-tokens";
  if (reason === "abort") return "aborted";
  if (response.includes(END_OF_PLAN) || reason === "eogToken" || reason === "stopGenerationTrigger")
    return "end-of-plan";
  return "other";
}
