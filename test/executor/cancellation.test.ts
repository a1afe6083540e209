import { describe, expect, it } from "vitest";
import type { Confirmation, ConfirmationRequest } from "../../src/agent/executor/executor";
import type { Step } from "../../src/agent/plan/plan";
import type { ToolBackend, ToolCall, ToolContext } from "../../src/tools/backend";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import {
  EchoBackend,
  EventLog,
  GateBackend,
  approveAll,
  deferred,
  executePlan,
  keyOf,
  outcome,
  settlesWithin,
  sleep,
  step,
  until,
} from "./helpers";

/** A plan source that hands out the given steps and then waits forever, noting whether it was told to stop. */
function endlessSource(steps: Step[]) {
  const state = { pulled: 0, returned: false };
  const iterable: AsyncIterable<Step> = {
    [Symbol.asyncIterator]() {
      return {
        next() {
          const item = steps[state.pulled];
          state.pulled++;
          if (item) return Promise.resolve({ value: item, done: false });
          return new Promise<IteratorResult<Step>>(() => undefined); // the planner never finishes
        },
        return() {
          state.returned = true;
          return Promise.resolve({ value: undefined, done: true });
        },
      };
    },
  };
  return { iterable, state };
}

describe("cancelling a run", () => {
  it("stops everything mid-run: nothing new starts, pending steps are skipped, the run resolves", async () => {
    const controller = new AbortController();
    const backend = new GateBackend();
    const questions: ConfirmationRequest[] = [];
    const answer = deferred<Confirmation>();
    const source = endlessSource([
      step(1, "get_email_address", "Sid"),
      step(2, "get_phone_number", "Lutfi"),
      step(3, "maps_open_location", "$1"),
      step(4, "create_note", "Draft", "x", null),
      step(5, "create_note", "Second", "y", null),
    ]);
    const events = new EventLog();
    const run = executePlan(source.iterable, {
      backend,
      signal: controller.signal,
      onEvent: events.listener,
      confirm: (request) => {
        questions.push(request);
        return answer.promise;
      },
    });
    await backend.waitFor("Sid");
    await backend.waitFor("Lutfi");
    await until(() => questions.length === 1 && events.sequence(5).length > 0, "the first question");

    backend.timeline.push("ABORT");
    controller.abort();
    const result = await settlesWithin(run, 2000);

    expect(result.cancelled).toBe(true);
    expect(result.outcomes.map((o) => o.step.index)).toEqual([1, 2, 3, 4, 5]);
    // Pending and waiting steps: skipped because of the cancellation.
    for (const index of [3, 4, 5]) {
      expect(outcome(result, index)).toMatchObject({ status: "skipped", cause: "cancelled" });
    }
    // Running steps: their signal is aborted and they end as cancelled, not done.
    for (const key of ["Sid", "Lutfi"]) expect(backend.get(key).context.signal.aborted).toBe(true);
    for (const index of [1, 2]) {
      expect(outcome(result, index)).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    }
    // The open question was abandoned, the next one never asked, and the stream told to stop.
    expect(questions.map((q) => q.step.index)).toEqual([4]);
    expect(questions[0]!.signal.aborted).toBe(true);
    expect(source.state.returned).toBe(true);

    // Late answers change nothing: an approval after the abort runs nothing.
    answer.resolve({ decision: "approve" });
    backend.get("Sid").succeed();
    await sleep(20);
    const afterAbort = backend.timeline.slice(backend.timeline.indexOf("ABORT") + 1);
    expect(afterAbort.filter((entry) => entry.startsWith("start"))).toEqual([]);
    expect(outcome(result, 1).status).toBe("failed");
    // Every step has exactly one final event.
    for (const index of [1, 2, 3, 4, 5]) {
      const finals = events.sequence(index).filter((t) => ["done", "failed", "skipped"].includes(t));
      expect(finals).toHaveLength(1);
    }
  });

  it("resolves even when a running backend ignores the signal completely", async () => {
    const controller = new AbortController();
    let started = false;
    const backend: ToolBackend = {
      name: "deaf",
      run() {
        started = true;
        return new Promise(() => undefined);
      },
    };
    const run = executePlan([step(1, "get_email_address", "Sid")], { backend, signal: controller.signal });
    await until(() => started, "the call");
    controller.abort();
    const result = await settlesWithin(run, 2000);
    expect(result.cancelled).toBe(true);
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "cancelled" } });
  });

  it("stops pulling from a streaming generator and closes it", async () => {
    const controller = new AbortController();
    const yielded: number[] = [];
    let closed = false;
    async function* planner() {
      try {
        for (let index = 1; index < 1000; index++) {
          if (index > 1) await sleep(5);
          yielded.push(index);
          yield step(index, "maps_open_location", `place ${index}`);
        }
      } finally {
        closed = true;
      }
    }
    const backend = new EchoBackend();
    const run = executePlan(planner(), { backend, signal: controller.signal });
    await until(() => yielded.length >= 3, "three steps");
    controller.abort();
    const result = await settlesWithin(run, 2000);
    const yieldedAtAbort = yielded.length;
    await until(() => closed, "the generator to be closed");
    expect(result.cancelled).toBe(true);
    // At most the step that was already on its way arrives after the abort; nothing more is pulled.
    expect(yielded.length).toBeLessThanOrEqual(yieldedAtAbort + 1);
    expect(result.outcomes.length).toBeLessThanOrEqual(yieldedAtAbort);
    expect(backend.calls.length).toBeLessThanOrEqual(yieldedAtAbort);
  });

  it("abandons an open choice", async () => {
    const controller = new AbortController();
    let asked = false;
    const backend: ToolBackend = {
      name: "asker",
      async run(_call, context) {
        const picked = await context.choose({ question: "Which?", options: [{ label: "a", value: "a" }] });
        return { observation: `picked ${picked}`, invocations: [] };
      },
    };
    const run = executePlan([step(1, "get_email_address", "Alex"), step(2, "maps_open_location", "$1")], {
      backend,
      signal: controller.signal,
      choose: () => {
        asked = true;
        return new Promise(() => undefined); // the person walked away
      },
    });
    await until(() => asked, "the choice");
    controller.abort();
    const result = await settlesWithin(run, 2000);
    expect(outcome(result, 1)).toMatchObject({ status: "failed", error: { code: "cancelled" } });
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "cancelled" });
  });

  it("does not run a step approved in the same moment the run is cancelled", async () => {
    const controller = new AbortController();
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "create_note", "A", "b", null)], {
        backend,
        signal: controller.signal,
        confirm: async () => {
          controller.abort();
          return { decision: "approve" };
        },
      }),
      2000,
    );
    expect(outcome(result, 1)).toMatchObject({ status: "skipped", cause: "cancelled" });
    expect(backend.calls).toEqual([]);
  });

  it("skips the dependents of a step that finished just as the run was cancelled", async () => {
    const controller = new AbortController();
    const backend = new GateBackend();
    const events = new EventLog();
    const run = executePlan([step(1, "get_email_address", "Sid"), step(2, "maps_open_location", "$1")], {
      backend,
      signal: controller.signal,
      onEvent: (event) => {
        events.listener(event);
        if (event.type === "done" && event.step.index === 1) controller.abort();
      },
    });
    const sid = await backend.waitFor("Sid");
    await until(() => events.sequence(2).length > 0, "step 2 to be queued");
    sid.succeed();
    const result = await settlesWithin(run, 2000);
    expect(outcome(result, 1).status).toBe("done");
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "cancelled" });
    expect(backend.open.map((c) => c.key)).toEqual(["Sid"]);
  });

  // Regression test (fixed executor bug).
  it("reports every step of an array plan as skipped when cancelled before the start", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "create_note", "A", "b", null),
        step(3, "maps_open_location", "$1"),
      ],
      { backend: new EchoBackend(), signal: controller.signal },
    );
    expect(result.outcomes.map((o) => o.step.index)).toEqual([1, 2, 3]);
    for (const o of result.outcomes) expect(o).toMatchObject({ status: "skipped", cause: "cancelled" });
  });

  // Regression test (fixed executor bug).
  it("starts no backend call when the run is cancelled while a step's running event is heard", async () => {
    const controller = new AbortController();
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "get_email_address", "Sid")], {
        backend,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === "running") controller.abort();
        },
      }),
      2000,
    );
    expect(result.cancelled).toBe(true);
    expect(backend.calls).toEqual([]);
  });

  it("cancels the recording backend's simulated latency at once", async () => {
    const controller = new AbortController();
    const backend = new RecordingBackend({ latencyMs: 10_000 });
    const run = executePlan([step(1, "maps_open_location", "Paris"), step(2, "maps_open_location", "Rome")], {
      backend,
      signal: controller.signal,
    });
    await until(() => backend.calls.length === 2, "both calls");
    controller.abort();
    const result = await settlesWithin(run, 2000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["failed", "failed"]);
    expect(backend.calls.every((c) => c.observation === undefined && c.error !== undefined)).toBe(true);
  });
});

describe("cancelling before the run starts", () => {
  it("runs nothing and asks nothing", async () => {
    const controller = new AbortController();
    controller.abort();
    const backend = new EchoBackend();
    let asked = 0;
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "get_email_address", "Sid"),
          step(2, "create_note", "A", "b", null),
          step(3, "maps_open_location", "$1"),
        ],
        {
          backend,
          signal: controller.signal,
          confirm: async () => {
            asked++;
            return { decision: "approve" };
          },
        },
      ),
      2000,
    );
    expect(result.cancelled).toBe(true);
    expect(backend.calls).toEqual([]);
    expect(asked).toBe(0);
    // Whatever the run reports, nothing is reported as having run.
    for (const o of result.outcomes) expect(o).toMatchObject({ status: "skipped", cause: "cancelled" });
  });

  it("does not read a streaming source that was cancelled before it began", async () => {
    const controller = new AbortController();
    controller.abort();
    const source = endlessSource([step(1, "maps_open_location", "Paris")]);
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan(source.iterable, { backend, signal: controller.signal }),
      2000,
    );
    expect(result.cancelled).toBe(true);
    expect(backend.calls).toEqual([]);
  });
});

describe("per-step timeout", () => {
  const TIMEOUT = 60;

  /** Never answers, but rejects with the abort reason like a well-behaved action. */
  const politeHang: ToolBackend = {
    name: "polite-hang",
    run(call: ToolCall, context: ToolContext) {
      if (keyOf(call) !== "Sid") return Promise.resolve({ observation: "quick", invocations: [] });
      return new Promise((_, reject) => {
        context.signal.addEventListener("abort", () => reject(context.signal.reason), { once: true });
      });
    },
  };
  /** Never answers and never looks at the signal. */
  const deafHang: ToolBackend = {
    name: "deaf-hang",
    run(call: ToolCall) {
      if (keyOf(call) !== "Sid") return Promise.resolve({ observation: "quick", invocations: [] });
      return new Promise(() => undefined);
    },
  };

  it.each([
    ["honours the signal", politeHang],
    ["ignores the signal", deafHang],
  ])("fails a step whose action %s but never finishes, with code timeout", async (_, backend) => {
    const events = new EventLog();
    const started = performance.now();
    const result = await settlesWithin(
      executePlan(
        [
          step(1, "get_email_address", "Sid"),
          step(2, "maps_open_location", "$1"),
          step(3, "maps_open_location", "${2} again"),
          step(4, "maps_open_location", "independent"),
        ],
        { backend, stepTimeoutMs: TIMEOUT, onEvent: events.listener },
      ),
      3000,
    );
    const elapsed = performance.now() - started;
    const first = outcome(result, 1);
    expect(first).toMatchObject({ status: "failed", error: { code: "timeout" } });
    expect(first.status === "failed" && first.error.message).toContain("get_email_address");
    expect(first.status === "failed" && first.durationMs).toBeGreaterThanOrEqual(TIMEOUT - 2);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT - 2);
    expect(outcome(result, 2)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(outcome(result, 3)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(outcome(result, 4)).toMatchObject({ status: "done", observation: "quick" });
    expect(result.cancelled).toBe(false);
    expect(events.sequence(1)).toEqual(["queued", "running", "failed"]);
  });

  it("aborts the step's own signal when it times out, but not the other steps'", async () => {
    const backend = new GateBackend();
    const run = executePlan([step(1, "get_email_address", "Sid"), step(2, "get_email_address", "Lutfi")], {
      backend,
      stepTimeoutMs: 30,
    });
    const sid = await backend.waitFor("Sid");
    const lutfi = await backend.waitFor("Lutfi");
    await until(() => sid.context.signal.aborted, "the timeout");
    expect(sid.context.signal.reason).toMatchObject({ code: "timeout" });
    const result = await settlesWithin(run, 3000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["failed", "failed"]);
    expect(lutfi.context.signal.aborted).toBe(true); // it timed out too: it was never answered
  });

  it("does not count the time a confirmation is open", async () => {
    const backend = new EchoBackend();
    const result = await settlesWithin(
      executePlan([step(1, "create_note", "A", "b", null)], {
        backend,
        stepTimeoutMs: TIMEOUT,
        confirm: async () => {
          await sleep(TIMEOUT * 3);
          return { decision: "approve" };
        },
      }),
      3000,
    );
    expect(outcome(result, 1).status).toBe("done");
  });

  it("does not count the time a choice is open, and counts again afterwards", async () => {
    const slowChoice = async () => {
      await sleep(TIMEOUT * 3);
      return "picked";
    };
    const chooseThen = (after: "answer" | "hang"): ToolBackend => ({
      name: "chooser",
      async run(_call, context) {
        const picked = await context.choose({ question: "?", options: [{ label: "p", value: "picked" }] });
        if (after === "hang") await new Promise(() => undefined);
        return { observation: String(picked), invocations: [] };
      },
    });
    const answered = await settlesWithin(
      executePlan([step(1, "get_email_address", "Alex")], {
        backend: chooseThen("answer"),
        stepTimeoutMs: TIMEOUT,
        choose: slowChoice,
      }),
      3000,
    );
    expect(outcome(answered, 1)).toMatchObject({ status: "done", observation: "picked" });

    const hung = await settlesWithin(
      executePlan([step(1, "get_email_address", "Alex")], {
        backend: chooseThen("hang"),
        stepTimeoutMs: TIMEOUT,
        choose: async () => "picked",
      }),
      3000,
    );
    expect(outcome(hung, 1)).toMatchObject({ status: "failed", error: { code: "timeout" } });
  });

  it("leaves steps that finish in time alone", async () => {
    const result = await executePlan(
      [step(1, "maps_open_location", "a"), step(2, "maps_open_location", "$1")],
      {
        backend: new EchoBackend(),
        stepTimeoutMs: TIMEOUT,
        confirm: approveAll,
      },
    );
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    await sleep(TIMEOUT + 20); // a timer left behind would have nothing to fail now, and must not throw
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
  });
});
