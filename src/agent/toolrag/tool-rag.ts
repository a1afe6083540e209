import type { ToolRegistry } from "../../tools/registry";
import type { AnyTool, App } from "../../tools/tool";
import type { SelectOptions, ToolSelector } from "../agent";
import { exampleTools, type PlanExample } from "../prompt/examples";
import { toolsAskedAndRuledOut } from "../request/asked-tools";
import type { ToolClassifier } from "./classifier";
import { featurize } from "./featurize";
import { selectTools } from "./policy";

export interface ToolRagOptions {
  classifier: ToolClassifier;
  registry: ToolRegistry;
  /** Apps the person turned off in settings. */
  disabledApps?: ReadonlySet<App>;
  /** Requests with known good plans, searched for in-context examples. */
  examples?: readonly PlanExample[];
  /** Examples per prompt. */
  maxExamples?: number;
}

export interface Selection {
  tools: AnyTool[];
  /** Probability per tool name. */
  scores: Record<string, number>;
  examples: PlanExample[];
}

/**
 * Tool RAG: the classifier picks the tools a request needs, and the examples whose tools are all among
 * them are ranked by how many features they share with the request.
 */
export class ToolRag implements ToolSelector {
  /** The examples with their tools and features, made on first use (see indexed). */
  private index: IndexedExample[] | undefined;

  constructor(private readonly options: ToolRagOptions) {}

  /** Tools only: a planner whose prompt has no examples (TinyAgent-micro) never indexes them. */
  async select(request: string, options: SelectOptions = {}): Promise<readonly AnyTool[]> {
    return (await this.choose(request, options)).tools;
  }

  async selection(request: string, options: SelectOptions = {}): Promise<Selection> {
    const { tools, names, scores } = await this.choose(request, options);
    return { tools, scores, examples: this.examplesFor(request, names) };
  }

  private async choose(request: string, options: SelectOptions) {
    const { classifier, registry } = this.options;
    const probs = await classifier.score(request);
    const names = selectTools(classifier.labels, probs, {
      thresholds: classifier.sidecar.thresholds,
      gate: classifier.sidecar.gate,
      ...toolsAskedAndRuledOut(request),
      ...(options.minProbability !== undefined ? { floor: options.minProbability } : {}),
      ...(this.options.disabledApps ? { disabledApps: this.options.disabledApps } : {}),
      appOf: (name) => registry.get(name)?.app,
    });
    const tools = registry.tools.filter((tool) => names.includes(tool.name));
    const scores = Object.fromEntries(classifier.labels.map((label, i) => [label, probs[i]!]));
    return { tools, names, scores };
  }

  /** The most similar examples that use only selected tools, best first. */
  examplesFor(request: string, selected: readonly string[]): PlanExample[] {
    if (selected.length === 0) return [];
    const features = featurize(request, this.options.classifier.sidecar.featurizer);
    const allowed = new Set(selected);
    return this.indexed()
      .filter((entry) => entry.tools.length > 0 && entry.tools.every((tool) => allowed.has(tool)))
      .map((entry) => ({ entry, overlap: overlap(features, entry.features) }))
      .sort((a, b) => b.overlap - a.overlap)
      .slice(0, this.options.maxExamples ?? 3)
      .map(({ entry }) => entry.example);
  }

  /**
   * Featurizing the 1,700 examples takes ~150 ms in a new process: done when examples are first
   * asked for, not when the selector is made, so it stays off the start-up of a planner that shows none.
   */
  private indexed(): IndexedExample[] {
    const featurizer = this.options.classifier.sidecar.featurizer;
    this.index ??= (this.options.examples ?? []).map((example) => ({
      example,
      tools: exampleTools(example),
      features: new Set(featurize(example.question, featurizer)),
    }));
    return this.index;
  }
}

interface IndexedExample {
  example: PlanExample;
  tools: string[];
  features: Set<number>;
}

/** Jaccard similarity of two feature sets. */
function overlap(features: readonly number[], other: ReadonlySet<number>): number {
  let shared = 0;
  for (const feature of features) if (other.has(feature)) shared++;
  return shared / Math.max(1, features.length + other.size - shared);
}
