import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { decodingThreads, SMALL_MODEL_BYTES } from "../../src/agent/engines/decoding-threads";
import { MICRO_MODEL } from "../../src/agent/model/catalog";
import { packageModelsDir } from "../../src/agent/model/package-models";
import { writeTinyModel } from "../../src/agent/model/tiny-model";
import { LlamaPlanner, type LlamaPlannerOptions } from "../../src/agent/planner/llama-planner";
import { makeTempDir } from "./helpers";

/**
 * Threads for local models (issue 17, item 9). Without a number of its own, a custom GGUF decoded with
 * llama.cpp's default on a CPU (at least 4 threads): on a 2-core machine more than 48 s per plan with a
 * tiny model, under a second on one thread. Every local model now gets threads chosen from the machine
 * and the model's size, and TINYAGENT_THREADS decides when it is set. The planners here are real
 * node-llama-cpp contexts, loaded as a person's shell would load them: not under vitest or CI.
 */

const MICRO = join(packageModelsDir(), MICRO_MODEL.file);
const temp = makeTempDir("tinyagent-threads-");
let tiny: string;
const planners: LlamaPlanner[] = [];
const saved = {
  VITEST: process.env.VITEST,
  CI: process.env.CI,
  TINYAGENT_THREADS: process.env.TINYAGENT_THREADS,
};

beforeAll(async () => {
  tiny = temp.file("custom.gguf");
  await writeTinyModel(tiny, { vocab: "small", seed: 4 });
});

afterEach(async () => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await Promise.all(planners.splice(0).map((planner) => planner.dispose()));
});

afterAll(() => temp.remove());

/** Loads a model as the CLI would outside tests; the file was made here, so it is not probed. */
async function load(
  env: { TINYAGENT_THREADS?: string },
  options: Partial<LlamaPlannerOptions> & { modelPath: string },
) {
  delete process.env.VITEST;
  delete process.env.CI;
  if (env.TINYAGENT_THREADS === undefined) delete process.env.TINYAGENT_THREADS;
  else process.env.TINYAGENT_THREADS = env.TINYAGENT_THREADS;
  // Both names of "already checked" (the probe's option is being renamed), so either version skips it.
  const settings = { template: "raw" as const, verified: true, probed: true, gpu: false, ...options };
  const planner = await LlamaPlanner.load(settings);
  planners.push(planner);
  return planner;
}

describe("threads a local model decodes with", () => {
  it("a custom GGUF of a few hundred KB decodes on one thread, not llama.cpp's default", async () => {
    const planner = await load({}, { modelPath: tiny });
    expect(planner.threads).toBe(1);
  });

  it("TINYAGENT_THREADS decides, over the size and over a profile's own number (micro's 1)", async () => {
    const wanted = Math.min(2, availableParallelism());
    const custom = await load({ TINYAGENT_THREADS: String(wanted) }, { modelPath: tiny });
    expect(custom.threads).toBe(wanted);
    await Promise.all(planners.splice(0).map((planner) => planner.dispose()));
    const micro = await load(
      { TINYAGENT_THREADS: String(wanted) },
      { modelPath: MICRO, template: MICRO_MODEL.template, threads: MICRO_MODEL.threads },
    );
    expect(micro.threads).toBe(wanted);
  });

  it("micro keeps its profile's one thread when nothing is set", async () => {
    const micro = await load(
      {},
      { modelPath: MICRO, template: MICRO_MODEL.template, threads: MICRO_MODEL.threads },
    );
    expect(micro.threads).toBe(1);
    expect((await stat(MICRO)).size).toBeLessThan(SMALL_MODEL_BYTES);
  });
});

describe("the choice, from the machine and the model", () => {
  const big = 700_000_000;

  it("half the logical CPUs for a model too big for one thread, between 1 and 8", () => {
    expect([1, 2, 3, 4, 8, 10, 16, 64].map((cpus) => decodingThreads({ modelBytes: big, cpus }))).toEqual([
      1, 1, 1, 2, 4, 5, 8, 8,
    ]);
  });

  it("one thread below the small-model size on any machine; a set number or the profile's first", () => {
    expect(decodingThreads({ modelBytes: 300_000, cpus: 16 })).toBe(1);
    expect(decodingThreads({ modelBytes: 300_000, cpus: 16, configured: 6 })).toBe(6);
    expect(decodingThreads({ modelBytes: big, cpus: 16, profile: 3 })).toBe(3);
    expect(decodingThreads({ modelBytes: big, cpus: 16, profile: 3, configured: 2 })).toBe(2);
  });
});
