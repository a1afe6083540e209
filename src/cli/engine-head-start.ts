import { importNodeLlamaCpp, loadLlama } from "../agent/engines/node-llama-cpp";

/**
 * Starts node-llama-cpp (import, `getLlama`, and on Linux its binding test in a child process) before
 * `plan` or `ask` reads the rest of the agent, when the command is going to plan with a local model.
 * Resolves once node-llama-cpp is imported; `getLlama` goes on.
 *
 * Cold start is the engine's time plus whatever is not done while it works. Importing node-llama-cpp and
 * its binding test take most of a second; the agent's own modules (zod schemas, chrono-node), the tool
 * classifier and the request's date rules take about as long again on the main thread. Imported alone
 * (read and compiled together with the agent's modules, it would be ready only when they all are), the
 * engine then tests its binding on another core and loads its model on llama.cpp's threads while the
 * main thread does the rest. The planner's own `loadLlama` call, with the same engine options (the
 * defaults: neither the CLI nor the catalog sets others), gets this same instance: one binding test.
 *
 * Nothing is started for a planner server, a command line without a request or a model that is not there
 * (found with a stat or two first): the binding test is a child process that a refused command would
 * otherwise wait for before exiting. A failure here is left for the planner's own call, which loads again
 * and reports it as it always has.
 */
export async function startEngineEarly(
  choice: { model?: string; server?: string },
  command: { request: string | undefined; jsonl: boolean },
): Promise<void> {
  if (choice.server !== undefined) return;
  // The command lines plan refuses: --jsonl with a request, or no request without it.
  const refused = command.jsonl ? command.request !== undefined : !command.request?.trim();
  if (refused) return;
  if (!(await modelIsThere(choice.model))) return;
  loadLlama().catch(() => undefined);
  await importNodeLlamaCpp().catch(() => undefined);
}

/** Whether the model the planner will load resolves to a file (no hashing, no probing). */
async function modelIsThere(model: string | undefined): Promise<boolean> {
  const { defaultModelId, resolveModel } = await import("../agent/model/model-store");
  try {
    await resolveModel(model ?? (await defaultModelId()));
    return true;
  } catch {
    return false;
  }
}
