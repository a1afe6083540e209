/**
 * The planner models TinyAgent knows how to fetch, and the settings the planner reads from a model
 * profile. Plain data: no file system, no network.
 */
import { END_OF_PLAN } from "../plan/plan";
import type { PromptStyle } from "../prompt/planner-prompt";
import type { PromptTemplate } from "../prompt/template";

/** What the planner reads, whatever the model's origin. */
export interface PlannerSettings {
  /** The prompt the model was trained on (see plannerPrompt). */
  promptStyle: PromptStyle;
  template: PromptTemplate;
  /**
   * Whether the plan grammar holds arguments marked `fromRequest` (contact names, places, existing notes
   * and files) to spans of the request: for models too small to copy reliably on their own.
   */
  copyFromRequest: boolean;
  /** The lowest tool probability at which Tool RAG offers the model a tool (Planner.toolFloor). */
  toolFloor?: number;
  /**
   * Whether the model may write prose for actions: email bodies, notes, PDF summaries (text-writer.ts).
   * A model trained only to write plans writes plan fragments instead; its actions then use the person's
   * own words and extractive summaries.
   */
  writesText: boolean;
  stopMarker: string;
  /**
   * Threads to decode with, when the person has not set a number: a model of a few MB decodes fastest on
   * one (measured on a 2-core Linux machine: ~0.2 s per plan on one thread, 18 s with llama.cpp's default).
   */
  threads?: number;
  /** Context window to allocate, in tokens: prompt (about 1,000 with tool selection) plus the plan. */
  contextSize: number;
  /**
   * Earlier prompts kept warm in the KV cache, one context sequence each (LlamaPlanner, WarmSequences):
   * a request whose tools were selected recently evaluates only what follows the shared prefix. Each
   * costs a contextSize of cache (TinyAgent-1.1B: about 90 MB at 4,096 tokens; 7B: about 2 GB).
   */
  warmSequences?: number;
}

/** A model TinyAgent can download: a file in a Hugging Face repository. */
export interface CatalogModel extends PlannerSettings {
  kind: "catalog";
  /** Stable identifier used on the command line and in settings, e.g. "tinyagent-1.1b". */
  id: string;
  displayName: string;
  /** Hugging Face repository, "owner/name". */
  repo: string;
  /** File in the repository; also the file name in the models folder. */
  file: string;
  /** Exact size in bytes, when published; verified after download. */
  sizeBytes?: number;
  /**
   * The published size as the host shows it (rounded: "4.92 GB"), for display and the free-space check.
   * Without an exact size, a download whose size is not within SIZE_TOLERANCE of it is refused.
   */
  approxBytes: number;
  /**
   * Lower-case hex sha256 of the published file; verified after download, before the model is used when
   * its file changed since, and by `model verify`. Every catalog model has one: never "any file".
   */
  sha256?: string;
  description: string;
}

/** Any GGUF file the person points at; nothing to download or verify against. */
export interface CustomModel extends PlannerSettings {
  kind: "custom";
  id: string;
  displayName: string;
  path: string;
}

/** A model that ships inside TinyAgent's models folder: nothing to download, there from the first run. */
export interface BundledModel extends PlannerSettings {
  kind: "bundled";
  id: string;
  displayName: string;
  /** File name in the package's models folder. */
  file: string;
  /** Environment variable that points at another file instead (tests, a retrained model). */
  pathVariable: string;
  description: string;
}

export type ModelProfile = CatalogModel | CustomModel | BundledModel;

export const DEFAULT_MODEL_ID = "tinyagent-1.1b";

export const DEFAULT_BASE_URL = "https://huggingface.co";

// The template is "raw" until the planner work measures raw against alpaca on these models (DESIGN §5);
// change it here once measured, nothing else reads a hard-coded layout.
const TINYAGENT_SETTINGS: PlannerSettings = {
  promptStyle: "tinyagent",
  template: "raw",
  copyFromRequest: false,
  // Kept as it was; `tinyagent eval --writer` measures what it writes (docs/command-line.md, "Who writes
  // text").
  writesText: true,
  stopMarker: END_OF_PLAN,
  contextSize: 4096,
};

/**
 * TinyAgent-micro, the planner trained in this repository (training/planner): a few MB, in the package,
 * the planner whenever no TinyAgent model is downloaded. Its prompt is a few hundred tokens at most and
 * a plan is bounded by the grammar, so a small context suffices.
 */
export const MICRO_MODEL: BundledModel = {
  kind: "bundled",
  id: "micro",
  displayName: "TinyAgent-micro",
  file: "tinyagent-micro.gguf",
  pathVariable: "TINYAGENT_MICRO_MODEL",
  description: "Fast offline planner: ships with TinyAgent, nothing to download; less accurate than 1.1B.",
  promptStyle: "micro",
  template: "plain",
  copyFromRequest: true,
  // Trained on plans only: asked for an email body it writes `1 to talk about…", [])\n2. get_phone…`.
  writesText: false,
  // Chosen on the synthetic validation split (docs/tinyagent-micro.md, "Fewer, surer tools"): the
  // classifier's exact tool set rises from 43 % (its own recall-tuned thresholds) to 80 %, a needed tool is
  // missing in 2 %.
  toolFloor: 0.3,
  threads: 1,
  stopMarker: END_OF_PLAN,
  contextSize: 2048,
  // A few hundred tokens of cache each.
  warmSequences: 3,
};

export const BUNDLED_MODELS: readonly BundledModel[] = [MICRO_MODEL];

/** The bundled model with this id, if any. */
export function findBundledModel(id: string): BundledModel | undefined {
  const wanted = id.trim().toLowerCase();
  return BUNDLED_MODELS.find((model) => model.id === wanted);
}

export const CATALOG: readonly CatalogModel[] = [
  {
    kind: "catalog",
    id: "tinyagent-1.1b",
    displayName: "TinyAgent-1.1B",
    repo: "squeeze-ai-lab/TinyAgent-1.1B-GGUF",
    file: "TinyAgent-1.1B-Q4_K_M.gguf",
    approxBytes: 668_000_000,
    sha256: "374a3e82afe32587a0a1dab7a0ed56a6547b90ce1cc1fb8382f7c56cc1f92fc9",
    description: "Default planner: fast, 4-bit, fine-tuned for TinyAgent plans.",
    ...TINYAGENT_SETTINGS,
    warmSequences: 3,
  },
  {
    kind: "catalog",
    id: "tinyagent-7b",
    displayName: "TinyAgent-7B",
    // The official repository's 4-bit file has no hash we could confirm, and its F16 file is 14.5 GB;
    // QuantFactory's 4-bit quantization of the same model has a published size and sha256 (DESIGN §5),
    // so that is the file downloaded, checked, and refused when it is anything else.
    repo: "QuantFactory/TinyAgent-7B-GGUF",
    file: "TinyAgent-7B.Q4_K_M.gguf",
    approxBytes: 4_920_000_000,
    sha256: "e9da7b15ed55028b868e865a1c74c268bca88899aaa84462b61374418c7d0f78",
    // Memory: the 4.92 GB of weights are held whole, plus the context's cache and work buffers.
    description: "Larger, more accurate planner; slower, needs about 6 GB of memory.",
    ...TINYAGENT_SETTINGS,
  },
];

/**
 * How far a download may be from a model's rounded published size (approxBytes) when its exact size is
 * not known: hosts show three significant digits, so 1 % is ample, and an error page or a different
 * model is far outside it.
 */
export const SIZE_TOLERANCE = 0.01;

/** The sizes a download of this model may have: exactly sizeBytes, or approxBytes within SIZE_TOLERANCE. */
export function acceptedSize(model: CatalogModel): { min: number; max: number } {
  if (model.sizeBytes !== undefined) return { min: model.sizeBytes, max: model.sizeBytes };
  return {
    min: Math.floor(model.approxBytes * (1 - SIZE_TOLERANCE)),
    max: Math.ceil(model.approxBytes * (1 + SIZE_TOLERANCE)),
  };
}

/**
 * A catalog model's size as people read it wherever it is named (the preferences, the README, the
 * download notes): its published size to three significant digits, "668 MB", "4.92 GB". A test holds
 * every such mention to this.
 */
export function publishedSize(model: CatalogModel): string {
  const bytes = model.sizeBytes ?? model.approxBytes;
  const [value, unit] = bytes >= 1e9 ? [bytes / 1e9, "GB"] : [bytes / 1e6, "MB"];
  return `${new Intl.NumberFormat("en-US", { maximumSignificantDigits: 3 }).format(value)} ${unit}`;
}

/** The catalog entry with this id, if any. */
export function findCatalogModel(
  id: string,
  catalog: readonly CatalogModel[] = CATALOG,
): CatalogModel | undefined {
  const wanted = id.trim().toLowerCase();
  return catalog.find((model) => model.id === wanted);
}

/**
 * The base URL models are fetched from: `TINYAGENT_MODEL_BASE_URL` (tests, mirrors), else `HF_ENDPOINT`
 * (the variable Hugging Face's own tools read for mirrors), else huggingface.co.
 */
export function modelBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.TINYAGENT_MODEL_BASE_URL?.trim() || env.HF_ENDPOINT?.trim() || DEFAULT_BASE_URL;
  return base.replace(/\/+$/, "");
}

/** `<base>/<repo>/resolve/main/<file>`, the Hugging Face download address (it redirects to a CDN). */
export function downloadUrl(
  model: Pick<CatalogModel, "repo" | "file">,
  baseUrl: string = modelBaseUrl(),
): string {
  const path = [...model.repo.split("/"), "resolve", "main", ...model.file.split("/")]
    .map(encodeURIComponent)
    .join("/");
  return `${baseUrl.replace(/\/+$/, "")}/${path}`;
}

/** A profile for a GGUF file given by path, with the TinyAgent defaults unless told otherwise. */
export function customModel(path: string, settings: Partial<PlannerSettings> = {}): CustomModel {
  const name = path.split(/[\\/]/).pop() || path;
  return { kind: "custom", id: path, displayName: name, path, ...TINYAGENT_SETTINGS, ...settings };
}
