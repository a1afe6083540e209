import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { packageModelsDir } from "../model/package-models";
import { loadOnnxRuntime, onnxRuntimeRunsOn, type OnnxRuntime } from "../engines/onnxruntime";
import { readClassifierWeights, scoreWithWeights, type ClassifierWeights } from "./classifier-weights";
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

/**
 * What computes the classifier: onnxruntime-node where it has a library for the machine, else the same
 * model file computed in TypeScript (classifier-weights.ts). Both give the same probabilities.
 */
export type ClassifierEngine = "onnxruntime" | "typescript";

export interface ClassifierLoadOptions {
  /** Folder holding toolrag.onnx and toolrag.json; the package's models folder by default. */
  dir?: string;
  /** A provisioned runtime folder holding onnxruntime-node (Raycast); absent: load the package normally. */
  runtimeDir?: string;
  /** Default: onnxruntime where it runs on this machine (`onnxRuntimeRunsOn`), else typescript. */
  engine?: ClassifierEngine;
}

/** A classifier file that is missing or does not match its sidecar, or an engine that cannot load. */
export class ClassifierError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ClassifierError";
  }
}

/** Probability per label for a request's feature ids and their scale. */
interface Scorer {
  score(ids: number[], scale: number): Promise<number[]>;
  dispose(): Promise<void>;
}

/**
 * The Tool RAG classifier, run by onnxruntime-node (or, where it has no library, in TypeScript). The
 * session is created once and reused: loading costs milliseconds, scoring a request microseconds.
 */
export class ToolClassifier {
  private constructor(
    private readonly scorer: Scorer,
    readonly sidecar: ClassifierSidecar,
    readonly engine: ClassifierEngine,
  ) {}

  /** Loads `<dir>/toolrag.onnx` and `<dir>/toolrag.json` (the repository's models folder by default). */
  static async load(options: ClassifierLoadOptions = {}): Promise<ToolClassifier> {
    const dir = options.dir ?? defaultModelsDir();
    const sidecar = await readSidecar(join(dir, "toolrag.json"));
    const engine = options.engine ?? (onnxRuntimeRunsOn() ? "onnxruntime" : "typescript");
    const file = join(dir, "toolrag.onnx");
    const model = await readFile(file).catch((error: unknown) => {
      throw new ClassifierError(
        `The tool classifier at ${file} is missing or unreadable (${(error as Error).message}). ${REINSTALL}`,
        { cause: error },
      );
    });
    const scorer =
      engine === "onnxruntime"
        ? await onnxScorer(model, file, options.runtimeDir)
        : typeScriptScorer(model, file, sidecar);
    return new ToolClassifier(scorer, sidecar, engine);
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
    return this.scorer.score(ids, featureScale(ids.length));
  }

  async dispose(): Promise<void> {
    await this.scorer.dispose();
  }
}

const REINSTALL = "Reinstall TinyAgent or run npm run train:toolrag.";

async function onnxScorer(model: Buffer, file: string, runtimeDir: string | undefined): Promise<Scorer> {
  const runtime = await loadOnnxRuntime(runtimeDir).catch((error: unknown) => {
    throw new ClassifierError(engineFailure(error, runtimeDir), { cause: error });
  });
  let session: Session;
  try {
    session = await runtime.InferenceSession.create(model, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      logSeverityLevel: 3,
      graphOptimizationLevel: "all",
    });
  } catch (error) {
    throw new ClassifierError(
      `The tool classifier at ${file} could not be loaded (${(error as Error).message}). ${REINSTALL}`,
      { cause: error },
    );
  }
  return {
    async score(ids, scale) {
      const padded = ids.length === 0 ? [0] : ids;
      const feeds = {
        ids: new runtime.Tensor(
          "int64",
          BigInt64Array.from(padded, (id) => BigInt(id)),
          [1, padded.length],
        ),
        scale: new runtime.Tensor("float32", Float32Array.of(scale), [1, 1]),
      };
      const output = await session.run(feeds, ["probs"]);
      return Array.from(output.probs!.data as Float32Array);
    },
    dispose: () => session.release(),
  };
}

function typeScriptScorer(model: Buffer, file: string, sidecar: ClassifierSidecar): Scorer {
  let weights: ClassifierWeights;
  try {
    weights = readClassifierWeights(model, {
      buckets: sidecar.featurizer.buckets,
      hidden: sidecar.hidden,
      labels: sidecar.labels.length,
    });
  } catch (error) {
    throw new ClassifierError(
      `The tool classifier at ${file} could not be read: ${(error as Error).message}. ${REINSTALL}`,
      { cause: error },
    );
  }
  return {
    score: async (ids) => scoreWithWeights(weights, ids),
    dispose: async () => undefined,
  };
}

/**
 * Says that onnxruntime-node would not load, why (the first line of its error, e.g. "Cannot find module
 * '../bin/napi-v6/…'"), and what to do: set the engines up again where they were provisioned, reinstall
 * the packages otherwise.
 */
function engineFailure(error: unknown, runtimeDir: string | undefined): string {
  const cause = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.trim();
  const fix = runtimeDir
    ? `Its files in ${runtimeDir} are incomplete or damaged: delete that folder and open TinyAgent again to set the engines up anew.`
    : "Reinstall TinyAgent's packages (npm ci).";
  return `Tool selection cannot start: its engine, onnxruntime-node, did not load on this ${machine()} (${cause}). ${fix}`;
}

function machine(): string {
  return `${process.platform === "darwin" ? "Mac" : process.platform} (${process.platform}-${process.arch})`;
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
