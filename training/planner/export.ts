/**
 * Step 5 of `npm run train:planner`: the trained weights as GGUF files node-llama-cpp runs unchanged.
 *
 *   npx tsx training/planner/export.ts [--work training/planner/work] [--out models/tinyagent-micro.gguf]
 *
 * Reads weights.bin / weights.jsonl (train.py) and vocab.jsonl (prepare.ts); writes the shipped file with
 * Q8_0 matrices (token embedding included) and F32 norms, and a float reference copy (F32) into the work
 * folder, against which the quantized model's plans are compared.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { EncodableTensorType } from "../../src/agent/model/gguf-writer";
import { buildVocabulary, modelFile, type Architecture, type FloatTensor } from "./vocabulary";

export const MODEL_NAME = "TinyAgent-micro";

interface TensorLine {
  name: string;
  dims: number[];
  offset: number;
}

interface TrainedArchitecture {
  embedding: number;
  layers: number;
  heads: number;
  feed_forward: number;
  context: number;
}

export function readTrained(work: string): { architecture: Architecture; tensors: FloatTensor[] } {
  const lines = readFileSync(join(work, "weights.jsonl"), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as TensorLine | { architecture: TrainedArchitecture });
  const bin = readFileSync(join(work, "weights.bin"));
  const floats = new Float32Array(bin.buffer, bin.byteOffset, bin.byteLength / 4);
  let trained: TrainedArchitecture | undefined;
  const tensors: FloatTensor[] = [];
  for (const line of lines) {
    if ("architecture" in line) {
      trained = line.architecture;
      continue;
    }
    const size = line.dims.reduce((a, b) => a * b, 1);
    tensors.push({ name: line.name, dims: line.dims, values: floats.slice(line.offset, line.offset + size) });
  }
  if (!trained) throw new Error(`${join(work, "weights.jsonl")} names no architecture`);
  return {
    architecture: {
      embedding: trained.embedding,
      layers: trained.layers,
      heads: trained.heads,
      kvHeads: trained.heads,
      feedForward: trained.feed_forward,
      contextLength: trained.context,
    },
    tensors,
  };
}

export function exportModel(work: string, matrixType: EncodableTensorType): Uint8Array {
  const learned = JSON.parse(readFileSync(join(work, "vocab.jsonl"), "utf8")) as {
    chars: string[];
    merges: string[];
  };
  const { architecture, tensors } = readTrained(work);
  return modelFile({
    name: MODEL_NAME,
    architecture,
    vocabulary: buildVocabulary(learned),
    tensors,
    matrixType,
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      work: { type: "string", default: "training/planner/work" },
      out: { type: "string", default: "models/tinyagent-micro.gguf" },
      type: { type: "string", default: "Q8_0" },
    },
  });
  const work = resolve(values.work!);
  const type = values.type as EncodableTensorType;
  const quantized = exportModel(work, type);
  writeFileSync(resolve(values.out!), quantized);
  const float = exportModel(work, "F32");
  writeFileSync(join(work, "tinyagent-micro-f32.gguf"), float);
  console.log(
    `${values.out}: ${(quantized.length / 1e6).toFixed(2)} MB (${type}); float reference ${(float.length / 1e6).toFixed(2)} MB`,
  );
}

main();
