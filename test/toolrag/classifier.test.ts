import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onnx } from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClassifierError, ToolClassifier } from "../../src/agent/toolrag/classifier";
import { dequantizeEmbedding, scoreRequest, type ToolModel } from "../../src/agent/toolrag/tool-model";
import { TOOLS } from "../../src/tools/registry";

const MODELS = process.env.TINYAGENT_TOOLRAG_DIR ?? fileURLToPath(new URL("../../models", import.meta.url));

/** The weights read back from the ONNX file itself, for the TypeScript reference computation. */
function referenceModel(): ToolModel {
  const proto = onnx.ModelProto.decode(readFileSync(join(MODELS, "toolrag.onnx")));
  const sidecar = JSON.parse(readFileSync(join(MODELS, "toolrag.json"), "utf8")) as {
    labels: string[];
    featurizer: ToolModel["featurizer"];
    hidden: number;
  };
  const raw = (name: string) => {
    const data = proto.graph!.initializer!.find((t) => t.name === name)!.rawData!;
    return data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  };
  const bytes = new Int8Array(raw("embedding_bytes"));
  const scales = new Float32Array(raw("embedding_scales"));
  return {
    labels: sidecar.labels,
    featurizer: sidecar.featurizer,
    hidden: sidecar.hidden,
    embedding: dequantizeEmbedding({ bytes, scales }, sidecar.hidden),
    hiddenBias: new Float32Array(raw("hidden_bias")),
    output: new Float32Array(raw("output")),
    outputBias: new Float32Array(raw("output_bias")),
  };
}

let classifier: ToolClassifier;

beforeAll(async () => {
  classifier = await ToolClassifier.load({ dir: MODELS });
});

afterAll(async () => {
  await classifier?.dispose();
});

describe("the Tool RAG classifier in onnxruntime-node", () => {
  it("has one output per tool, in registry order", () => {
    expect(classifier.labels).toEqual(TOOLS.map((tool) => tool.name));
  });

  it("computes exactly what the TypeScript reference computes", async () => {
    const reference = referenceModel();
    const requests = [
      "email Sid and Lutfi the Q3 deck",
      "remnd me to cal mom tmrw 9am",
      "hey uh can you text jake I'll be there in ten",
      "what's the weather in Paris",
      "",
      "🎉🎉🎉",
      "directions from Shibuya station to the Tokyo tower, walking",
      "x".repeat(5000),
    ];
    for (const request of requests) {
      const onnxProbs = await classifier.score(request);
      const tsProbs = scoreRequest(reference, request);
      expect(onnxProbs).toHaveLength(16);
      onnxProbs.forEach((p, i) => expect(p).toBeCloseTo(tsProbs[i]!, 5));
    }
  });

  it("gives a clear error for a missing model folder", async () => {
    await expect(ToolClassifier.load({ dir: join(MODELS, "no-such-folder") })).rejects.toBeInstanceOf(
      ClassifierError,
    );
  });
});
