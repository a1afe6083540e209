import { availableParallelism } from "node:os";
import { join } from "node:path";
import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { writeTinyModel, type TinyModelOptions } from "../../src/agent/model/tiny-model";
import { figure, type Figure } from "./figure";

/** TinyLlama-1.1B's shape (TinyAgent-1.1B's base): what a person's Mac runs, with random weights. */
export const TINYLLAMA_1_1B_SHAPE: TinyModelOptions = {
  vocab: "tinyllama",
  layers: 22,
  embedding: 2048,
  heads: 32,
  kvHeads: 4,
  feedForward: 5632,
  contextLength: 2048,
  weightType: "Q8_0",
  name: "tinyllama-1.1b-shape-random",
};

/** The paper's prompt with Tool RAG (DESIGN §1). */
const PAPER_PROMPT_TOKENS = 1397;
/** A typical plan: three or four calls and join. */
const PLAN_TOKENS = 80;
/** Prompt tokens evaluated, and tokens generated, to measure each rate: enough to average, few enough to be quick. */
const PROMPT_SAMPLE = 256;
const GENERATION_SAMPLE = 32;

interface Rates {
  threads: number;
  promptPerSecond: number;
  generationPerSecond: number;
}

/**
 * The real model class: a random-weight model with TinyLlama-1.1B's exact shape (22 layers, width 2048,
 * 32 heads, 4 KV heads, 32,000 pieces, Q8_0), written at bench time with the project's GGUF writer. It
 * measures prompt evaluation and generation in tokens per second on one thread and on all of them, and
 * from those the time to plan with our median prompt and with the paper's 1,397-token prompt: prompt
 * tokens at the prompt rate plus an 80-token plan at the generation rate (an estimate; the grammar, about
 * 1 ms a token, is left out). Random weights cost exactly what trained ones do.
 */
export async function measureTinyLlamaShape(
  folder: string,
  ourPromptTokens: number | null,
): Promise<Figure[]> {
  const path = join(folder, "tinyllama-1.1b-shape.gguf");
  const bytes = await writeTinyModel(path, { ...TINYLLAMA_1_1B_SHAPE, seed: 7 });
  const all = availableParallelism();
  const { llama } = await loadLlama({ gpu: false, maxThreads: all });
  const model = await llama.loadModel({ modelPath: path });
  const rates: Rates[] = [];
  try {
    for (const threads of all > 1 ? [1, all] : [1]) rates.push(await measureRates(model, threads));
  } finally {
    await model.dispose();
  }
  const note = `random weights, ${(bytes / 1e9).toFixed(2)} GB Q8_0, built at bench time`;
  return rates.flatMap((rate) => {
    const on = `${rate.threads} thread${rate.threads === 1 ? "" : "s"}`;
    const key = `tinyllama-1.1b.t${rate.threads}`;
    const planSeconds = (promptTokens: number) =>
      promptTokens / rate.promptPerSecond + PLAN_TOKENS / rate.generationPerSecond;
    const figures = [
      figure(`${key}.prompt`, `1.1B shape, ${on}: prompt evaluation`, rate.promptPerSecond, "tokens/s", {
        note,
      }),
      figure(`${key}.generation`, `1.1B shape, ${on}: generation`, rate.generationPerSecond, "tokens/s"),
    ];
    if (ourPromptTokens !== null) {
      figures.push(
        figure(
          `${key}.plan.ours`,
          `1.1B shape, ${on}: planning, our median prompt`,
          1000 * planSeconds(ourPromptTokens),
          "ms",
          { note: `${ourPromptTokens} prompt tokens + ${PLAN_TOKENS}-token plan, from the rates above` },
        ),
      );
    }
    figures.push(
      figure(
        `${key}.plan.paper`,
        `1.1B shape, ${on}: planning, the paper's prompt`,
        1000 * planSeconds(PAPER_PROMPT_TOKENS),
        "ms",
        {
          paper: "2.9 s (Q4, M3 Pro)",
          note: `${PAPER_PROMPT_TOKENS} prompt tokens + ${PLAN_TOKENS}-token plan, from the rates above`,
        },
      ),
    );
    return figures;
  });
}

type LlamaModel = Awaited<ReturnType<Awaited<ReturnType<typeof loadLlama>>["llama"]["loadModel"]>>;

async function measureRates(model: LlamaModel, threads: number): Promise<Rates> {
  const context = await model.createContext({ contextSize: 1024, threads });
  try {
    const sequence = context.getSequence();
    const text =
      "Write a plan that answers the question with as many actions running in parallel as possible. ";
    const tokens = model.tokenize(text.repeat(Math.ceil(PROMPT_SAMPLE / 10))).slice(0, PROMPT_SAMPLE);
    // The first evaluations page the freshly written weights in (hundreds of ms a token): not timed.
    await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(0, 8));
    await sequence.clearHistory();
    const promptStarted = performance.now();
    await sequence.evaluateWithoutGeneratingNewTokens(tokens);
    const promptMs = performance.now() - promptStarted;
    const generationStarted = performance.now();
    let generated = 0;
    for await (const token of sequence.evaluate([tokens[0]!])) {
      void token;
      if (++generated >= GENERATION_SAMPLE) break;
    }
    const generationMs = performance.now() - generationStarted;
    return {
      threads: context.currentThreads,
      promptPerSecond: (1000 * tokens.length) / promptMs,
      generationPerSecond: (1000 * generated) / generationMs,
    };
  } finally {
    await context.dispose();
  }
}
