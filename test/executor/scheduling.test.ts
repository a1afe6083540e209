import { describe, expect, it } from "vitest";
import { criticalPath } from "../../src/agent/plan/dag";
import { parsePlan } from "../../src/agent/plan/parse";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import {
  EventLog,
  GateBackend,
  LatencyBackend,
  approveAll,
  deferred,
  executePlan,
  knownWorld,
  outcome,
  settlesWithin,
  step,
  stepsOf,
  streamOf,
  until,
} from "./helpers";

describe("running a plan as a DAG", () => {
  it("runs independent steps at the same time: the second starts before the first has ended", async () => {
    const backend = new GateBackend();
    const run = executePlan([step(1, "get_email_address", "Sid"), step(2, "get_phone_number", "Lutfi")], {
      backend,
    });
    const first = await backend.waitFor("Sid");
    const second = await backend.waitFor("Lutfi");
    // Both calls are open at this point: neither has been allowed to end.
    expect(first.ended).toBe(false);
    expect(backend.timeline).toEqual(["start Sid", "start Lutfi"]);
    second.succeed("lutfi@example.com");
    first.succeed("sid@example.com");
    const result = await settlesWithin(run, 2000);
    expect(outcome(result, 1)).toMatchObject({ status: "done", observation: "sid@example.com" });
    expect(outcome(result, 2)).toMatchObject({ status: "done", observation: "lutfi@example.com" });
  });

  it("starts a dependent step only after its dependency has finished, and passes the result on", async () => {
    const backend = new GateBackend();
    const run = executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "maps_open_location", "Office of $1 and ${1}"),
        step(3, "maps_open_location", "$1"),
        step(4, "maps_open_location", "Independent"),
      ],
      { backend },
    );
    await backend.waitFor("Sid");
    await backend.waitFor("Independent");
    // Give the scheduler every chance to start the dependents too early.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(backend.open.map((c) => c.key).sort()).toEqual(["Independent", "Sid"]);

    backend.get("Sid").succeed("sid@example.com");
    const third = await backend.waitFor("sid@example.com");
    const second = await backend.waitFor("Office of $1 and sid@example.com");
    expect(backend.timeline.indexOf("end Sid")).toBeLessThan(backend.timeline.indexOf(`start ${second.key}`));
    expect(backend.timeline.indexOf("end Sid")).toBeLessThan(backend.timeline.indexOf(`start ${third.key}`));
    second.succeed();
    third.succeed();
    backend.get("Independent").succeed();
    const result = await settlesWithin(run, 2000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done"]);
    expect(outcome(result, 2).status === "done" && outcome(result, 2)).toMatchObject({
      args: { location: "Office of $1 and sid@example.com" },
    });
  });

  it("waits for every dependency of a step that uses several results", async () => {
    const backend = new GateBackend();
    const run = executePlan(
      [
        step(1, "get_email_address", "Sid"),
        step(2, "get_email_address", "Lutfi"),
        step(3, "maps_show_directions", "$1", "$2", "d"),
      ],
      { backend },
    );
    (await backend.waitFor("Sid")).succeed("from");
    await backend.waitFor("Lutfi");
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(backend.has("from")).toBe(false);
    backend.get("Lutfi").succeed("to");
    (await backend.waitFor("from")).succeed();
    const result = await settlesWithin(run, 2000);
    expect(outcome(result, 3)).toMatchObject({
      status: "done",
      args: { start_location: "from", end_location: "to", transport: "d" },
    });
  });

  it("finishes a fan-out plan in about its critical path, not the sum of its steps", async () => {
    const LATENCY = 100;
    const FAN = 8;
    const steps = [
      step(1, "get_email_address", "Root"),
      ...Array.from({ length: FAN }, (_, i) =>
        step(i + 2, "maps_open_location", `Branch ${i + 2} near \${1}`),
      ),
    ];
    const critical = criticalPath({ steps, ended: true }, () => LATENCY); // 2 × latency
    const sum = steps.length * LATENCY; // 9 × latency
    expect(critical).toBe(2 * LATENCY);

    const backend = new LatencyBackend(() => LATENCY);
    const events = new EventLog();
    const started = performance.now();
    const result = await executePlan(steps, { backend, onEvent: events.listener });
    const wall = performance.now() - started;

    expect(result.outcomes.every((o) => o.status === "done")).toBe(true);
    // Ordering evidence, independent of the machine's speed: every branch was running before any ended.
    const firstBranchDone = Math.min(...steps.slice(1).map((s) => events.position("done", s.index)));
    const lastBranchRunning = Math.max(...steps.slice(1).map((s) => events.position("running", s.index)));
    expect(lastBranchRunning).toBeLessThan(firstBranchDone);
    expect(backend.maxInFlight).toBe(FAN);
    // Timing, with a wide margin for a loaded 2-core machine: far below the sum (900 ms).
    expect(wall).toBeGreaterThanOrEqual(critical - 5);
    expect(wall).toBeLessThan(sum * 0.7);
  });

  it("keeps the recording backend's latency concurrent as well", async () => {
    const backend = new RecordingBackend({ world: knownWorld(), latencyMs: 150 });
    const steps = stepsOf(
      [
        '1. get_phone_number("Lutfi")',
        '2. get_email_address("Maggie")',
        '3. maps_show_directions("", "SFO", "d")',
        '4. maps_open_location("Dolores Park")',
        "5. join()<END_OF_PLAN>",
      ].join("\n"),
    );
    const started = performance.now();
    const result = await executePlan(steps, { backend });
    const wall = performance.now() - started;
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done", "done"]);
    expect(backend.calls.map((c) => c.tool).sort()).toEqual(
      ["get_email_address", "get_phone_number", "maps_open_location", "maps_show_directions"].sort(),
    );
    // Serial would be 600 ms; parallel is about 150 ms.
    expect(wall).toBeLessThan(400);
  });

  it("measures step durations with the injected clock", async () => {
    let clock = 1000;
    const backend = {
      name: "clocked",
      async run() {
        clock += 250;
        return { observation: "ok", invocations: [] };
      },
    };
    const result = await executePlan([step(1, "get_email_address", "Sid")], { backend, now: () => clock });
    expect(outcome(result, 1)).toMatchObject({ status: "done", durationMs: 250 });
    expect(result.durationMs).toBe(250);
  });
});

describe("running while the plan is still streaming", () => {
  it("runs and finishes step 1 before step 3 has even been written", async () => {
    const backend = new LatencyBackend(() => 5);
    const events = new EventLog();
    const timeline: string[] = [];
    const steps = [
      step(1, "get_email_address", "Sid"),
      step(2, "get_phone_number", "Lutfi"),
      step(3, "maps_open_location", "${1}"),
    ];
    const firstDone = deferred();
    const onEvent = (event: Parameters<typeof events.listener>[0]) => {
      events.listener(event);
      timeline.push(`${event.type} ${event.step.index}`);
      if (event.type === "done" && event.step.index === 1) firstDone.resolve();
    };
    // The planner is "slow": after step 2 it waits until step 1 is done (or 2 s, so a broken executor fails
    // the assertions below instead of hanging the test).
    const source = streamOf(
      steps,
      async (position) => {
        if (position === 2) await Promise.race([firstDone.promise, new Promise((r) => setTimeout(r, 2000))]);
      },
      (s) => timeline.push(`yield ${s.index}`),
    );
    const result = await settlesWithin(executePlan(source, { backend, onEvent }), 5000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done"]);
    expect(timeline.indexOf("running 1")).toBeLessThan(timeline.indexOf("yield 2"));
    expect(timeline.indexOf("done 1")).toBeLessThan(timeline.indexOf("yield 3"));
    expect(outcome(result, 3)).toMatchObject({ args: { location: "result of Sid" } });
  });

  it("queues each step the moment it arrives, before the stream ends", async () => {
    const backend = new GateBackend();
    const events = new EventLog();
    const gate = deferred();
    const source = streamOf(
      [step(1, "get_email_address", "Sid"), step(2, "get_email_address", "Lutfi")],
      () => gate.promise,
    );
    const run = executePlan(source, { backend, onEvent: events.listener });
    await backend.waitFor("Sid");
    expect(events.sequence(1)).toEqual(["queued", "running"]);
    expect(events.sequence(2)).toEqual([]);
    gate.resolve();
    (await backend.waitFor("Lutfi")).succeed();
    backend.get("Sid").succeed();
    const result = await settlesWithin(run, 2000);
    expect(result.outcomes).toHaveLength(2);
  });

  it("runs steps that arrive out of order once their dependency shows up", async () => {
    const backend = new LatencyBackend(() => 1);
    async function* source() {
      yield step(2, "maps_open_location", "$1");
      await new Promise((r) => setTimeout(r, 10));
      yield step(1, "get_email_address", "Sid");
    }
    const result = await settlesWithin(executePlan(source(), { backend }), 2000);
    expect(outcome(result, 2)).toMatchObject({ status: "done", args: { location: "result of Sid" } });
    expect(backend.calls.map((c) => c.key)).toEqual(["Sid", "result of Sid"]);
  });

  it("streams from the plan parser chunk by chunk, confirming write steps as they come", async () => {
    const { PlanStreamParser } = await import("../../src/agent/plan/parse");
    const text =
      '1. get_email_address("Maggie")\n2. compose_new_email(["$1"], [], "Hi", "Lunch is on me, bring $20", [])\n3. join()<END_OF_PLAN>';
    const chunks = text.match(/[\s\S]{1,7}/g)!;
    async function* steps() {
      const parser = new PlanStreamParser();
      for (const chunk of chunks) {
        await Promise.resolve();
        for (const item of parser.push(chunk)) if (item.kind === "step") yield item.step;
      }
      for (const item of parser.finish().items) if (item.kind === "step") yield item.step;
    }
    const backend = new RecordingBackend({ world: knownWorld() });
    const result = await settlesWithin(executePlan(steps(), { backend, confirm: approveAll }), 2000);
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done"]);
    expect(backend.calls[1]!.args).toEqual({
      recipients: ["maggie.obrien@example.com"],
      cc: [],
      subject: "Hi",
      context: "Lunch is on me, bring $20",
      attachments: [],
    });
    // The same text parsed at once gives the same steps.
    expect(result.outcomes.map((o) => o.step)).toEqual(parsePlan(text).plan.steps);
  });
});

describe("waiting for a streamed dependency", () => {
  it("does not start a step whose dependency has not arrived yet, and skips it if the stream ends without it", async () => {
    const backend = new LatencyBackend(() => 1);
    const gate = deferred();
    const source = streamOf(
      [step(1, "get_email_address", "Sid"), step(3, "maps_open_location", "$2")],
      () => gate.promise,
    );
    const run = executePlan(source, { backend });
    await until(() => backend.calls.length === 1, "step 1");
    gate.resolve();
    const result = await settlesWithin(run, 2000);
    expect(outcome(result, 3)).toMatchObject({ status: "skipped", cause: "dependency" });
    expect(backend.calls.map((c) => c.key)).toEqual(["Sid"]);
  });
});
