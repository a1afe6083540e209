import type { z } from "zod";
import { messageDraftUrl, messageRecipients, sendMessageScript } from "../macos/messages";
import type { sendSms } from "../sms";
import { ToolError } from "../tool-error";
import type { Recorder } from "./recorder";

/**
 * send_sms as src/tools/macos/messages.ts does it: recipients checked before anything runs, then the
 * sending script, or with the "draft only" preference the `sms:` URL that opens the conversation.
 */
export function sendMessage(recorder: Recorder, args: z.infer<typeof sendSms.args>): string {
  const recipients = messageRecipients(args.recipients);
  if (args.message.trim() === "") {
    throw new ToolError("failed", "The message is empty. Say what the text should say.");
  }
  const handles = recipients.map((r) => r.handle);
  const names = recipients.map((r) => r.given).join(", ");
  if (recorder.preferences.messagesDraftOnly) {
    recorder.url(messageDraftUrl(handles, args.message));
    return `Opened a message to ${names} in Messages with the text filled in. Nothing was sent: press Return in Messages to send it.`;
  }
  recorder.script(sendMessageScript(handles, args.message));
  return `Sent the message to ${names}.`;
}
