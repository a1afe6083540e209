/**
 * `npm run train:planner`: TinyAgent-micro from nothing, reproducibly (every step seeded).
 *
 *   1-3. prepare.ts   planning data → vocabulary → token ids (node-llama-cpp's tokenizer)
 *   4.   train.py     the decoder, on the CPU (/usr/bin/python3 with Debian's python3-torch and OpenBLAS)
 *   5.   export.ts    models/tinyagent-micro.gguf (Q8_0) and a float F32 copy in the work folder
 *   6.   evaluate.ts  reference plans of the float model, and the quantized model against them
 *   7.   tinyagent eval on the natural dev set and the synthetic test split (reports in eval-report/micro)
 *
 * Options after `--` go to train.py (e.g. `npm run train:planner -- --steps 200` for a quick run).
 */
import { spawnSync } from "node:child_process";

const WORK = "training/planner/work";
const REFERENCE = "test/planner-training/reference-plans.jsonl";

function run(title: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): void {
  const started = performance.now();
  console.log(`\n== ${title}: ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${title} failed (exit ${result.status ?? result.signal})`);
  console.log(`== ${title}: ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const started = performance.now();
const tsx = ["tsx"];
run("data, vocabulary, token ids", "npx", [...tsx, "training/planner/prepare.ts", "--out", WORK]);
// torch runs its own loops on one thread (train.py); OpenBLAS, which torch calls for matrix products, on two.
run("training", "/usr/bin/python3", ["training/planner/train.py", "--work", WORK, ...process.argv.slice(2)], {
  OPENBLAS_NUM_THREADS: "2",
});
run("export", "npx", [...tsx, "training/planner/export.ts", "--work", WORK]);
run("float reference plans", "npx", [
  ...tsx,
  "training/planner/evaluate.ts",
  "--model",
  `${WORK}/tinyagent-micro-f32.gguf`,
  "--reference",
  REFERENCE,
]);
run("the quantized model against the float model's plans", "npx", [
  ...tsx,
  "training/planner/evaluate.ts",
  "--compare",
  REFERENCE,
]);
run("command line bundle", "npm", ["run", "build:cli"]);
// The synthetic test split's first 1,000 lines (about 900 in domain) keep this step to a few minutes.
for (const [data, limit] of [
  ["data/planner/natural-dev.jsonl", []],
  ["data/toolrag/test.jsonl", ["--limit", "1000"]],
] as const)
  run(`tinyagent eval on ${data}`, "npx", [
    "tinyagent",
    "eval",
    "--model",
    "micro",
    "--data",
    data,
    ...limit,
    "--out",
    "eval-report/micro",
  ]);
console.log(`\ntrain:planner finished in ${((performance.now() - started) / 60_000).toFixed(1)} min`);
