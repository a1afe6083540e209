/** What "Open Result" opens for a step that ran: a link, a file, or the app that now holds the result. */
export type ResultTarget =
  | { kind: "url"; url: string; title: string }
  | { kind: "file"; path: string; title: string }
  | { kind: "app"; path: string; title: string };

const APPS = {
  Calendar: "/System/Applications/Calendar.app",
  Mail: "/System/Applications/Mail.app",
  Messages: "/System/Applications/Messages.app",
  Notes: "/System/Applications/Notes.app",
  Reminders: "/System/Applications/Reminders.app",
} as const;

function app(name: keyof typeof APPS): ResultTarget {
  return { kind: "app", path: APPS[name], title: `Open ${name}` };
}

/**
 * Where the result of a finished step can be seen. Observations are text for the planner, so only what
 * they state plainly is used: a Zoom join link, a file path; otherwise the app the note, event, reminder
 * or draft was made in (its scripts do not report an id Raycast could open directly).
 */
export function resultTarget(tool: string, observation: string): ResultTarget | undefined {
  switch (tool) {
    case "get_zoom_meeting_link": {
      const url = httpsUrlIn(observation);
      return url ? { kind: "url", url, title: "Open Zoom Meeting" } : undefined;
    }
    case "open_and_get_file_path": {
      const path = observation.trim();
      return path.startsWith("/") && !path.includes("\n")
        ? { kind: "file", path, title: "Open File" }
        : undefined;
    }
    case "create_calendar_event":
      return app("Calendar");
    case "compose_new_email":
    case "reply_to_email":
    case "forward_email":
      return app("Mail");
    case "create_note":
    case "append_note_content":
    case "open_note":
      return app("Notes");
    case "create_reminder":
      return app("Reminders");
    case "send_sms":
      return app("Messages");
    default:
      return undefined;
  }
}

/** The first https link in a text, when it parses as a URL. */
function httpsUrlIn(text: string): string | undefined {
  const match = /https:\/\/[^\s"'<>]+/.exec(text);
  if (!match) return undefined;
  try {
    return new URL(match[0]).href;
  } catch {
    return undefined;
  }
}
