import type { z } from "zod";
import { basename, expandPath, fileKindCommand } from "../macos/files";
import {
  composeEmailScript,
  forwardEmailScript,
  replyEmailScript,
  selectedEmailsScript,
  tidyText,
  addresses,
} from "../macos/mail";
import type { composeNewEmail, forwardEmail, replyToEmail } from "../mail";
import type { SelectedEmail } from "./fixture-world";
import { fixtureFileKind } from "./files";
import type { Recorder } from "./recorder";

/*
 * Mail drafts as src/tools/macos/mail.ts makes them: attachments checked with `stat` (one command per
 * file, in order) before Mail is touched; for a reply or forward, the selected-emails script; then the
 * drafting script. The body is the person's words, tidied: what the Mac backend writes when no local
 * model is loaded (with one, the model's text would stand in the script instead).
 */

/** Mail's id for the selected email when a test's fixture gives none. */
const SELECTED_EMAIL_ID = "1";

export function composeDraft(recorder: Recorder, args: z.infer<typeof composeNewEmail.args>): string {
  const recipients = addresses(args.recipients);
  const cc = addresses(args.cc, "cc");
  const attachments = checkAttachments(recorder, args.attachments);
  const body = tidyText(args.context);
  recorder.script(composeEmailScript({ recipients, cc, subject: args.subject, body, attachments }));
  return observation(recipients, cc, args.subject, attachments);
}

export function replyDraft(recorder: Recorder, args: z.infer<typeof replyToEmail.args>): string {
  const cc = addresses(args.cc, "cc");
  const attachments = checkAttachments(recorder, args.attachments);
  const selected = selectedEmail(recorder);
  const body = tidyText(args.context);
  const messageId = selected.id ?? SELECTED_EMAIL_ID;
  recorder.script(replyEmailScript({ messageId, cc, body, attachments }));
  return observation([selected.from], cc, `Re: ${selected.subject}`, attachments);
}

export function forwardDraft(recorder: Recorder, args: z.infer<typeof forwardEmail.args>): string {
  const recipients = addresses(args.recipients);
  const cc = addresses(args.cc, "cc");
  const attachments = checkAttachments(recorder, args.attachments);
  const selected = selectedEmail(recorder);
  const body = tidyText(args.context);
  const messageId = selected.id ?? SELECTED_EMAIL_ID;
  recorder.script(forwardEmailScript({ messageId, recipients, cc, body, attachments }));
  return observation(recipients, cc, `Fwd: ${selected.subject}`, attachments);
}

/** Full paths of the files to attach, each checked with `stat` as the Mac backend does. */
function checkAttachments(recorder: Recorder, paths: readonly string[]): string[] {
  const { world } = recorder;
  const wanted = paths.map((path) => path.trim()).filter((path) => path !== "");
  const relative = wanted.filter((path) => !expandPath(path, world.home).startsWith("/"));
  if (relative.length > 0) {
    throw recorder.error(
      "not-found",
      `Cannot attach ${relative.map((path) => `"${path}"`).join(", ")}: not a full path. Find the file first with open_and_get_file_path.`,
    );
  }
  const expanded = wanted.map((path) => expandPath(path, world.home));
  for (const path of expanded) recorder.command(fileKindCommand(path));
  const kinds = expanded.map((path) => fixtureFileKind(world, path));
  const missing = expanded.filter((_, index) => kinds[index] === "missing");
  if (missing.length > 0) {
    throw recorder.error(
      "not-found",
      `Cannot attach ${missing.join(", ")}: no such file. Find it first with open_and_get_file_path.`,
    );
  }
  const folders = expanded.filter((_, index) => kinds[index] === "folder");
  if (folders.length > 0) {
    throw recorder.error(
      "failed",
      `Cannot attach ${folders.join(", ")}: it is a folder. Attach the files inside it, or compress the folder first.`,
    );
  }
  return expanded;
}

function selectedEmail(recorder: Recorder): SelectedEmail {
  recorder.script(selectedEmailsScript());
  const selected = recorder.world.selectedEmail;
  if (!selected) {
    throw recorder.error(
      "no-selection",
      "No email is selected in Mail. Select the message in Mail, then try again.",
    );
  }
  return selected;
}

function observation(to: string[], cc: string[], subject: string, attachments: string[]): string {
  const toPart = to.length > 0 ? ` to ${to.join(", ")}` : "";
  const ccPart = cc.length > 0 ? `, cc ${cc.join(", ")}` : "";
  const attached = attachments.length > 0 ? `, with ${attachments.map(basename).join(", ")} attached` : "";
  return `Opened a draft${toPart}${ccPart} with the subject "${subject}"${attached}.`;
}
