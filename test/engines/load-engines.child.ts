/**
 * Run in a child process by provision-registry.test.ts: loads both engines from a provisioned runtime
 * folder through the project's loaders, runs the Tool RAG model, and lists the native libraries this
 * process mapped, so the test can check they all came from that folder (not the repository's
 * node_modules). Prints one JSON line.
 */
import { readFileSync } from "node:fs";
import { loadLlama } from "../../src/agent/engines/node-llama-cpp";
import { loadOnnxRuntime } from "../../src/agent/engines/onnxruntime";

async function main(): Promise<void> {
  const [runtimeDir, modelPath] = process.argv.slice(2) as [string, string];
  const { llama } = await loadLlama({ runtimeDir, gpu: false, maxThreads: 1 });
  const ort = await loadOnnxRuntime(runtimeDir);
  const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, logSeverityLevel: 3 });
  // One feature id and a scale of 1, whatever the model's inputs are called.
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const input of session.inputMetadata) {
    if (!input.isTensor) throw new Error(`input ${input.name} is not a tensor`);
    if (input.type === "int64") feeds[input.name] = new ort.Tensor("int64", BigInt64Array.of(1n), [1, 1]);
    else if (input.type === "float32")
      feeds[input.name] = new ort.Tensor("float32", Float32Array.of(1), [1, 1]);
    else throw new Error(`input ${input.name} has type ${input.type}`);
  }
  const outputs = await session.run(feeds);
  const values = Object.values(outputs).flatMap((tensor) => Array.from(tensor.data as Float32Array));
  await session.release();
  const nativeFiles = new Set(
    readFileSync("/proc/self/maps", "utf8")
      .split("\n")
      .map((line) => line.trim().split(/\s+/)[5] ?? "")
      .filter((path) => /\.node$|lib(llama|ggml|onnxruntime)[^/]*$/.test(path)),
  );
  const result = {
    buildType: llama.buildType,
    gpu: llama.gpu,
    outputValues: values.length,
    allFinite: values.every((value) => Number.isFinite(value)),
    nativeFiles: [...nativeFiles],
  };
  await llama.dispose();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
