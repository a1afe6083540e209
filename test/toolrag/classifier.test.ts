import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { onnx } from "onnx-proto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ENGINE_PLATFORMS } from "../../src/agent/engines/engine-manifest";
import { ONNX_RUNTIME_PLATFORMS, onnxRuntimeRunsOn } from "../../src/agent/engines/onnxruntime";
import { ClassifierError, loadRetrievalExamples, ToolClassifier } from "../../src/agent/toolrag/classifier";
import { readClassifierWeights } from "../../src/agent/toolrag/classifier-weights";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { dequantizeEmbedding, scoreRequest, type ToolModel } from "../../src/agent/toolrag/tool-model";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
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

describe("the Tool RAG classifier computed in TypeScript (Intel Macs)", () => {
  let typescript: ToolClassifier;

  beforeAll(async () => {
    typescript = await ToolClassifier.load({ dir: MODELS, engine: "typescript" });
  });

  it("is the engine where onnxruntime-node ships no library, and only there", () => {
    const shipped = readdirSync(join(ROOT, "node_modules", "onnxruntime-node", "bin", "napi-v6")).flatMap(
      (os) =>
        readdirSync(join(ROOT, "node_modules", "onnxruntime-node", "bin", "napi-v6", os)).map(
          (cpu) => `${os}-${cpu}`,
        ),
    );
    expect([...ONNX_RUNTIME_PLATFORMS].sort()).toEqual(shipped.sort());
    const [withoutLibrary] = ENGINE_PLATFORMS.filter((platform) => !shipped.includes(platform));
    expect(withoutLibrary).toBe("darwin-x64");
    expect(onnxRuntimeRunsOn("darwin", "x64")).toBe(false);
    expect(onnxRuntimeRunsOn("darwin", "arm64")).toBe(true);
    expect(classifier.engine).toBe("onnxruntime");
    expect(typescript.engine).toBe("typescript");
  });

  it("selects exactly the tools onnxruntime selects, for every shipped example request", async () => {
    const examples = await loadRetrievalExamples(MODELS);
    const requests = [
      ...examples.map((example) => example.question),
      "",
      "🎉🎉🎉",
      "x".repeat(5000),
      "what's the weather in Paris",
    ];
    expect(requests.length).toBeGreaterThan(1000);
    const onnxRag = new ToolRag({ classifier, registry: defaultRegistry });
    const typescriptRag = new ToolRag({ classifier: typescript, registry: defaultRegistry });
    let largest = 0;
    for (const request of requests) {
      const [expected, actual] = [await onnxRag.selection(request), await typescriptRag.selection(request)];
      expect(
        actual.tools.map((tool) => tool.name),
        request,
      ).toEqual(expected.tools.map((tool) => tool.name));
      for (const [name, p] of Object.entries(expected.scores)) {
        largest = Math.max(largest, Math.abs(p - actual.scores[name]!));
      }
    }
    expect(largest).toBeLessThan(1e-5);
  });

  it("refuses a model file whose graph or sizes are not the classifier's", () => {
    const file = readFileSync(join(MODELS, "toolrag.onnx"));
    expect(() => readClassifierWeights(file, { buckets: 65536, hidden: 64, labels: 16 })).toThrow(
      /embedding_bytes is missing or not 65536×64/,
    );
    expect(() =>
      readClassifierWeights(file.subarray(0, 5000), { buckets: 65536, hidden: 128, labels: 16 }),
    ).toThrow(/cut short/);
    const other = onnx.ModelProto.encode(
      onnx.ModelProto.create({
        irVersion: 8,
        graph: onnx.GraphProto.create({ node: [onnx.NodeProto.create({ opType: "Relu" })] }),
      }),
    ).finish();
    expect(() => readClassifierWeights(other, { buckets: 65536, hidden: 128, labels: 16 })).toThrow(
      /graph \(Relu\) is not the Tool RAG classifier's/,
    );
  });
});

describe("an onnxruntime-node that cannot load", () => {
  it("says that tool selection cannot start, why, and what to do", async () => {
    const runtimeDir = mkdtempSync(join(tmpdir(), "tinyagent-no-onnxruntime-"));
    try {
      const error = await ToolClassifier.load({ dir: MODELS, runtimeDir, engine: "onnxruntime" }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ClassifierError);
      const message = (error as Error).message;
      expect(message).toMatch(/^Tool selection cannot start: its engine, onnxruntime-node, did not load/);
      expect(message).toContain("Cannot find module");
      expect(message).toContain(`delete that folder and open TinyAgent again`);
      expect(message).not.toContain("\n");
    } finally {
      rmSync(runtimeDir, { recursive: true, force: true });
    }
  });
});
