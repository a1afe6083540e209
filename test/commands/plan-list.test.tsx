import { act, create, type ReactTestInstance, type ReactTestRenderer } from "react-test-renderer";
import { describe, expect, it, vi } from "vitest";

vi.mock("@raycast/api", async () => (await import("./raycast-stub")).raycastStub);

const { PlanList } = await import("../../src/commands/components/plan-list");
const { SetupView } = await import("../../src/commands/components/setup-view");
const { HistoryList } = await import("../../src/commands/components/history-list");
const { describeTask } = await import("../../src/agent/session/first-run-setup");
const { EditArgumentsForm } = await import("../../src/commands/components/edit-arguments-form");
const { pop, showToast } = await import("./raycast-stub");
const { allToolsSelector } = await import("../../src/agent/agent");
const { AskRun } = await import("../../src/agent/session/ask-run");
const { RecordingBackend } = await import("../../src/tools/recording/recording-backend");
const { createFixtureWorld } = await import("../../src/tools/recording/fixture-world");
const { defaultRegistry } = await import("../../src/tools/registry");
const { AUTOMATION, DeniedBackend, RoundsPlanner, ScriptedPlanner, untilPhase, untilSnapshot } =
  await import("./helpers");
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

/** The Status line heading a step's detail pane. */
async function statusOf(row: ReactTestInstance): Promise<string> {
  const detail = await render(row.props.detail);
  const metadata = await render(detail.root.find(host("List.Item.Detail")).props.metadata);
  const status = metadata.root
    .findAll(host("Metadata.Label"))
    .find((label) => label.props.title === "Status");
  return status?.props.text.value;
}

/** The action with this title in an ActionPanel element tree. */
function findAction(
  node: unknown,
  title: string,
): React.ReactElement<{ onAction: () => unknown }> | undefined {
  if (node === null || node === undefined || typeof node === "boolean") return undefined;
  if (Array.isArray(node)) return node.map((child) => findAction(child, title)).find(Boolean);
  const element = node as React.ReactElement<{ title?: string; children?: unknown; onAction: () => unknown }>;
  if (element.props?.title === title && typeof element.props.onAction === "function") return element;
  return findAction(element.props?.children, title);
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
    // The detail pane is open: no accessories on the rows; each step's status heads its detail.
    expect(rows.map((row) => row.props.accessories)).toEqual([undefined, undefined, undefined]);
    const statuses: string[] = [];
    for (const row of rows) statuses.push(await statusOf(row));
    expect(statuses).toEqual(["Waiting for You", "Waiting for You", "Done"]);
    expect(rows.map((row) => row.props.icon)).toEqual([
      { value: "Envelope", tooltip: "Mail · Waiting for You" },
      { value: "Paragraph", tooltip: "Notes · Waiting for You" },
      { value: "Person", tooltip: "Contacts · Done" },
    ]);
    expect(view.root.find(host("List")).props.navigationTitle).toBeUndefined();
    expect(sections[1]!.props.subtitle).toBe("1");
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
    // Issue 17, item 1: the looked-up address says whose it is, as Contacts names the person.
    expect(labels).toContain("recipients=sid.mehta@example.com (Sid Mehta's work email, from Contacts)");
    expect(labels).toContain("subject=Q3 review");
  });

  it("says why a step that found an app asks before opening it", async () => {
    // Issue 17, item 2: the found app waited for confirmation with no word on why.
    const world = createFixtureWorld();
    world.files.push({ path: `${world.home}/Applications/Budget Helper.app` });
    const run = new AskRun({
      request: "open budget helper",
      planner: new ScriptedPlanner('1. open_and_get_file_path("Budget Helper")\n2. join()<END_OF_PLAN>'),
      selector: allToolsSelector(defaultRegistry),
      registry: defaultRegistry,
      backend: new RecordingBackend({ world }),
    });
    const snapshot = await untilPhase(run, "confirming");
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    const detail = await render(items(view.root)[0]!.props.detail);
    const markdown: string = detail.root.find(host("List.Item.Detail")).props.markdown;
    // Markdown-escaped: a file name cannot turn into a link or formatting.
    expect(markdown).toContain("Budget Helper\\.app is an app: opening it starts it\\.");
    expect(markdown).toContain("Waiting for you");
    run.cancel();
    await run.done;
  });

  it("offers Open System Settings for a step macOS refused, and Open Result for one that worked", async () => {
    const run = startRun();
    await untilPhase(run, "confirming");
    run.confirmAll();
    const snapshot = await run.done;
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    const byTitle = new Map(items(view.root).map((row) => [row.props.title as string, row]));
    const note = byTitle.get("Create the note “Q3 review”")!;
    // A failed step shows it in its icon, never its app's (issue 16: Reminders' looked done).
    expect(note.props.icon).toEqual({
      value: { source: "XMarkCircle", tintColor: "Red" },
      tooltip: "Notes · Failed",
    });
    expect(await statusOf(note)).toBe("Failed");
    expect(view.root.find(host("List")).props.navigationTitle).toBeUndefined();
    expect(view.root.findAll(host("List.Section")).at(-1)!.props.subtitle).toBe("3 · Finished");
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
    // Said by the list's empty view, not by a row that looks like something to run.
    expect(items(view.root)).toEqual([]);
    const nothing = view.root.find(host("List.EmptyView"));
    expect(nothing.props.title).toBe("I can't do that with the tools I have.");
    expect(nothing.props.description).toContain("Enabled Apps");
    expect(collectTitles(nothing.props.actions)).toEqual(["Open Extension Preferences"]);
  });

  it("says why planning failed in the empty view, with Try Again", async () => {
    const props = handlers();
    const failed: RunSnapshot = {
      request: "text Sid",
      phase: "failed",
      steps: [],
      planText: "",
      problems: [],
      confirmation: [],
      message: "The model could not write a plan: out of memory. Choose a smaller model.",
    };
    const view = await render(<PlanList {...props} snapshot={failed} searchText={failed.request} />);
    expect(items(view.root)).toEqual([]);
    const empty = view.root.find(host("List.EmptyView"));
    expect(empty.props.title).toBe("TinyAgent could not plan this");
    expect(empty.props.description).toBe(failed.message);
    expect(collectTitles(empty.props.actions)).toEqual([
      "Try Again",
      "Open Extension Preferences",
      "Copy Error",
    ]);
    await act(async () => void findAction(empty.props.actions, "Try Again")!.props.onAction());
    expect(props.onAsk).toHaveBeenCalledWith("text Sid");
    expect(view.root.find(host("List")).props.navigationTitle).toBeUndefined();
  });

  it("hides the request row's tag while the detail pane is open", async () => {
    const snapshot = await confirmingSnapshot();
    const fastPlanner = { downloadTitle: "Download TinyAgent-1.1B for Better Plans", onDownload: vi.fn() };
    const view = await render(
      <PlanList {...handlers()} snapshot={snapshot} searchText="text Ana" fastPlanner={fastPlanner} />,
    );
    expect(view.root.find(host("List")).props.isShowingDetail).toBe(true);
    expect(items(view.root)[0]!.props.title).toBe("Ask “text Ana”");
    expect(items(view.root)[0]!.props.accessories).toEqual([]);
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

/** Runs a request to its end with a scripted plan, confirming every step that asks: the finished snapshot. */
async function finishedRun(request: string, plan: string): Promise<RunSnapshot> {
  const world = createFixtureWorld();
  world.files.push({
    path: "/Users/alex/Documents/Contract.pdf",
    text: "Service contract with Acme. The term is two years. Either side may end it with 60 days notice.",
  });
  const run = new AskRun({
    request,
    planner: new ScriptedPlanner(plan),
    selector: allToolsSelector(defaultRegistry),
    registry: defaultRegistry,
    backend: new RecordingBackend({ world, timeZone: "Europe/Paris" }),
  });
  const settled = await untilSnapshot(run, (s) => ["confirming", "finished"].includes(s.phase), "an end");
  if (settled.phase === "confirming") run.confirmAll();
  return run.done;
}

describe("the answer", () => {
  it.each([
    [
      "what's Lutfi's email",
      `1. get_email_address("Lutfi")\n2. join()<END_OF_PLAN>`,
      "Lutfi’s email address is lutfi.demir@example.com.",
    ],
    [
      "what's on the contract pdf",
      `1. open_and_get_file_path("contract")\n2. summarize_pdf("$1")\n3. join()<END_OF_PLAN>`,
      "Summary of “contract”: Service contract with Acme. The term is two years. " +
        "Done: opened /Users/alex/Documents/Contract.pdf.",
    ],
    [
      "text Sid I'm late",
      `1. get_phone_number("Sid")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`,
      "Done: texted Sid.",
    ],
  ])("“%s” ends with its answer above the steps, with Copy Answer", async (request, plan, answer) => {
    const snapshot = await finishedRun(request, plan);
    expect(snapshot.answer).toBe(answer);
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={request} />);
    const sections = view.root.findAll(host("List.Section"));
    expect(sections.map((section) => section.props.title)).toEqual(["Answer", "Plan"]);
    const [first, ...steps] = items(view.root);
    expect(first!.props.title).toBe(answer);
    expect(steps.length).toBe(snapshot.steps.length);
    expect(actionTitles(first!)).toEqual(["Copy Answer", "Copy Plan"]);
    const copy = collectElements(first!.props.actions).find((action) => action.props.title === "Copy Answer");
    expect(copy?.props.content).toBe(answer);
    // The whole answer is in the detail pane, escaped so it reads as written.
    const detail = await render(first!.props.detail);
    const markdown = detail.root.find(host("List.Item.Detail")).props.markdown as string;
    expect(markdown.replace(/\\(.)/gu, "$1")).toBe(answer);
  });

  it("shows no answer while the run is still going", async () => {
    const snapshot = await confirmingSnapshot();
    expect(snapshot.answer).toBeUndefined();
    const view = await render(<PlanList {...handlers()} snapshot={snapshot} searchText={snapshot.request} />);
    const titles = view.root.findAll(host("List.Section")).map((section) => section.props.title);
    expect(titles).not.toContain("Answer");
  });

  it("says what was not done, and why, when a step failed", async () => {
    const run = startRun();
    await untilPhase(run, "confirming");
    run.confirmAll();
    const snapshot = await run.done;
    expect(snapshot.answer).toBe(
      "Done: drafted an email to Sid (not sent). Not done: create the note “Q3 review” " +
        "(failed: Raycast is not allowed to control notes. Allow it in Privacy & Security › Automation).",
    );
  });
});

describe("trying again", () => {
  const JON = `1. get_phone_number("Jon")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`;
  const SID = `1. get_phone_number("Sid")\n2. send_sms(["$1"], "I'm late")\n3. join()<END_OF_PLAN>`;

  function retryRun(planner: InstanceType<typeof RoundsPlanner>) {
    const backend = new RecordingBackend({ timeZone: "Europe/Paris" });
    const run = new AskRun({
      request: "text Jon I'm late",
      planner,
      selector: allToolsSelector(defaultRegistry),
      registry: defaultRegistry,
      backend,
    });
    return { run, backend };
  }

  it("shows “Trying again: …” above the second plan, which still asks before it texts", async () => {
    const { run, backend } = retryRun(new RoundsPlanner([JON, SID]));
    const confirming = await untilPhase(run, "confirming");
    expect(confirming.retry).toBe(
      'Trying again: Look up Jon’s phone number failed: No contact named "Jon" in Contacts. Check the spelling, or give their phone number.',
    );
    expect(confirming.steps.map((s) => [s.summary, s.status])).toEqual([
      ["Look up Sid’s phone number", "done"],
      ["Text Sid: I'm late", "waiting"],
    ]);
    expect(confirming.steps[1]!.args?.["recipients"]).toEqual(["+1 (415) 555-0142"]);
    expect(confirming.steps[0]!.reused).toBeUndefined();
    const view = await render(
      <PlanList {...handlers()} snapshot={confirming} searchText={confirming.request} />,
    );
    const titles = view.root.findAll(host("List.Section")).map((section) => section.props.title);
    expect(titles).toEqual(["Second Plan", "Needs Your Confirmation", "Plan"]);
    const retryRow = items(view.root)[0]!;
    expect(retryRow.props.title).toBe(confirming.retry);
    expect(actionTitles(retryRow)).toEqual(["Stop Trying Again", "Copy Reason"]);
    expect(backend.calls.map((call) => call.tool)).toEqual(["get_phone_number", "get_phone_number"]);
    run.confirmAll();
    const done = await run.done;
    expect(done.phase).toBe("finished");
    expect(done.answer).toBe("Done: texted Sid.");
    expect(backend.calls.map((call) => call.tool)).toEqual([
      "get_phone_number",
      "get_phone_number",
      "send_sms",
    ]);
    const finished = await render(<PlanList {...handlers()} snapshot={done} searchText={done.request} />);
    const sections = finished.root.findAll(host("List.Section")).map((section) => section.props.title);
    expect(sections).toEqual(["Answer", "Second Plan", "Plan"]);
    expect(actionTitles(items(finished.root)[1]!)).toEqual(["Copy Reason"]);
  });

  it("shows a step the first plan already ran as done there, not run again", async () => {
    const first = `1. get_phone_number("Sid")\n2. get_phone_number("Jon")\n3. send_sms(["$1", "$2"], "late")\n4. join()<END_OF_PLAN>`;
    const second = `1. get_phone_number("Sid")\n2. get_email_address("Lutfi")\n3. send_sms(["$1", "$2"], "late")\n4. join()<END_OF_PLAN>`;
    const { run, backend } = retryRun(new RoundsPlanner([first, second]));
    const confirming = await untilPhase(run, "confirming");
    expect(confirming.steps.map((s) => [s.index, s.status, s.reused])).toEqual([
      [1, "done", true],
      [2, "done", undefined],
      [3, "waiting", undefined],
    ]);
    expect(backend.calls.filter((call) => call.args["name"] === "Sid")).toHaveLength(1);
    const view = await render(
      <PlanList {...handlers()} snapshot={confirming} searchText={confirming.request} />,
    );
    const sid = items(view.root).find((row) => row.props.title === "Look up Sid’s phone number")!;
    const detail = await render(sid.props.detail);
    expect(detail.root.find(host("List.Item.Detail")).props.markdown).toContain(
      "Done in the first plan; not run again.",
    );
    run.cancel();
    await run.done;
  });

  it("Stop Trying Again stops the second plan: nothing of it runs", async () => {
    const planner = new RoundsPlanner([JON, SID]);
    const { run, backend } = retryRun(planner);
    const retrying = await untilSnapshot(run, (s) => s.retry !== undefined, "the retry");
    const props = handlers();
    props.onCancel = () => run.cancel();
    const view = await render(<PlanList {...props} snapshot={retrying} searchText={retrying.request} />);
    await act(
      async () => void findAction(items(view.root)[0]!.props.actions, "Stop Trying Again")!.props.onAction(),
    );
    const done = await run.done;
    expect(done.phase).toBe("cancelled");
    expect(backend.calls.filter((call) => call.tool === "send_sms")).toEqual([]);
    expect(done.answer).toMatch(/^Cancelled\./u);
  });
});

/** The elements of an ActionPanel tree, without rendering it. */
function collectElements(node: unknown): React.ReactElement<{ title?: string; content?: string }>[] {
  if (node === null || node === undefined || typeof node === "boolean") return [];
  if (Array.isArray(node)) return node.flatMap(collectElements);
  const element = node as React.ReactElement<{ title?: string; content?: string; children?: unknown }>;
  return [element, ...collectElements(element.props?.children)];
}

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
    // Every text field says what it takes.
    expect(
      fields
        .filter((field) => (field.type as string) !== "Form.Checkbox")
        .map((field) => field.props.placeholder),
    ).toEqual([
      "What to be reminded of",
      "YYYY-MM-DD HH:MM:SS, or YYYY-MM-DD for all day; empty for no date",
      "Extra notes (optional)",
      "Name of the Reminders list (empty for the default list)",
      "Priority: 0 none, 1 high, 5 medium, 9 low",
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
              step: "downloading",
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
    expect(rows.map((row) => row.props.subtitle)).toEqual([
      "",
      "Downloading · 334 MB of 668 MB · 50% · about 2 min left",
    ]);
    expect(rows.map((row) => row.props.accessories[0].tag.value)).toEqual(["Ready", "Downloading"]);
    expect(actionTitles(rows[1]!)).toEqual(["Pause Download"]);
    // Its only rows are the set-up: typing filters nothing away. The title is the command's own.
    const list = view.root.find(host("List"));
    expect(list.props.filtering).toBe(false);
    expect(list.props.navigationTitle).toBeUndefined();
  });

  it("has one clear line per step: downloading, checking what was kept, unpacking", () => {
    const task = { id: "engines" as const, title: "Engines", status: "running" as const, bytesDone: 0 };
    expect(
      describeTask({
        ...task,
        step: "downloading",
        bytesDone: 12_000_000,
        bytesTotal: 156_000_000,
        percent: 7.7,
      }),
    ).toBe("Downloading · 12 MB of 156 MB · 7%");
    expect(describeTask({ ...task, step: "checking", bytesDone: 334_000_000, bytesTotal: 668_000_000 })).toBe(
      "Checking the part downloaded before · 334 MB of 668 MB",
    );
    // Unpacking counts packages, not the bytes already downloaded, and names none of them.
    expect(
      describeTask({
        ...task,
        step: "unpacking",
        bytesDone: 156_000_000,
        bytesTotal: 156_000_000,
        packagesDone: 40,
        packagesTotal: 138,
      }),
    ).toBe("Unpacking · 40 of 138 packages");
    expect(describeTask({ ...task, status: "failed", error: "The connection dropped." })).toBe(
      "The connection dropped.",
    );
    expect(describeTask({ ...task, status: "pending" })).toBe("");
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
    // The detail pane is open: the outcome and the date are in it, not in accessories.
    expect(row.props.accessories).toBeUndefined();
    expect(row.props.icon.value).toBe("Person");
    const detail = await render(row.props.detail);
    const metadata = await render(detail.root.find(host("List.Item.Detail")).props.metadata);
    const labels = metadata.root.findAll(host("Metadata.Label"));
    expect(labels.map((label) => label.props.title)).toEqual(["Outcome", "Asked"]);
    expect(labels[0]!.props.text).toEqual({ value: "Done", color: "Green" });
    expect(actionTitles(row)).toEqual([
      "Run Again",
      "Copy Request",
      "Copy Plan",
      "Remove from History",
      "Clear History",
    ]);
  });
});
