import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadRetrievalExamples, ToolClassifier } from "../../src/agent/toolrag/classifier";
import { selectTools } from "../../src/agent/toolrag/policy";
import { ruledOutTools } from "../../src/agent/request/asked-tools";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry, TOOLS } from "../../src/tools/registry";
import { expectExit, runCli } from "../cli/helpers";

const LABELS = TOOLS.map((tool) => tool.name);
const at = (values: Record<string, number>) => LABELS.map((label) => values[label] ?? 0);

describe("the selection policy", () => {
  const thresholds = Object.fromEntries(LABELS.map((label) => [label, 0.5]));

  it("selects tools over their threshold, with what they depend on, in registry order", () => {
    expect(selectTools(LABELS, at({ send_sms: 0.9 }), { thresholds })).toEqual([
      "get_phone_number",
      "send_sms",
    ]);
    expect(selectTools(LABELS, at({ summarize_pdf: 0.7, compose_new_email: 0.6 }), { thresholds })).toEqual([
      "get_email_address",
      "open_and_get_file_path",
      "summarize_pdf",
      "compose_new_email",
    ]);
    expect(selectTools(LABELS, at({ create_note: 0.49 }), { thresholds })).toEqual([]);
  });

  it("serves nothing when no tool reaches the gate, and uses the low thresholds when one does", () => {
    const low = Object.fromEntries(LABELS.map((label) => [label, 0.01]));
    expect(
      selectTools(LABELS, at({ create_note: 0.09, open_note: 0.05 }), { thresholds: low, gate: 0.1 }),
    ).toEqual([]);
    expect(
      selectTools(LABELS, at({ create_note: 0.1, open_note: 0.05 }), { thresholds: low, gate: 0.1 }),
    ).toEqual(["create_note", "open_note"]);
  });

  it("raises every threshold to a planner's floor, and still offers the best tool once the gate is passed", () => {
    const low = Object.fromEntries(LABELS.map((label) => [label, 0.01]));
    const probs = at({ create_note: 0.6, open_note: 0.2, send_sms: 0.35 });
    expect(selectTools(LABELS, probs, { thresholds: low, gate: 0.05 })).toEqual([
      "get_phone_number",
      "create_note",
      "open_note",
      "send_sms",
    ]);
    expect(selectTools(LABELS, probs, { thresholds: low, gate: 0.05, floor: 0.3 })).toEqual([
      "get_phone_number",
      "create_note",
      "send_sms",
    ]);
    expect(
      selectTools(LABELS, at({ open_note: 0.12, create_note: 0.08 }), {
        thresholds: low,
        gate: 0.05,
        floor: 0.3,
      }),
    ).toEqual(["open_note"]);
    expect(selectTools(LABELS, at({ open_note: 0.04 }), { thresholds: low, gate: 0.05, floor: 0.3 })).toEqual(
      [],
    );
  });

  it("offers what the request plainly asks for once the gate is passed, with what it depends on", () => {
    const low = Object.fromEntries(LABELS.map((label) => [label, 0.02]));
    const asked = ["open_and_get_file_path", "send_sms"];
    expect(
      selectTools(LABELS, at({ compose_new_email: 0.9 }), { thresholds: low, gate: 0.1, floor: 0.3, asked }),
    ).toEqual([
      "get_phone_number",
      "get_email_address",
      "open_and_get_file_path",
      "compose_new_email",
      "send_sms",
    ]);
    expect(
      selectTools(LABELS, at({ compose_new_email: 0.05 }), { thresholds: low, gate: 0.1, asked }),
    ).toEqual([]);
  });

  it("never offers what the request's words rule out, however likely the classifier finds it", () => {
    const ruledOut = ruledOutTools("set up a 1:1 with Agnieszka next monday 2pm on my calendar");
    expect(ruledOut).toContain("get_zoom_meeting_link");
    expect(
      selectTools(
        LABELS,
        at({ create_calendar_event: 0.9, get_zoom_meeting_link: 0.8, get_email_address: 0.7 }),
        {
          thresholds,
          ruledOut,
        },
      ),
    ).toEqual(["create_calendar_event", "get_email_address"]);
  });

  it("never offers tools of apps the person turned off", () => {
    const appOf = (name: string) => defaultRegistry.get(name)?.app;
    const selected = selectTools(LABELS, at({ send_sms: 0.9, create_note: 0.9 }), {
      thresholds,
      disabledApps: new Set(["sms"]),
      appOf,
    });
    expect(selected).toEqual(["get_phone_number", "create_note"]);
  });
});

describe("Tool RAG with the shipped classifier", () => {
  let classifier: ToolClassifier;
  let rag: ToolRag;

  beforeAll(async () => {
    classifier = await ToolClassifier.load();
    rag = new ToolRag({ classifier, registry: defaultRegistry, examples: await loadRetrievalExamples() });
  });

  afterAll(async () => {
    await classifier.dispose();
  });

  it("picks the tools of clear requests", async () => {
    const names = async (request: string) => (await rag.select(request)).map((tool) => tool.name);
    expect(await names("text Sid that I'm running late")).toEqual(
      expect.arrayContaining(["get_phone_number", "send_sms"]),
    );
    expect(await names("remind me to water the plants tomorrow at 8")).toContain("create_reminder");
    expect(await names("how do I get to the Ferry Building by bike")).toContain("maps_show_directions");
  });

  it("adds the file a request sends, which the classifier alone may miss", async () => {
    const names = async (request: string) => (await rag.select(request)).map((tool) => tool.name);
    expect(await names("email Coach Abernathy the photo release form")).toContain("open_and_get_file_path");
  });

  it("turns away requests no tool can serve", async () => {
    for (const request of ["what's the weather in Paris tomorrow", "play some jazz", "tell me a joke"]) {
      expect(await rag.select(request)).toEqual([]);
    }
  });

  it("retrieves examples that use only the selected tools, most similar first", async () => {
    const selection = await rag.selection("email Sid the Q3 deck");
    const selected = new Set(selection.tools.map((tool) => tool.name));
    expect(selection.examples.length).toBeGreaterThan(0);
    for (const example of selection.examples) {
      const used = [...example.plan.matchAll(/^\d+\. ([a-z_]+)\(/gm)]
        .map((m) => m[1]!)
        .filter((n) => n !== "join");
      expect(used.every((tool) => selected.has(tool))).toBe(true);
    }
  });
});

describe("tinyagent tools", () => {
  it("--jsonl answers each line with the selected tools, every tool's probability and the time", async () => {
    const input = '{"query":"text Sid I am late"}\n{"query":"what is 17 times 23"}\n';
    const result = await runCli(["tools", "--jsonl"], { input });
    expectExit(result, 0);
    const lines = result.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.query).toBe("text Sid I am late");
    expect(lines[0]!.tools).toEqual(expect.arrayContaining(["send_sms"]));
    expect(Object.keys(lines[0]!.scores as object)).toEqual(LABELS);
    expect(typeof lines[0]!.ms).toBe("number");
  });

  it("says so when no tool fits, and still shows every tool's probability", async () => {
    const result = await runCli(["tools", "play some jazz on spotify"]);
    expectExit(result, 0);
    const [first, ...rest] = result.stdout.trimEnd().split("\n");
    expect(first).toBe("I can't do that with the tools I have.");
    expect(rest.filter((line) => /^ {2}[a-z_]+ +0\.\d{3}$/.test(line))).toHaveLength(LABELS.length);
  });

  // Issue 17, item 8: the README promises every tool's probability; without --json only names were shown.
  it("shows every tool's probability without --json, the offered tools first, each list most likely first", async () => {
    const result = await runCli(["tools", "text Sid I am late"]);
    expectExit(result, 0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Offered to the planner:");
    const notOffered = lines.indexOf("Not offered:");
    expect(notOffered).toBeGreaterThan(1);
    const row = /^ {2}([a-z_]+) +(0\.\d{3}|1\.000)$/;
    const parse = (rows: string[]) =>
      rows.map((line) => {
        const match = row.exec(line);
        expect(match, line).not.toBeNull();
        return { tool: match![1]!, p: Number(match![2]) };
      });
    const offered = parse(lines.slice(1, notOffered));
    const others = parse(lines.slice(notOffered + 1));
    expect(offered.map((r) => r.tool)).toContain("send_sms");
    expect([...offered, ...others].map((r) => r.tool).sort()).toEqual([...LABELS].sort());
    for (const list of [offered, others]) {
      expect(list.map((r) => r.p)).toEqual([...list.map((r) => r.p)].sort((a, b) => b - a));
    }
    const json = await runCli(["tools", "text Sid I am late", "--json"]);
    const record = JSON.parse(json.stdout) as { tools: string[]; scores: Record<string, number> };
    expect(offered.map((r) => r.tool).sort()).toEqual([...record.tools].sort());
    for (const r of [...offered, ...others]) expect(r.p).toBeCloseTo(record.scores[r.tool]!, 2);
  });
});
