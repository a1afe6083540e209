import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { planGrammar } from "../../src/agent/plan/grammar";
import { defaultRegistry } from "../../src/tools/registry";
import { figure, type Figure } from "./figure";

const PROMPT = "Question: email Sid the Q3 deck and text mom that I am late\n";

/**
 * Decoding speed of one model with and without the plan grammar: the same short prompt (so prompt
 * evaluation hardly counts), greedy decoding, timed from the first token to the last.
 */
export async function measureDecoding(modelPath: string, maxTokens: number): Promise<Figure[]> {
  const { module, llama } = await loadLlama({ maxThreads: 1, gpu: false });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 2048, threads: 1 });
  try {
    const tools = defaultRegistry.subset([
      "get_email_address",
      "get_phone_number",
      "compose_new_email",
      "send_sms",
    ]).tools;
    const grammar = await llama.createGrammar({ grammar: planGrammar(tools) });
    const rate = async (withGrammar: boolean): Promise<number | null> => {
      const sequence = context.getSequence();
      const completion = new module.LlamaCompletion({ contextSequence: sequence });
      let first: number | undefined;
      let chunks = 0;
      const result = await completion.generateCompletionWithMeta(PROMPT, {
        maxTokens,
        temperature: 0,
        ...(withGrammar ? { grammar } : {}),
        onToken: () => {
          first ??= performance.now();
          chunks++;
        },
      });
      const end = performance.now();
      completion.dispose();
      sequence.dispose();
      void result;
      // Tokens after the first, over the time after the first: the first one also waited for the prompt.
      return first === undefined || chunks < 2 ? null : ((chunks - 1) / (end - first)) * 1000;
    };
    const free = await rate(false);
    const constrained = await rate(true);
    return [
      figure("decoding.without-grammar", "Decoding speed without the grammar", free, "tokens/s"),
      figure("decoding.with-grammar", "Decoding speed with the plan grammar", constrained, "tokens/s", {
        note:
          free && constrained
            ? `the grammar costs ${((1 - constrained / free) * 100).toFixed(0)} % of the speed`
            : "",
      }),
    ];
  } finally {
    await context.dispose();
    await model.dispose();
  }
}
