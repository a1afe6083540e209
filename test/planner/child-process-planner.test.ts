import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { ModelFileError } from "../../src/agent/model/gguf-header";
import { ChildProcessPlanner } from "../../src/agent/planner/child-process-planner";
import { PlannerError, type PlanRequest } from "../../src/agent/planner/planner";
import { plannerPrompt } from "../../src/agent/prompt/planner-prompt";
import { END_OF_PLAN } from "../../src/agent/plan/plan";
import { defaultRegistry } from "../../src/tools/registry";

/**
 * The planner Ask TinyAgent runs in a process of its own (issue 16, item 2): the shipped TinyAgent-micro,
 * loaded by assets/planner-process.cjs (built by the test set-up, as `npm run build` builds it). It plans
 * as LlamaPlanner does, stops when aborted, and disposing it ends the process; a process that dies fails
 * what was asked of it with a message saying what to do.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const SCRIPT = join(ROOT, "assets", "planner-process.cjs");
const MODEL = { path: join(ROOT, "models", MICRO_MODEL.file), profile: MICRO_MODEL, verified: true };

function request(text: string, signal?: AbortSignal): PlanRequest {
  const tools = ["get_phone_number", "send_sms"].map((name) => defaultRegistry.get(name)!);
  const now = new Date("2024-06-03T09:00:00Z");
  return {
    prompt: plannerPrompt("micro", { tools, request: text, now, timeZone: "UTC" }),
    tools,
    request: text,
    context: { now, timeZone: "UTC" },
    ...(signal ? { signal } : {}),
  };
}

function alive(pid: number | undefined): boolean {
  try {
    process.kill(pid!, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live children of this process running the planner process. */
function plannerProcesses(): string[] {
  return execFileSync("ps", ["-A", "-o", "pid=,ppid=,stat=,args="], { encoding: "utf8" })
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter(
      ([, ppid, stat, ...args]) =>
        Number(ppid) === process.pid && !stat?.startsWith("Z") && args.join(" ").includes(SCRIPT),
    )
    .map((fields) => fields.join(" "));
}

async function collect(text: AsyncIterable<string>): Promise<string> {
  let all = "";
  for await (const chunk of text) all += chunk;
  return all;
}

describe("the planner in a process of its own", () => {
  it("plans, stops when aborted, and ends its process when disposed", async () => {
    const planner = await ChildProcessPlanner.forModel(MODEL, { script: SCRIPT });
    expect(planner).toMatchObject({ promptStyle: "micro", toolFloor: MICRO_MODEL.toolFloor });
    expect(planner.writer).toBeUndefined();
    const run = planner.plan(request("text Sid that I am running late"));
    const text = await collect(run.text);
    expect(text).toMatch(/^1\. get_phone_number\(/);
    expect(text).toContain(END_OF_PLAN);
    expect((await run.done).stopReason).toBe("end-of-plan");

    const controller = new AbortController();
    const aborted = planner.plan(request("text Ana that the launch moved to friday", controller.signal));
    controller.abort();
    await collect(aborted.text);
    expect((await aborted.done).stopReason).toBe("aborted");

    const pid = planner.pid;
    await planner.dispose();
    expect(alive(pid)).toBe(false);
    expect(() => planner.plan(request("text Sid"))).not.toThrow();
    await expect(planner.plan(request("text Sid")).done).rejects.toThrow(/closed/);
  }, 60_000);

  it("fails what was asked of a process that died, saying what to do", async () => {
    const planner = await ChildProcessPlanner.forModel(MODEL, { script: SCRIPT });
    const run = planner.plan(request("text Sid that I am running late"));
    process.kill(planner.pid!, "SIGKILL");
    const error = (await run.done.catch((failure: unknown) => failure)) as PlannerError;
    expect(error).toBeInstanceOf(PlannerError);
    expect(error.message).toMatch(
      /^The planner's process was stopped \(SIGKILL\)\. Close Ask TinyAgent and open it again/,
    );
    await planner.dispose();
  }, 60_000);

  it("reports a model file it cannot load, and leaves no process behind", async () => {
    const missing = { ...MODEL, path: join(ROOT, "models", "no-such-model.gguf") };
    const error = await ChildProcessPlanner.forModel(missing, { script: SCRIPT }).catch(
      (failure: unknown) => failure,
    );
    // The file is checked before any process starts (probeModelFile): a missing one is a model file error.
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).code).toBe("not-found");
    expect((error as Error).message).toContain(missing.path);
    expect(plannerProcesses()).toEqual([]);
  }, 60_000);
});
