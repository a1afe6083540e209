import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { criticalPath, dependenciesOf, planGraph, sameDag } from "../../src/agent/plan/dag";
import { parsePlan } from "../../src/agent/plan/parse";
import type { Plan, Step } from "../../src/agent/plan/plan";
import { fixture, planOf, SEED, step } from "./helpers";

/** A step of `tool` depending on the given earlier steps (written as whole references in a list). */
const call = (index: number, tool: string, ...deps: number[]): Step =>
  step(index, tool, [deps.map((d) => `$${d}`), "some argument"]);

const parsed = (text: string): Plan => parsePlan(text).plan;

describe("dependenciesOf / planGraph", () => {
  it("takes dependencies from whole, braced and interpolated references, without repeats", () => {
    const s = step(5, "compose_new_email", [["$1", "${2}"], ["$1"], "re: ${3}", "bring $20", []]);
    expect(dependenciesOf(s)).toEqual([1, 2, 3]);
  });

  it("ignores references to the step itself or later steps", () => {
    expect(dependenciesOf(step(2, "f", ["$1", "$2", "$3"]))).toEqual([1]);
  });

  it("builds nodes and edges from a parsed plan, join excluded", () => {
    const graph = planGraph(parsed(fixture("json-literals.txt")));
    expect([...graph.nodes]).toEqual([
      [1, "open_and_get_file_path"],
      [2, "summarize_pdf"],
      [3, "get_email_address"],
      [4, "compose_new_email"],
      [5, "create_note"],
      [6, "create_reminder"],
    ]);
    expect([...graph.edges]).toEqual([
      [1, []],
      [2, [1]],
      [3, []],
      [4, [1, 2, 3]],
      [5, [2]],
      [6, []],
    ]);
  });

  it("drops edges to steps that do not exist", () => {
    const graph = planGraph({ steps: [call(1, "a"), call(3, "b", 1, 2)], ended: true });
    expect(graph.edges.get(3)).toEqual([1]);
  });
});

describe("sameDag", () => {
  const plan1 = planOf(
    call(1, "get_email_address"),
    call(2, "get_email_address"),
    call(3, "compose_new_email", 1, 2),
  );

  it("is true for a plan and itself, and for an empty pair", () => {
    expect(sameDag(plan1, plan1)).toBe(true);
    expect(sameDag(planOf(), planOf())).toBe(true);
  });

  it("ignores arguments, thoughts, the join and <END_OF_PLAN>", () => {
    const other: Plan = {
      steps: [
        step(1, "get_email_address", ["Someone else"], "thinking"),
        step(2, "get_email_address", [7, null]),
        step(3, "compose_new_email", [["$2", "$1"], [], "other", "text", []]),
      ],
      ended: false,
    };
    expect(sameDag(plan1, other)).toBe(true);
  });

  it("is true for renumbered and reordered equivalent plans", () => {
    // get_phone_number -> send_sms, and an independent get_email_address -> compose_new_email.
    const a = planOf(
      call(1, "get_phone_number"),
      call(2, "get_email_address"),
      call(3, "send_sms", 1),
      call(4, "compose_new_email", 2),
    );
    const b = planOf(
      call(1, "get_email_address"),
      call(2, "compose_new_email", 1),
      call(3, "get_phone_number"),
      call(4, "send_sms", 3),
    );
    expect(sameDag(a, b)).toBe(true);
    expect(sameDag(b, a)).toBe(true);
  });

  it("matches plans parsed from differently written texts", () => {
    const a = parsed(
      `1. get_email_address("Sid")\n2. get_zoom_meeting_link("x", "2024-06-03 15:00:00", 60, ["$1"])\n3. create_calendar_event("x", "2024-06-03 15:00:00", "2024-06-03 16:00:00", "", ["$1"], "\${2}", None)\n4. join()<END_OF_PLAN>`,
    );
    const b = parsed(
      `Thought: other wording\n1. get_email_address('Sid Smith')\n2. get_zoom_meeting_link('y', '2024-06-04 09:00:00', 30, '$1')\n3. create_calendar_event('y', '2024-06-04 09:00:00', '2024-06-04 09:30:00', 'Room 1', ['$1'], 'Link: \${2}', 'Work')\n4. join()\n<END_OF_PLAN>`,
    );
    expect(sameDag(a, b)).toBe(true);
  });

  it("is false for different tool names", () => {
    const other = planOf(
      call(1, "get_email_address"),
      call(2, "get_phone_number"),
      call(3, "compose_new_email", 1, 2),
    );
    expect(sameDag(plan1, other)).toBe(false);
  });

  it("is false for different edges", () => {
    const other = planOf(
      call(1, "get_email_address"),
      call(2, "get_email_address"),
      call(3, "compose_new_email", 1),
    );
    expect(sameDag(plan1, other)).toBe(false);
    const chain = planOf(call(1, "a"), call(2, "a", 1), call(3, "a", 2));
    const fork = planOf(call(1, "a"), call(2, "a", 1), call(3, "a", 1));
    expect(sameDag(chain, fork)).toBe(false);
  });

  it("is false for reversed edges between the same tools", () => {
    const aThenB = planOf(call(1, "a"), call(2, "b", 1));
    const bThenA = planOf(call(1, "b"), call(2, "a", 1));
    expect(sameDag(aThenB, bThenA)).toBe(false);
  });

  it("is false for an extra node, in either direction", () => {
    const extra = planOf(...plan1.steps, call(4, "create_note"));
    expect(sameDag(plan1, extra)).toBe(false);
    expect(sameDag(extra, plan1)).toBe(false);
    expect(sameDag(planOf(), planOf(call(1, "a")))).toBe(false);
  });

  it("is false when label multisets and degrees match but the structure differs", () => {
    // A1->C, A1->D, A2->E, A2->F  vs  A1->C, A1->E, A2->D, A2->F (both A's the same tool).
    const left = planOf(
      call(1, "A"),
      call(2, "A"),
      call(3, "C", 1),
      call(4, "D", 1),
      call(5, "E", 2),
      call(6, "F", 2),
    );
    const right = planOf(
      call(1, "A"),
      call(2, "A"),
      call(3, "C", 1),
      call(4, "E", 1),
      call(5, "D", 2),
      call(6, "F", 2),
    );
    expect(sameDag(left, right)).toBe(false);
    // ...while swapping which A feeds which pair keeps it the same DAG.
    const swapped = planOf(
      call(1, "A"),
      call(2, "A"),
      call(3, "E", 1),
      call(4, "C", 2),
      call(5, "F", 1),
      call(6, "D", 2),
    );
    expect(sameDag(left, swapped)).toBe(true);
  });

  it("is false when only the wiring between identical nodes differs (chains 3 + 3 vs chains 4 + 2)", () => {
    // Every node has tool "x", in-degree and out-degree equal across both plans, but the shapes differ.
    const twoChains = planOf(
      call(1, "x"),
      call(2, "x", 1),
      call(3, "x", 2),
      call(4, "x"),
      call(5, "x", 4),
      call(6, "x", 5),
    );
    const oneChainPlus = planOf(
      call(1, "x"),
      call(2, "x", 1),
      call(3, "x", 2),
      call(4, "x", 3),
      call(5, "x"),
      call(6, "x", 5),
    );
    expect(sameDag(twoChains, oneChainPlus)).toBe(false);
  });

  // Cross-check against a brute-force isomorphism test on small random DAGs with few distinct labels, where
  // degree signatures alone cannot tell plans apart.
  it("agrees with brute-force labelled-DAG isomorphism on small random plans (property)", () => {
    const dag = fc
      .integer({ min: 1, max: 6 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.constantFrom("A", "B"), { minLength: n, maxLength: n }),
          fc.array(fc.boolean(), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
        ),
      );
    // Independent pairs, and near misses: a copy with a few labels or edges flipped (possibly none).
    const nearMiss = dag.chain(([labels, bits]) =>
      fc
        .tuple(
          fc.array(fc.nat(labels.length - 1), { maxLength: 1 }),
          fc.array(fc.nat(Math.max(0, bits.length - 1)), { maxLength: 2 }),
        )
        .map(([flipLabels, flipBits]): [[string[], boolean[]], [string[], boolean[]]] => {
          const labels2 = labels.map((l, i) => (flipLabels.includes(i) ? (l === "A" ? "B" : "A") : l));
          const bits2 = bits.map((b, i) => (flipBits.includes(i) ? !b : b));
          return [
            [labels, bits],
            [labels2, bits2],
          ];
        }),
    );
    const pair = fc.oneof(fc.tuple(dag, dag), nearMiss);
    const toPlan = ([labels, bits]: [string[], boolean[]]): Plan => {
      let bit = 0;
      const steps = labels.map((label, i) => {
        const deps: number[] = [];
        for (let j = 0; j < i; j++) if (bits[bit++]) deps.push(j + 1);
        return call(i + 1, label, ...deps);
      });
      return planOf(...steps);
    };
    const outcomes = { same: 0, different: 0 };
    fc.assert(
      fc.property(pair, ([x, y]) => {
        const a = toPlan(x);
        const b = toPlan(y);
        const expected = bruteForceIsomorphic(a, b);
        outcomes[expected ? "same" : "different"]++;
        expect(sameDag(a, b)).toBe(expected);
        expect(sameDag(b, a)).toBe(expected);
      }),
      { seed: SEED, numRuns: 3000 },
    );
    // Both answers must actually have been exercised.
    expect(outcomes.same).toBeGreaterThan(100);
    expect(outcomes.different).toBeGreaterThan(100);
  });

  it("is true for any renumbering of a random plan, and false after renaming one node's tool (property)", () => {
    const arbitrary = fc
      .integer({ min: 1, max: 8 })
      .chain((n) =>
        fc.tuple(
          fc.array(fc.constantFrom("A", "B", "C"), { minLength: n, maxLength: n }),
          fc.array(fc.boolean(), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
          fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
          fc.nat(n - 1),
        ),
      );
    fc.assert(
      fc.property(arbitrary, ([labels, bits, order, victim]) => {
        const n = labels.length;
        const deps: number[][] = labels.map(() => []);
        let bit = 0;
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) if (bits[bit++]) deps[i]!.push(j);
        // Renumber: node i gets a new position such that dependencies still come first (topological order).
        const position = topologicalRenumbering(deps, order);
        const original = planOf(
          ...labels.map((label, i) => call(i + 1, label, ...deps[i]!.map((d) => d + 1))),
        );
        const renumbered = planOf(
          ...[...Array(n).keys()]
            .sort((x, y) => position[x]! - position[y]!)
            .map((i) => call(position[i]! + 1, labels[i]!, ...deps[i]!.map((d) => position[d]! + 1))),
        );
        expect(sameDag(original, renumbered)).toBe(true);
        const renamed = {
          ...renumbered,
          steps: renumbered.steps.map((s, k) => (k === victim ? { ...s, tool: "Z" } : s)),
        };
        expect(sameDag(original, renamed)).toBe(false);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it("stays fast on a wide plan of identical independent calls", () => {
    const wide = (n: number) =>
      planOf(...Array.from({ length: n }, (_, i) => call(i + 1, "get_email_address")));
    const started = performance.now();
    expect(sameDag(wide(40), wide(40))).toBe(true);
    expect(sameDag(wide(40), wide(39))).toBe(false);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe("criticalPath", () => {
  it("is 0 for an empty plan and 1 for independent steps", () => {
    expect(criticalPath(planOf())).toBe(0);
    expect(criticalPath(planOf(call(1, "a"), call(2, "b"), call(3, "c")))).toBe(1);
  });

  it("counts the longest chain with unit costs", () => {
    // 1 -> 2 -> 4, 3 -> 4, 5 alone: longest chain 1, 2, 4.
    const plan = planOf(call(1, "a"), call(2, "b", 1), call(3, "c"), call(4, "d", 2, 3), call(5, "e"));
    expect(criticalPath(plan)).toBe(3);
  });

  it("weights steps by a custom cost", () => {
    const plan = planOf(call(1, "fast"), call(2, "fast", 1), call(3, "slow"), call(4, "fast", 2, 3));
    const cost = (s: Step) => (s.tool === "slow" ? 10 : 1);
    expect(criticalPath(plan, cost)).toBe(11); // 3 (10) then 4 (1), beats 1 -> 2 -> 4 (3)
    expect(criticalPath(plan, () => 0)).toBe(0);
    expect(criticalPath(plan, (s) => s.index)).toBe(7); // max(1 + 2, 3) + 4
  });

  it("does not depend on the order steps are listed in", () => {
    const plan = planOf(call(1, "a"), call(2, "b", 1), call(3, "c", 2));
    const shuffled = { ...plan, steps: [plan.steps[2]!, plan.steps[0]!, plan.steps[1]!] };
    expect(criticalPath(shuffled)).toBe(3);
  });

  it("treats a dependency on a missing step as already done", () => {
    expect(criticalPath({ steps: [call(2, "a", 1), call(3, "b", 2)], ended: true })).toBe(2);
  });

  it("for the JSON fixture is open -> summarize -> compose (3)", () => {
    expect(criticalPath(parsed(fixture("json-literals.txt")))).toBe(3);
  });
});

/** Tries every bijection; fine for up to 6 nodes. */
function bruteForceIsomorphic(a: Plan, b: Plan): boolean {
  const ga = planGraph(a);
  const gb = planGraph(b);
  if (ga.nodes.size !== gb.nodes.size) return false;
  const na = [...ga.nodes.keys()];
  const nb = [...gb.nodes.keys()];
  const edgesA = new Set([...ga.edges].flatMap(([n, ds]) => ds.map((d) => `${n}>${d}`)));
  const edgesB = new Set([...gb.edges].flatMap(([n, ds]) => ds.map((d) => `${n}>${d}`)));
  for (const perm of permutations(nb)) {
    const map = new Map(na.map((n, i) => [n, perm[i]!]));
    if (na.some((n) => ga.nodes.get(n) !== gb.nodes.get(map.get(n)!))) continue;
    if (edgesA.size !== edgesB.size) return false;
    const ok = [...edgesA].every((e) => {
      const [from, to] = e.split(">").map(Number) as [number, number];
      return edgesB.has(`${map.get(from)}>${map.get(to)}`);
    });
    if (ok) return true;
  }
  return false;
}

function* permutations<T>(items: T[]): Generator<T[]> {
  if (items.length <= 1) {
    yield items;
    return;
  }
  for (let i = 0; i < items.length; i++) {
    const rest = [...items.slice(0, i), ...items.slice(i + 1)];
    for (const perm of permutations(rest)) yield [items[i]!, ...perm];
  }
}

/**
 * A new position for each node, following `preference` as far as dependencies allow: repeatedly takes the
 * first node in `preference` whose dependencies are all placed.
 */
function topologicalRenumbering(deps: number[][], preference: number[]): number[] {
  const position: number[] = new Array(deps.length);
  const placed = new Set<number>();
  for (let next = 0; next < deps.length; next++) {
    const node = preference.find((n) => !placed.has(n) && deps[n]!.every((d) => placed.has(d)))!;
    position[node] = next;
    placed.add(node);
  }
  return position;
}
