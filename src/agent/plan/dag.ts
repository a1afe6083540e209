import type { Plan, Step } from "./plan";
import { referencesIn } from "./references";

/** A step's dependencies: the earlier steps whose results its arguments use. */
export function dependenciesOf(step: Step): number[] {
  return referencesIn(step.args).filter((target) => target < step.index);
}

export interface PlanGraph {
  /** Tool name per step index. */
  nodes: Map<number, string>;
  /** Dependencies per step index, only to steps that exist. */
  edges: Map<number, number[]>;
}

/** The plan as a DAG of its calls (join excluded: it marks the end and runs nothing). */
export function planGraph(plan: Plan): PlanGraph {
  const nodes = new Map(plan.steps.map((step) => [step.index, step.tool]));
  const edges = new Map(
    plan.steps.map((step) => [step.index, dependenciesOf(step).filter((d) => nodes.has(d))]),
  );
  return { nodes, edges };
}

/**
 * The paper's success metric: two plans match when their DAGs are isomorphic with the same tool name on
 * matched nodes. Arguments are not compared. Plans are small, so a backtracking search over candidates
 * with the same tool and degrees is exact and fast.
 */
export function sameDag(a: Plan, b: Plan): boolean {
  const ga = planGraph(a);
  const gb = planGraph(b);
  if (ga.nodes.size !== gb.nodes.size) return false;
  const sa = signatures(ga);
  const sb = signatures(gb);
  if ([...sa.values()].sort().join("\n") !== [...sb.values()].sort().join("\n")) return false;

  const order = [...ga.nodes.keys()].sort((x, y) => x - y);
  const mapping = new Map<number, number>();
  const used = new Set<number>();
  const aEdges = edgeSet(ga);
  const bEdges = edgeSet(gb);

  const consistent = (from: number, to: number): boolean => {
    for (const [mappedA, mappedB] of mapping) {
      if (aEdges.has(`${from}>${mappedA}`) !== bEdges.has(`${to}>${mappedB}`)) return false;
      if (aEdges.has(`${mappedA}>${from}`) !== bEdges.has(`${mappedB}>${to}`)) return false;
    }
    return true;
  };

  const search = (position: number): boolean => {
    if (position === order.length) return true;
    const node = order[position]!;
    for (const candidate of gb.nodes.keys()) {
      if (used.has(candidate) || sa.get(node) !== sb.get(candidate) || !consistent(node, candidate)) continue;
      mapping.set(node, candidate);
      used.add(candidate);
      if (search(position + 1)) return true;
      mapping.delete(node);
      used.delete(candidate);
    }
    return false;
  };
  return search(0);
}

/** Tool name with in- and out-degree: nodes can only map onto nodes with the same signature. */
function signatures(graph: PlanGraph): Map<number, string> {
  const outDegree = new Map<number, number>();
  for (const deps of graph.edges.values())
    for (const d of deps) outDegree.set(d, (outDegree.get(d) ?? 0) + 1);
  return new Map(
    [...graph.nodes].map(([index, tool]) => [
      index,
      `${tool}|${graph.edges.get(index)?.length ?? 0}|${outDegree.get(index) ?? 0}`,
    ]),
  );
}

function edgeSet(graph: PlanGraph): Set<string> {
  const set = new Set<string>();
  for (const [node, deps] of graph.edges) for (const dep of deps) set.add(`${node}>${dep}`);
  return set;
}

/**
 * Length of the longest chain of dependent steps, weighting each step by `cost` (1 by default). The
 * executor's wall time is measured against this.
 */
export function criticalPath(plan: Plan, cost: (step: Step) => number = () => 1): number {
  const finish = new Map<number, number>();
  let longest = 0;
  for (const step of [...plan.steps].sort((x, y) => x.index - y.index)) {
    const start = Math.max(0, ...dependenciesOf(step).map((d) => finish.get(d) ?? 0));
    const end = start + cost(step);
    finish.set(step.index, end);
    longest = Math.max(longest, end);
  }
  return longest;
}
