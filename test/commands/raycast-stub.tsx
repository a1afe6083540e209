/**
 * A stand-in for @raycast/api, which has no runtime outside Raycast: every component renders as a host
 * element named after it ("List.Item", "Action") carrying its props, so tests can find items and
 * actions with react-test-renderer. Icons and colours are their own names.
 */
import { createElement, type ReactNode } from "react";
import { vi } from "vitest";

type Props = Record<string, unknown> & { children?: ReactNode };

function host(name: string) {
  const component = (props: Props) => createElement(name, props, props.children);
  component.displayName = name;
  return component;
}

const names = new Proxy({}, { get: (_, key) => String(key) }) as Record<string, string>;

const Metadata = Object.assign(host("Metadata"), { Label: host("Metadata.Label") });
const Detail = Object.assign(host("List.Item.Detail"), { Metadata });
const List = Object.assign(host("List"), {
  Item: Object.assign(host("List.Item"), { Detail }),
  Section: host("List.Section"),
  EmptyView: host("List.EmptyView"),
});
const Action = Object.assign(host("Action"), {
  Push: host("Action.Push"),
  CopyToClipboard: host("Action.CopyToClipboard"),
  Open: host("Action.Open"),
  OpenInBrowser: host("Action.OpenInBrowser"),
  SubmitForm: host("Action.SubmitForm"),
  Style: { Regular: "regular", Destructive: "destructive" },
});
const ActionPanel = Object.assign(host("ActionPanel"), { Section: host("ActionPanel.Section") });
const Form = Object.assign(host("Form"), {
  TextField: host("Form.TextField"),
  TextArea: host("Form.TextArea"),
  Checkbox: host("Form.Checkbox"),
  Dropdown: Object.assign(host("Form.Dropdown"), { Item: host("Form.Dropdown.Item") }),
  Description: host("Form.Description"),
});

export const showToast = vi.fn(async () => undefined);
export const pop = vi.fn();

export const raycastStub = {
  List,
  Action,
  ActionPanel,
  Form,
  Detail: host("Detail"),
  Icon: names,
  Color: names,
  Keyboard: {
    Shortcut: {
      Common: {
        Copy: { modifiers: ["cmd", "shift"], key: "c" },
        Remove: { modifiers: ["ctrl"], key: "x" },
        RemoveAll: { modifiers: ["ctrl", "shift"], key: "x" },
        Refresh: { modifiers: ["cmd"], key: "r" },
      },
    },
  },
  Toast: { Style: { Success: "success", Failure: "failure", Animated: "animated" } },
  showToast,
  useNavigation: () => ({ pop, push: vi.fn() }),
  openExtensionPreferences: vi.fn(),
};
