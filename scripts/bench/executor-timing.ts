import { spread } from "../../src/agent/eval/percentile";
import { executePlan } from "../../src/agent/executor/executor";
import { criticalPath, dependenciesOf } from "../../src/agent/plan/dag";
import type { Plan } from "../../src/agent/plan/plan";
import { defaultRegistry } from "../../src/tools/registry";
import { below, figure, type Figure } from "./figure";
import { plannedRequests } from "./requests";
import { simulatedBackend } from "./simulated-backend";

/** Simulated action times: lookups are quick, the local summary is slow, writes are in between. */
const LATENCY_MS: Record<string, number> = {
  get_email_address: 30,
  get_phone_number: 30,
  open_and_get_file_path: 60,
  summarize_pdf: 120,
  maps_open_location: 20,
  maps_show_directions: 20,
  open_note: 40,
  get_zoom_meeting_link: 90,
};
const WRITE_MS = 50;

/**
 * Executor wall time against the plan's critical path (the sum of action times along its longest chain of
 * dependencies), on ground-truth plans of several steps with simulated action times and every step approved.
 */
export async function measureExecutor(count: number): Promise<Figure[]> {
  const latency = (tool: string) => LATENCY_MS[tool] ?? WRITE_MS;
  const backend = simulatedBackend(latency);
  const ratios: number[] = [];
  const floors: number[] = [];
  const plans = plannedRequests(400)
    .map((request) => request.truth!.plan)
    .filter((plan) => plan.steps.length >= 3)
    .slice(0, count);
  for (const plan of plans) {
    const critical = criticalPath(plan, (step) => latency(step.tool));
    const result = await executePlan(plan.steps, {
      backend,
      registry: defaultRegistry,
      confirm: async () => ({ decision: "approve" }),
    });
    if (result.outcomes.some((outcome) => outcome.status !== "done"))
      throw new Error(`a simulated plan did not run through: ${JSON.stringify(result.outcomes)}`);
    ratios.push(result.durationMs / critical);
    floors.push((await timersOnly(plan, latency)) / critical);
  }
  const { p50, p95 } = spread(ratios);
  const worst = ratios.length === 0 ? null : Math.max(...ratios);
  const floor = spread(floors);
  return [
    figure("executor.wall-over-critical.p50", "Executor wall time / critical path, p50", p50, "x", {
      note: `${ratios.length} plans of 3+ steps, simulated actions of 20-120 ms`,
    }),
    figure("executor.wall-over-critical.p95", "Executor wall time / critical path, p95", p95, "x", {
      budget: { ...below(p95, 1.1, "x"), text: "within 10 %" },
    }),
    figure("executor.wall-over-critical.max", "Executor wall time / critical path, worst", worst, "x"),
    figure("executor.timers-over-critical.p95", "Bare timers / critical path, p95", floor.p95, "x", {
      // What the machine alone costs: under load, timers fire late and the executor's tail follows them.
      note: "the same plans as a DAG of setTimeout calls and nothing else, run right after each plan",
    }),
  ];
}

/** The plan's DAG with nothing but a timer per step: the wall time the event loop alone gives, in ms. */
async function timersOnly(plan: Plan, latency: (tool: string) => number): Promise<number> {
  const started = performance.now();
  const finished = new Map<number, Promise<void>>();
  for (const step of [...plan.steps].sort((a, b) => a.index - b.index)) {
    const after = Promise.all(dependenciesOf(step).map((index) => finished.get(index)));
    finished.set(
      step.index,
      after.then(() => new Promise((resolve) => setTimeout(resolve, latency(step.tool)))),
    );
  }
  await Promise.all(finished.values());
  return performance.now() - started;
}
