import { act, create, type ReactTestInstance, type ReactTestRenderer } from "react-test-renderer";
import { describe, expect, it, vi } from "vitest";

vi.mock("@raycast/api", async () => (await import("./raycast-stub")).raycastStub);

const { PlanList } = await import("../../src/commands/components/plan-list");
const { SetupView } = await import("../../src/commands/components/setup-view");
const { HistoryList } = await import("../../src/commands/components/history-list");
const { EditArgumentsForm } = await import("../../src/commands/components/edit-arguments-form");
const { pop, showToast } = await import("./raycast-stub");
const { allToolsSelector } = await import("../../src/agent/agent");
const { AskRun } = await import("../../src/agent/session/ask-run");
const { RecordingBackend } = await import("../../src/tools/recording/recording-backend");
const { defaultRegistry } = await import("../../src/tools/registry");
const { AUTOMATION, DeniedBackend, ScriptedPlanner, untilPhase } = await import("./helpers");
import type { RunSnapshot } from "../../src/agent/session/ask-run";
import type { PlanListProps } from "../../src/commands/components/plan-list";

// React 19 warns unless it knows the renderer runs inside act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const PLAN = `1. get_email_address("Sid")
2. compose_new_email(["$1"], [], "Q3 review", "The deck is ready", [])
3. create_note("Q3 review", "Agenda", "")
4. join()<END_OF_PLAN>`;

async function confirmingSnapshot(): Promise<RunSnapshot> {
  return untilPhase(startRun(), "confirming");
}

/** A run whose note step macOS refuses (Automation), planned by a scripted model. */
function startRun(): InstanceType<typeof AskRun> {
  return new AskRun({
    request: "email Sid about the Q3 review and make a note",
    planner: new ScriptedPlanner(PLAN),
    selector: allToolsSelector(defaultRegistry),
    registry: defaultRegistry,
    backend: new DeniedBackend(new RecordingBackend(), "create_note", AUTOMATION),
  });
}

function handlers(): Omit<PlanListProps, "snapshot" | "searchText"> {
  return {
    onSearchTextChange: vi.fn(),
    isLoading: false,
    onAsk: vi.fn(),
    onConfirmAll: vi.fn(),
    onSkip: vi.fn(),
    onEdit: vi.fn(),
    onCancel: vi.fn(),
    onChoose: vi.fn(),
  };
}

async function render(element: React.ReactElement): Promise<ReactTestRenderer> {
  let renderer!: ReactTestRenderer;
  await act(async () => {
    renderer = create(element);
  });
  return renderer;
}

/** Finds stand-in elements by the Raycast component they stand for ("List.Item"). */
function host(name: string) {
  return (node: ReactTestInstance) => (node.type as unknown) === name;
}

function items(root: ReactTestInstance): ReactTestInstance[] {
  return root.findAll(host("List.Item"));
}

function actionTitles(item: ReactTestInstance): string[] {
  const panel = item.props.actions as React.ReactElement;
  return collectTitles(panel);
}

/** Titles of the actions in an ActionPanel element tree, in order, without rendering it. */
function collectTitles(node: unknown): string[] {
  if (node === null || node === undefined || typeof node === "boolean") return [];
  if (Array.isArray(node)) return node.flatMap(collectTitles);
  const element = node as React.ReactElement<{ title?: string; children?: unknown }>;
  if (typeof element.type === "function" && !("displayName" in element.type)) {
    // A component of ours (StepActions, CancelAction): call it to see what it renders.
    return collectTitles((element.type as (props: unknown) => unknown)(element.props));
  }
  const own =
    typeof element.props?.title === "string" &&
    String((element.type as { displayName?: string }).displayName ?? "").startsWith("Action") &&
    !String((element.type as { displayName?: string }).displayName).startsWith("ActionPanel")
      ? [element.props.title]
      : [];
  return [...own, ...collectTitles(element.props?.children)];
}

describe("the plan list", () => {
  it("labels the fast offline planner and offers the download of a better one", async () => {
    const onDownload = vi.fn();
    const fastPlanner = { downloadTitle: "Download TinyAgent-1.1B for Better Plans", onDownload };
    const view = await render(
      <PlanList {...handlers()} snapshot={undefined} searchText="text Sid" fastPlanner={fastPlanner} />,
    );
    const ask = items(view.root)[0]!;
    expect(ask.props.accessories).toEqual([{ tag: "Fast offline planner", tooltip: "TinyAgent-micro" }]);
    expect(actionTitles(ask)).toEqual(["Ask TinyAgent", "Download TinyAgent-1.1B for Better Plans"]);
    const empty = await render(
      <PlanList {...handlers()} snapshot={undefined} searchText="" fastPlanner={fastPlanner} />,
    );
    const emptyView = empty.root.find(host("List.EmptyView"));
    expect(emptyView.props.description).toContain("Fast offline planner (TinyAgent-micro) in use.");
    expect(collectTitles(emptyView.props.actions)).toEqual(["Download TinyAgent-1.1B for Better Plans"]);
    // Without the fast planner: no label, no download.
    const usual = await render(<PlanList {...handlers()} snapshot={undefined} searchText="text Sid" />);
    expect(items(usual.root)[0]!.props.accessories).toEqual([]);
    expect(actionTitles(items(usual.root)[0]!)).toEqual(["Ask TinyAgent"]);
  });

  it("lists waiting steps first with their status and the confirmation actions", async () => {
    const snapshot = await confirmingSnapshot();
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    const sections = view.root.findAll(host("List.Section"));
    expect(sections.map((section) => section.props.title)).toEqual(["Needs Your Confirmation", "Plan"]);
    const rows = items(view.root);
    expect(rows.map((row) => row.props.title)).toEqual([
      "Email Sid: Q3 review",
      "Create the note “Q3 review”",
      "Look up Sid’s email address",
    ]);
    expect(rows.map((row) => row.props.accessories.at(-1).tag.value)).toEqual([
      "Waiting for You",
      "Waiting for You",
      "Done",
    ]);
    expect(actionTitles(rows[0]!)).toEqual([
      "Edit Arguments",
      "Confirm and Run 2 Steps",
      "Skip Step",
      "Copy Plan",
      "Cancel",
    ]);
    expect(actionTitles(rows[2]!)).toEqual(["Copy Result", "Copy Plan", "Cancel"]);
  });

  it("shows the resolved arguments of a waiting step in its detail", async () => {
    const snapshot = await confirmingSnapshot();
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    // The detail is a prop of the item, rendered by Raycast on selection: render it on its own.
    const detail = await render(items(view.root)[0]!.props.detail);
    const pane = detail.root.find(host("List.Item.Detail"));
    expect(pane.props.markdown).toContain("Waiting for you");
    const metadata = await render(pane.props.metadata);
    const labels = metadata.root
      .findAll(host("Metadata.Label"))
      .map((node) => `${node.props.title}=${node.props.text}`);
    expect(labels).toContain("recipients=sid.mehta@example.com");
    expect(labels).toContain("subject=Q3 review");
  });

  it("offers Open System Settings for a step macOS refused, and Open Result for one that worked", async () => {
    const run = startRun();
    await untilPhase(run, "confirming");
    run.confirmAll();
    const snapshot = await run.done;
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    const byTitle = new Map(items(view.root).map((row) => [row.props.title as string, row]));
    const note = byTitle.get("Create the note “Q3 review”")!;
    expect(note.props.accessories.at(-1).tag.value).toBe("Failed");
    expect(actionTitles(note)).toEqual(["Open System Settings", "Copy Error", "Copy Plan"]);
    expect(actionTitles(byTitle.get("Email Sid: Q3 review")!)).toEqual([
      "Open Mail",
      "Copy Result",
      "Copy Plan",
    ]);
  });

  it("offers to ask when text is typed, and says so when no tool fits", async () => {
    const props = handlers();
    const empty = await render(<PlanList {...props} snapshot={undefined} searchText="text Sid I'm late" />);
    const ask = items(empty.root)[0]!;
    expect(ask.props.title).toBe("Ask “text Sid I'm late”");
    expect(actionTitles(ask)).toEqual(["Ask TinyAgent"]);
    const noTools: RunSnapshot = {
      request: "what is the meaning of life",
      phase: "no-tools",
      steps: [],
      planText: "",
      problems: [],
      confirmation: [],
      message: "I can't do that with the tools I have.",
    };
    const view = await render(<PlanList {...props} snapshot={noTools} searchText={noTools.request} />);
    expect(items(view.root).map((row) => row.props.title)).toEqual([
      "I can't do that with the tools I have.",
    ]);
  });

  it("turns an ambiguous lookup into a list of the candidates", async () => {
    const choosing: RunSnapshot = {
      request: "text Alex",
      phase: "choosing",
      steps: [],
      planText: "",
      problems: [],
      confirmation: [],
      choice: {
        step: 1,
        question: "Which Alex?",
        options: [
          { label: "Alex Chen", value: "a" },
          { label: "Alex Rivera", value: "b" },
        ],
      },
    };
    const props = handlers();
    const view = await render(<PlanList {...props} snapshot={choosing} searchText="text Alex" />);
    const section = view.root.find(host("List.Section"));
    expect(section.props.title).toBe("Which Alex?");
    const rows = items(view.root);
    expect(rows.map((row) => row.props.title)).toEqual(["Alex Chen", "Alex Rivera"]);
    expect(actionTitles(rows[1]!)).toEqual(["Choose", "None of These", "Cancel"]);
  });
});

describe("the edit form", () => {
  it("has one field per argument and keeps the form open with the reason when the schema rejects it", async () => {
    const tool = defaultRegistry.get("create_reminder")!;
    const onSubmit = vi.fn((values: Record<string, unknown>) =>
      values.priority === "x"
        ? {
            ok: false as const,
            message: "Priority: Enter a whole number",
            fieldErrors: { priority: "Enter a whole number" },
          }
        : { ok: true as const, args: {} },
    );
    const args = {
      name: "Call mum",
      due_date: "2024-06-07 15:00:00",
      notes: "",
      list_name: "",
      priority: 0,
      all_day: false,
    };
    const view = await render(
      <EditArgumentsForm tool={tool} args={args} summary="Remind me: Call mum" onSubmit={onSubmit} />,
    );
    const fields = view.root.findAll(
      (node) => typeof node.type === "string" && node.type.startsWith("Form.") && node.props.id,
    );
    expect(fields.map((field) => `${field.type}:${field.props.id}`)).toEqual([
      "Form.TextField:name",
      "Form.TextField:due_date",
      "Form.TextArea:notes",
      "Form.TextField:list_name",
      "Form.TextField:priority",
      "Form.Checkbox:all_day",
    ]);
    const form = view.root.find(host("Form"));
    const actions = await render(form.props.actions);
    const submit = actions.root.find(host("Action.SubmitForm"));
    await act(async () => submit.props.onSubmit({ ...args, priority: "x" }));
    expect(pop).not.toHaveBeenCalled();
    expect(showToast).toHaveBeenCalledWith(expect.objectContaining({ title: "Arguments not changed" }));
    expect(view.root.find((node) => node.props.id === "priority").props.error).toBe("Enter a whole number");
    await act(async () => submit.props.onSubmit({ ...args, priority: "1" }));
    expect(pop).toHaveBeenCalledTimes(1);
  });
});

describe("the set-up view", () => {
  it("shows bytes, percent and time left for each download", async () => {
    const view = await render(
      <SetupView
        snapshot={{
          phase: "running",
          tasks: [
            { id: "engines", title: "Engines", status: "done", bytesDone: 60_000_000 },
            {
              id: "model",
              title: "TinyAgent-1.1B planner model",
              status: "running",
              detail: "Downloading",
              bytesDone: 334_000_000,
              bytesTotal: 668_000_000,
              percent: 50,
              etaSeconds: 90,
            },
          ],
        }}
        onStart={vi.fn()}
        onCancel={vi.fn()}
      />,
    );
    const rows = items(view.root);
    expect(rows[1]!.props.subtitle).toBe("Downloading · 334 MB of 668 MB · 50% · about 2 min left");
    expect(rows.map((row) => row.props.accessories[0].tag.value)).toEqual(["Ready", "Downloading"]);
    expect(actionTitles(rows[1]!)).toEqual(["Pause Download"]);
  });
});

describe("the history list", () => {
  it("shows each request with its outcome and offers Run Again and Copy", async () => {
    const view = await render(
      <HistoryList
        entries={[
          {
            id: "1",
            request: "text Sid I'm late",
            at: "2024-06-03T09:00:00.000Z",
            outcome: "done",
            planText: '1. get_phone_number("Sid")',
            steps: [
              { index: 1, tool: "get_phone_number", summary: "Look up Sid’s phone number", status: "done" },
            ],
          },
        ]}
        isLoading={false}
        keeping={true}
        onOpenPreferences={vi.fn()}
        onRunAgain={vi.fn()}
        onRemove={vi.fn()}
        onClear={vi.fn()}
      />,
    );
    const row = items(view.root)[0]!;
    expect(row.props.title).toBe("text Sid I'm late");
    expect(row.props.accessories[0].tag.value).toBe("Done");
    expect(actionTitles(row)).toEqual([
      "Run Again",
      "Copy Request",
      "Copy Plan",
      "Remove from History",
      "Clear History",
    ]);
  });
});
