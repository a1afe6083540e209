/**
 * Rendering a command or view with react-test-renderer over the @raycast/api stand-in (raycast-stub.tsx),
 * and waiting for what it shows as its loads finish.
 */
import { act, create, type ReactTestInstance, type ReactTestRenderer } from "react-test-renderer";

// React 19 warns unless it knows the renderer runs inside act().
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export async function render(element: React.ReactElement): Promise<ReactTestRenderer> {
  let renderer!: ReactTestRenderer;
  await act(async () => {
    renderer = create(element);
  });
  return renderer;
}

/** Finds stand-in elements by the Raycast component they stand for ("List.Item"). */
export function host(name: string) {
  return (node: ReactTestInstance) => (node.type as unknown) === name;
}

/** The view's root List, EmptyView or items, as rendered now. */
export function list(view: ReactTestRenderer): ReactTestInstance {
  return view.root.find(host("List"));
}

export function emptyView(view: ReactTestRenderer): ReactTestInstance | undefined {
  return view.root.findAll(host("List.EmptyView"))[0];
}

/**
 * Lets effects and loads run until `predicate` holds for the view; fails (never hangs) after `timeoutMs`,
 * saying what `describe` makes of the view then.
 */
export async function until(
  view: ReactTestRenderer,
  predicate: (view: ReactTestRenderer) => boolean,
  describe: (view: ReactTestRenderer) => string,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (predicate(view)) return;
    if (Date.now() > deadline) throw new Error(`timed out; the view shows ${describe(view)}`);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
  }
}

/** What the list shows, in a line: its loading state, its empty view's title, its items' titles. */
export function describeList(view: ReactTestRenderer): string {
  const root = view.root.findAll(host("List"))[0];
  if (!root) return "no list";
  const empty = emptyView(view);
  const items = view.root.findAll(host("List.Item")).map((item) => String(item.props.title));
  return JSON.stringify({ isLoading: root.props.isLoading, empty: empty?.props.title, items });
}

/** Runs the action with this title from an element's `actions` panel. */
export async function runAction(element: ReactTestInstance, title: string): Promise<void> {
  const action = findAction(element.props.actions, title);
  if (!action) throw new Error(`no action "${title}"`);
  await act(async () => {
    await action.props.onAction();
  });
}

/** The titles of the actions in an element's `actions` panel, in order. */
export function actionTitles(element: ReactTestInstance): string[] {
  return titlesIn(element.props.actions);
}

function titlesIn(node: unknown): string[] {
  if (node === null || node === undefined || typeof node === "boolean") return [];
  if (Array.isArray(node)) return node.flatMap(titlesIn);
  const element = node as React.ReactElement<{ title?: string; children?: unknown; onAction?: unknown }>;
  if (typeof element.type === "function" && !("displayName" in element.type)) {
    return titlesIn((element.type as (props: unknown) => unknown)(element.props));
  }
  const own = typeof element.props?.title === "string" && element.props.onAction ? [element.props.title] : [];
  return [...own, ...titlesIn(element.props?.children)];
}

function findAction(
  node: unknown,
  title: string,
): React.ReactElement<{ onAction: () => unknown }> | undefined {
  if (node === null || node === undefined || typeof node === "boolean") return undefined;
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findAction(child, title);
      if (found) return found;
    }
    return undefined;
  }
  const element = node as React.ReactElement<{ title?: string; children?: unknown; onAction: () => unknown }>;
  if (typeof element.type === "function" && !("displayName" in element.type)) {
    // A component of ours (DownloadPlannerAction): call it to see what it renders.
    return findAction((element.type as (props: unknown) => unknown)(element.props), title);
  }
  if (element.props?.title === title && typeof element.props.onAction === "function") return element;
  return findAction(element.props?.children, title);
}
