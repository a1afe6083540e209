/**
 * The planner process (see ChildProcessPlanner): loads a local model with LlamaPlanner and answers the
 * parent's requests over the IPC channel. When asked to dispose, or when the parent goes away (Raycast
 * terminated the command's worker), it aborts what it is doing, disposes the planner (context and model)
 * and the llama.cpp instance, in that order and each awaited, and exits.
 *
 * Bundled into assets/planner-process.cjs (scripts/build-planner-process.mjs); run as a script only.
 */
import { defaultRegistry } from "../../tools/registry";
import type { AnyTool } from "../../tools/tool";
import { disposeLlama } from "../engines/node-llama-cpp";
import type {
  FromPlannerProcess,
  SentError,
  SentPlanRequest,
  ToPlannerProcess,
} from "./child-process-planner";
import { LlamaPlanner } from "./llama-planner";
import { PlannerError } from "./planner";

let loading: Promise<LlamaPlanner> | undefined;
const running = new Map<number, AbortController>();
let closing: Promise<void> | undefined;
/** Messages sent and not yet written to the channel: the process exits once they are. */
let unsent = 0;
let allSent: (() => void) | undefined;

function send(message: FromPlannerProcess): void {
  if (!process.connected || !process.send) return;
  unsent++;
  process.send(message, undefined, undefined, () => {
    if (--unsent === 0) allSent?.();
  });
}

function sentError(error: unknown): SentError {
  const message = error instanceof Error ? error.message : String(error);
  return error instanceof PlannerError ? { message, code: error.code } : { message };
}

async function handle(message: ToPlannerProcess): Promise<void> {
  if (closing && message.type !== "abort") return;
  switch (message.type) {
    case "load": {
      // The parent probed the file just before: it is not probed again here (`verified` says so to this
      // LlamaPlanner, `probed` to one that probes verified files too).
      const probed = { probed: true };
      loading = LlamaPlanner.forModel({ ...message.model, verified: true }, { ...message.engine, ...probed });
      try {
        const planner = await loading;
        send({
          type: "loaded",
          name: planner.name,
          promptStyle: planner.promptStyle,
          ...(planner.toolFloor !== undefined ? { toolFloor: planner.toolFloor } : {}),
          writesText: planner.writer !== undefined,
        });
      } catch (error) {
        send({ type: "failed", error: sentError(error) });
        await close(1);
      }
      return;
    }
    case "plan":
      return answer(message.id, async (planner, signal) => {
        const run = planner.plan({ ...message.request, tools: toolsNamed(message.request), signal });
        for await (const chunk of run.text) send({ type: "text", id: message.id, chunk });
        return { stats: await run.done };
      });
    case "write":
      return answer(message.id, async (planner, signal) => ({
        text: await planner.writeText(message.prompt, {
          ...(message.maxTokens !== undefined ? { maxTokens: message.maxTokens } : {}),
          signal,
        }),
      }));
    case "warm-up":
      return answer(message.id, async (planner) => {
        await planner.warmUp(message.prompt);
        return {};
      });
    case "abort":
      running.get(message.id)?.abort();
      return;
    case "dispose":
      return close(0);
  }
}

/** Runs one request with its own abort controller and sends its outcome. */
async function answer(
  id: number,
  work: (
    planner: LlamaPlanner,
    signal: AbortSignal,
  ) => Promise<Omit<Extract<FromPlannerProcess, { type: "done" }>, "type" | "id">>,
): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const planner = await loading;
    if (!planner) throw new PlannerError("failed", "The planner process has no model loaded.");
    send({ type: "done", id, ...(await work(planner, controller.signal)) });
  } catch (error) {
    send({ type: "failed", id, error: sentError(error) });
  } finally {
    running.delete(id);
  }
}

function toolsNamed(request: SentPlanRequest): AnyTool[] {
  return request.tools.map((name) => {
    const tool = defaultRegistry.get(name);
    if (!tool) throw new PlannerError("failed", `The planner process does not know the tool ${name}.`);
    return tool;
  });
}

/**
 * Aborts every request, disposes the planner (it waits for its queue: an aborted generation ends at the
 * next token), then the llama.cpp instance, lets the last messages go out, and exits.
 */
function close(code: number): Promise<void> {
  closing ??= (async () => {
    for (const controller of running.values()) controller.abort();
    const planner = await loading?.catch(() => undefined);
    await planner?.dispose().catch(() => undefined);
    await disposeLlama().catch(() => undefined);
    // A channel that closed meanwhile may never confirm its last writes: a second is enough.
    if (unsent > 0)
      await new Promise<void>((resolve) => {
        allSent = resolve;
        setTimeout(resolve, 1000).unref();
      });
    process.exit(code);
  })();
  return closing;
}

process.on("message", (message: ToPlannerProcess) => void handle(message));
// The parent went away (the command closed, or its worker was terminated): nothing is left to answer.
process.on("disconnect", () => void close(0));
