import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ClassifierError, ToolClassifier } from "../../src/agent/toolrag/classifier";
import {
  dequantizeEmbedding,
  quantizeEmbedding,
  scoreRequest,
  type ToolModel,
} from "../../src/agent/toolrag/tool-model";
import { TOOLS } from "../../src/tools/registry";
import { generateExamples } from "../../training/toolrag/generate";
import { exportOnnx } from "../../training/toolrag/onnx-export";
import { trainToolModel } from "../../training/toolrag/train-model";

const LABELS = TOOLS.map((tool) => tool.name);
const folders: string[] = [];

afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), "tinyagent-toolrag-"));
  folders.push(dir);
  return dir;
}

/** A small model trained for real on generated requests: seconds, not the minute the shipped one takes. */
function smallModel(): ToolModel {
  const examples = generateExamples({ seed: 3, count: 600 });
  const trained = trainToolModel(examples, {
    labels: LABELS,
    featurizer: { buckets: 4096, charNgrams: [3, 4], wordBigrams: true },
    hidden: 16,
    // Requests of two to four parts carry many tools each: a few more passes than single actions need.
    epochs: 10,
    learningRate: 0.1,
    featureDropout: 0.3,
    seed: 1,
  });
  return {
    ...trained,
    embedding: dequantizeEmbedding(quantizeEmbedding(trained.embedding, trained.hidden), trained.hidden),
  };
}

describe("the embedding's int8 quantization", () => {
  it("keeps every weight within half a step of its row's scale, and zero rows zero", () => {
    const width = 4;
    const embedding = Float32Array.from([0, 0, 0, 0, 0.5, -0.25, 0.1, -0.5, 3, 2.9999, -1e-6, 0.0001]);
    const quantized = quantizeEmbedding(embedding, width);
    const restored = dequantizeEmbedding(quantized, width);
    expect([...restored.slice(0, 4)]).toEqual([0, 0, 0, 0]);
    expect(quantized.scales[0]).toBe(0);
    for (let i = 4; i < embedding.length; i++) {
      const scale = quantized.scales[Math.floor(i / width)]!;
      expect(Math.abs(restored[i]! - embedding[i]!)).toBeLessThanOrEqual(scale / 2 + 1e-9);
    }
    expect(quantized.bytes[7]).toBe(-127);
    expect(quantized.bytes[8]).toBe(127);
  });
});

describe("a classifier trained here and exported to ONNX", () => {
  const model = smallModel();

  it("learns its training requests", () => {
    const examples = generateExamples({ seed: 3, count: 600 }).filter((e) => e.tools.length > 0);
    let hit = 0;
    let needed = 0;
    for (const example of examples) {
      const probs = scoreRequest(model, example.query);
      for (const tool of example.tools) {
        needed++;
        if (probs[LABELS.indexOf(tool)]! >= 0.5) hit++;
      }
    }
    expect(hit / needed).toBeGreaterThan(0.9);
  });

  it("gives in onnxruntime-node exactly what the TypeScript reference gives", async () => {
    const dir = folder();
    writeFileSync(join(dir, "toolrag.onnx"), exportOnnx(model));
    writeFileSync(
      join(dir, "toolrag.json"),
      JSON.stringify({
        format: 2,
        labels: LABELS,
        featurizer: model.featurizer,
        hidden: model.hidden,
        thresholds: {},
        gate: 0.1,
        training: { sha256: "", examples: 600 },
      }),
    );
    const classifier = await ToolClassifier.load({ dir });
    try {
      for (const request of ["text Ama that I'm outside", "remind me to pay rent on the 1st", "", "🙂 ok"]) {
        const fromOnnx = await classifier.score(request);
        const fromTs = scoreRequest(model, request);
        fromOnnx.forEach((p, i) => expect(p).toBeCloseTo(fromTs[i]!, 5));
      }
    } finally {
      await classifier.dispose();
    }
  });

  it("is refused with a clear message when its description is of the old format", async () => {
    const dir = folder();
    writeFileSync(join(dir, "toolrag.onnx"), exportOnnx(model));
    writeFileSync(
      join(dir, "toolrag.json"),
      JSON.stringify({ format: 1, labels: LABELS, featurizer: model.featurizer, thresholds: {} }),
    );
    const loading = ToolClassifier.load({ dir });
    await expect(loading).rejects.toBeInstanceOf(ClassifierError);
    await expect(loading).rejects.toThrow(/format 2.*npm run train:toolrag/);
  });
});
