import { Color, Icon, type Image, type List } from "@raycast/api";
import type { StepViewStatus } from "../../agent/session/ask-run";
import type { App } from "../../tools/tool";

export const APP_ICONS: Record<App, Icon> = {
  calendar: Icon.Calendar,
  contacts: Icon.Person,
  files: Icon.Document,
  mail: Icon.Envelope,
  maps: Icon.Map,
  notes: Icon.Paragraph,
  reminders: Icon.CheckCircle,
  sms: Icon.Message,
  zoom: Icon.Video,
};

const STATUS: Record<StepViewStatus, { text: string; color: Color; icon: Image.ImageLike }> = {
  queued: { text: "Queued", color: Color.SecondaryText, icon: Icon.Clock },
  running: { text: "Running", color: Color.Blue, icon: Icon.CircleProgress50 },
  waiting: { text: "Waiting for You", color: Color.Orange, icon: Icon.Hourglass },
  done: { text: "Done", color: Color.Green, icon: Icon.CheckCircle },
  failed: { text: "Failed", color: Color.Red, icon: Icon.XMarkCircle },
  skipped: { text: "Skipped", color: Color.SecondaryText, icon: Icon.MinusCircle },
};

export function appIcon(app: App | undefined): Image.ImageLike {
  return app ? APP_ICONS[app] : Icon.QuestionMarkCircle;
}

/** The status tag on the right of a step row. */
export function statusAccessory(status: StepViewStatus): List.Item.Accessory {
  const { text, color } = STATUS[status];
  return { tag: { value: text, color }, tooltip: `Status: ${text.toLowerCase()}` };
}
