import { describe, expect, it } from "vitest";
import { executePlan } from "../../src/agent/executor/executor";
import type { PlanItem } from "../../src/agent/plan/parse";
import { streamSteps } from "../../src/agent/plan/stream-steps";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";

/** Yields plan text in small chunks, recording when each chunk was handed over. */
async function* tokens(text: string, log: string[]): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += 7) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    const chunk = text.slice(i, i + 7);
    if (chunk.includes("\n")) log.push(`chunk with newline at ${i}`);
    yield chunk;
  }
  log.push("stream ended");
}

describe("streamSteps", () => {
  it("feeds the executor while the planner is still writing", async () => {
    const log: string[] = [];
    const text = [
      '1. get_email_address("Sid")',
      '2. maps_open_location("Ferry Building")',
      '3. get_phone_number("Sid")',
      "4. join()<END_OF_PLAN>",
    ].join("\n");
    const backend = new RecordingBackend();
    const result = await executePlan(streamSteps(tokens(text, log)), {
      backend,
      onEvent: (event) => {
        if (event.type === "done") log.push(`done ${event.step.index}`);
      },
    });
    expect(result.outcomes.map((o) => o.status)).toEqual(["done", "done", "done"]);
    // Step 1 finished before the planner had written its last line.
    expect(log.indexOf("done 1")).toBeGreaterThan(-1);
    expect(log.indexOf("done 1")).toBeLessThan(log.indexOf("stream ended"));
  });

  it("reports problems and the final parse without dropping anything", async () => {
    const items: PlanItem[] = [];
    const generator = streamSteps(['1. get_email_address("Sid")\n2. oops\n', "3. join()"], (item) =>
      items.push(item),
    );
    const steps = [];
    let next = await generator.next();
    while (!next.done) {
      steps.push(next.value);
      next = await generator.next();
    }
    expect(steps.map((s) => s.tool)).toEqual(["get_email_address"]);
    expect(items.map((i) => i.kind)).toEqual(["step", "problem", "join"]);
    expect(next.value.problems).toHaveLength(1);
    expect(next.value.problems[0]!.line).toBe(2);
    expect(next.value.plan.join?.index).toBe(3);
  });
});
