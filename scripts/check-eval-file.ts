// Checks an evaluation file: every line reads, every plan is valid. Usage: tsx scripts/check-eval-file.ts FILE
import { readFileSync } from "node:fs";
import { readEvalData } from "../src/agent/eval/eval-data";

const file = process.argv[2];
if (!file) throw new Error("usage: tsx scripts/check-eval-file.ts FILE");
const { requests, errors } = readEvalData(readFileSync(file, "utf8"));
for (const error of errors) console.log(`line ${error.line}: ${error.message}`);
const steps = requests.map((r) => r.truth?.plan.steps.length ?? 0);
const multi = steps.filter((n) => n >= 2).length;
console.log(`${requests.length} requests read, ${errors.length} errors; ${multi} with two or more calls`);
process.exitCode = errors.length === 0 ? 0 : 1;
