import { Color, Icon, type Image } from "@raycast/api";
import type { StepViewStatus } from "../../agent/session/ask-run";
import type { App } from "../../tools/tool";

export const APP_ICONS: Record<App, Icon> = {
  calendar: Icon.Calendar,
  contacts: Icon.Person,
  files: Icon.Document,
  mail: Icon.Envelope,
  maps: Icon.Map,
  notes: Icon.Paragraph,
  // Not a check mark: a row whose icon looks done must be done.
  reminders: Icon.Alarm,
  sms: Icon.Message,
  zoom: Icon.Video,
};

const APP_NAMES: Record<App, string> = {
  calendar: "Calendar",
  contacts: "Contacts",
  files: "Files",
  mail: "Mail",
  maps: "Maps",
  notes: "Notes",
  reminders: "Reminders",
  sms: "Messages",
  zoom: "Zoom",
};

const STATUS: Record<StepViewStatus, { text: string; color: Color; icon: Icon }> = {
  queued: { text: "Queued", color: Color.SecondaryText, icon: Icon.Clock },
  running: { text: "Running", color: Color.Blue, icon: Icon.CircleProgress50 },
  waiting: { text: "Waiting for You", color: Color.Orange, icon: Icon.Hourglass },
  done: { text: "Done", color: Color.Green, icon: Icon.CheckCircle },
  failed: { text: "Failed", color: Color.Red, icon: Icon.XMarkCircle },
  skipped: { text: "Skipped", color: Color.SecondaryText, icon: Icon.MinusCircle },
};

/** States a row shows in place of its app's icon: the ones to see at a glance. */
const SHOWN_BY_ICON: ReadonlySet<StepViewStatus> = new Set(["running", "failed", "skipped"]);

export function appIcon(app: App | undefined): Image.ImageLike {
  return app ? APP_ICONS[app] : Icon.QuestionMarkCircle;
}

/**
 * A step row's icon. Rows show no accessories while the detail pane is open (it always is once there are
 * steps), so a step that is running, failed or skipped shows that state, in its colour, instead of its
 * app; the tooltip names both. Waiting steps have their own section.
 */
export function stepIcon(
  app: App | undefined,
  status: StepViewStatus,
): { value: Image.ImageLike; tooltip: string } {
  const { text, color, icon } = STATUS[status];
  const tooltip = `${app ? APP_NAMES[app] : "Unknown app"} · ${text}`;
  if (!SHOWN_BY_ICON.has(status)) return { value: appIcon(app), tooltip };
  return { value: { source: icon, tintColor: color }, tooltip };
}

/** The status line of a step's detail pane, in its colour. */
export function statusLabel(status: StepViewStatus): {
  text: { value: string; color: Color };
  icon: Image.ImageLike;
} {
  const { text, color, icon } = STATUS[status];
  return { text: { value: text, color }, icon: { source: icon, tintColor: color } };
}
