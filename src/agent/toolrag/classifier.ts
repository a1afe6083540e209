import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { packageModelsDir } from "../model/package-models";
import { loadOnnxRuntime, type OnnxRuntime } from "../engines/onnxruntime";
import type { PlanExample } from "../prompt/examples";
import { featurize, type FeaturizerSettings } from "./featurize";
import { featureScale } from "./tool-model";

/** The JSON file beside the ONNX model: what the model file itself cannot say. */
export interface ClassifierSidecar {
  format: 2;
  labels: string[];
  featurizer: FeaturizerSettings;
  /** Width of the hidden layer. */
  hidden: number;
  thresholds: Record<string, number>;
  /** See SelectionSettings.gate. */
  gate: number;
  training: { sha256: string; examples: number };
}

type Session = Awaited<ReturnType<OnnxRuntime["InferenceSession"]["create"]>>;

/** A classifier file that is missing or does not match its sidecar. */
export class ClassifierError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClassifierError";
  }
}

/**
 * The Tool RAG classifier, run by onnxruntime-node. The session is created once and reused: loading
 * costs milliseconds, scoring a request microseconds.
 */
export class ToolClassifier {
  private constructor(
    private readonly runtime: OnnxRuntime,
    private readonly session: Session,
    readonly sidecar: ClassifierSidecar,
  ) {}

  /** Loads `<dir>/toolrag.onnx` and `<dir>/toolrag.json` (the repository's models folder by default). */
  static async load(options: { dir?: string; runtimeDir?: string } = {}): Promise<ToolClassifier> {
    const dir = options.dir ?? defaultModelsDir();
    const sidecar = await readSidecar(join(dir, "toolrag.json"));
    const runtime = await loadOnnxRuntime(options.runtimeDir);
    let session: Session;
    try {
      const model = await readFile(join(dir, "toolrag.onnx"));
      session = await runtime.InferenceSession.create(model, {
        intraOpNumThreads: 1,
        interOpNumThreads: 1,
        logSeverityLevel: 3,
        graphOptimizationLevel: "all",
      });
    } catch (error) {
      throw new ClassifierError(
        `The tool classifier at ${join(dir, "toolrag.onnx")} could not be loaded (${(error as Error).message}). Reinstall TinyAgent or run npm run train:toolrag.`,
        { cause: error },
      );
    }
    return new ToolClassifier(runtime, session, sidecar);
  }

  get labels(): readonly string[] {
    return this.sidecar.labels;
  }

  /** Probability per label, in label order. */
  async score(request: string): Promise<number[]> {
    const ids = featurize(request, this.sidecar.featurizer);
    const buckets = this.sidecar.featurizer.buckets;
    // Ids come from our own hash, but a sidecar from another model could disagree: negative or too-large
    // ids would wrap or read out of bounds inside Gather, so they are checked here.
    if (ids.some((id) => id < 0 || id >= buckets))
      throw new ClassifierError("feature id out of the model's range");
    const padded = ids.length === 0 ? [0] : ids;
    const feeds = {
      ids: new this.runtime.Tensor(
        "int64",
        BigInt64Array.from(padded, (id) => BigInt(id)),
        [1, padded.length],
      ),
      scale: new this.runtime.Tensor("float32", Float32Array.of(featureScale(ids.length)), [1, 1]),
    };
    const output = await this.session.run(feeds, ["probs"]);
    return Array.from(output.probs!.data as Float32Array);
  }

  async dispose(): Promise<void> {
    await this.session.release();
  }
}

async function readSidecar(path: string): Promise<ClassifierSidecar> {
  let parsed: ClassifierSidecar;
  try {
    parsed = JSON.parse(await readFile(path, "utf8")) as ClassifierSidecar;
  } catch (error) {
    throw new ClassifierError(
      `The tool classifier's settings at ${path} are missing or unreadable. Reinstall TinyAgent or run npm run train:toolrag.`,
      {
        cause: error,
      },
    );
  }
  if (
    parsed.format !== 2 ||
    !Array.isArray(parsed.labels) ||
    typeof parsed.featurizer?.buckets !== "number" ||
    typeof parsed.gate !== "number"
  ) {
    throw new ClassifierError(
      `${path} is not a TinyAgent tool classifier description of format 2. Reinstall TinyAgent or run npm run train:toolrag.`,
    );
  }
  return parsed;
}

/** The in-context examples shipped beside the classifier, for retrieval; empty when the file is absent. */
export async function loadRetrievalExamples(dir: string = defaultModelsDir()): Promise<PlanExample[]> {
  const text = await readFile(join(dir, "toolrag-examples.jsonl"), "utf8").catch(() => "");
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as PlanExample);
}

/** The models folder of this package (see packageModelsDir). */
export function defaultModelsDir(): string {
  return packageModelsDir();
}
