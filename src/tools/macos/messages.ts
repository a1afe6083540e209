import type { z } from "zod";
import type * as tools from "../sms";
import { ToolError } from "../tool-error";
import { appleScriptList, appleScriptText } from "./applescript-text";
import type { MacContext } from "./mac-context";
import { parseRecords } from "./osascript";

/** A recipient as the plan gave it, and the handle Messages addresses it by. */
export interface MessageRecipient {
  /** As written in the plan, trimmed: shown back to the person. */
  given: string;
  /** A phone number reduced to `+` and digits, or an email address (an Apple ID for iMessage). */
  handle: string;
  kind: "phone" | "email";
}

/** Digits with the usual punctuation of written numbers; `+` only in front. */
const PHONE = /^\+?[\d\s().-]+$/u;
/** One `@`, a dot in the domain, and none of the characters that separate or quote addresses. */
const EMAIL = /^[^\s@,;:<>()[\]"\\\p{C}]+@[^\s@,;:<>()[\]"\\\p{C}]+\.[^\s@,;:<>()[\]"\\\p{C}]+$/u;

/**
 * The handle for one recipient, or undefined when it is neither a phone number nor an email address (a
 * name the planner did not look up, say). Numbers lose their formatting: "+1 (415) 555-0142" is the
 * handle "+14155550142", the form Messages stores.
 */
export function messageRecipient(text: string): MessageRecipient | undefined {
  const given = text.trim();
  if (PHONE.test(given)) {
    const digits = given.replace(/\D/gu, "");
    if (digits.length < 3 || digits.length > 20) return undefined;
    return { given, handle: `${given.startsWith("+") ? "+" : ""}${digits}`, kind: "phone" };
  }
  if (EMAIL.test(given)) return { given, handle: given, kind: "email" };
  return undefined;
}

/**
 * Checks every recipient before anything runs, so a bad one never leaves a message half sent. Repeated
 * recipients (the same number written twice) get one message.
 */
export function messageRecipients(recipients: readonly string[]): MessageRecipient[] {
  if (recipients.length === 0) {
    throw new ToolError(
      "failed",
      "The message has no recipients. Give a phone number or email address, or look one up with get_phone_number.",
    );
  }
  const resolved = recipients.map((text) => ({ text, recipient: messageRecipient(text) }));
  const invalid = resolved.filter((r) => r.recipient === undefined).map((r) => `"${r.text}"`);
  if (invalid.length > 0) {
    const what =
      invalid.length === 1
        ? "is not a phone number or email address"
        : "are not phone numbers or email addresses";
    throw new ToolError(
      "wrong-kind",
      `${invalid.join(", ")} ${what}, so Messages cannot send to ${invalid.length === 1 ? "it" : "them"}. Look the number up first with get_phone_number.`,
    );
  }
  const seen = new Set<string>();
  return resolved
    .map((r) => r.recipient!)
    .filter((r) => {
      const key = r.handle.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/**
 * Sends `message` to each handle separately (one conversation each, as the reference does), by iMessage,
 * falling back to SMS for a phone number when iMessage is missing or refuses and the Mac relays SMS from an
 * iPhone. Prints one record per handle: handle, "sent" or "failed", and the service used or the error, so
 * a partly sent message is reported exactly. A send that Messages accepts can still fail to deliver later
 * (a number that is not on iMessage): AppleScript does not tell.
 */
export function sendMessageScript(handles: readonly string[], message: string): string {
  return `set recipientList to ${appleScriptList(handles)}
set messageText to ${appleScriptText(message)}
set fieldSeparator to character id 31
set recordSeparator to character id 30
set output to ""
tell application "Messages"
  set iMessageAccount to missing value
  set smsAccount to missing value
  try
    set iMessageAccount to first account whose service type is iMessage
  end try
  try
    set smsAccount to first account whose service type is SMS
  end try
  repeat with handleRef in recipientList
    set theHandle to contents of handleRef
    set theOutcome to "failed"
    set theDetail to "Messages has no iMessage or SMS account"
    if iMessageAccount is not missing value then
      try
        send messageText to participant theHandle of iMessageAccount
        set theOutcome to "sent"
        set theDetail to "iMessage"
      on error errorText
        set theDetail to errorText
      end try
    end if
    if theOutcome is "failed" and smsAccount is not missing value and theHandle does not contain "@" then
      try
        send messageText to participant theHandle of smsAccount
        set theOutcome to "sent"
        set theDetail to "SMS"
      on error errorText
        set theDetail to errorText
      end try
    end if
    set output to output & theHandle & fieldSeparator & theOutcome & fieldSeparator & theDetail & recordSeparator
  end repeat
end tell
return output`;
}

/**
 * Opens Messages with a new conversation to the handles and the text filled in, sending nothing. Apple's
 * `sms:` handlers understand `sms:/open?addresses=a,b&body=text` for one or several recipients (the bare
 * `sms:NUMBER&body=` form takes one number and is not a query a URL API can build). Values are encoded by
 * URLSearchParams; its `+` for a space is rewritten as `%20` because Messages decodes percent escapes only
 * and would show a literal `+` (a real `+` in the input is already `%2B`, so the rewrite is exact).
 */
export function messageDraftUrl(handles: readonly string[], message: string): string {
  const url = new URL("sms:/open");
  url.searchParams.set("addresses", handles.join(","));
  url.searchParams.set("body", message);
  return url.href.replaceAll("+", "%20");
}

/** send_sms: sends the text with Messages, or only opens it ready to send when the person prefers that. */
export async function sendSms(args: z.infer<typeof tools.sendSms.args>, ctx: MacContext): Promise<string> {
  const recipients = messageRecipients(args.recipients);
  if (args.message.trim() === "") {
    throw new ToolError("failed", "The message is empty. Say what the text should say.");
  }
  const handles = recipients.map((r) => r.handle);
  const names = recipients.map((r) => r.given).join(", ");
  if (ctx.preferences.messagesDraftOnly) {
    await ctx.system.openUrl(messageDraftUrl(handles, args.message), ctx.signal);
    return `Opened a message to ${names} in Messages with the text filled in. Nothing was sent: press Return in Messages to send it.`;
  }
  const output = await ctx.system.runScript("Messages", sendMessageScript(handles, args.message), ctx.signal);
  return sendReport(recipients, parseRecords(output));
}

/** The observation for a send, or an error saying exactly who got the message and who did not. */
export function sendReport(recipients: readonly MessageRecipient[], records: readonly string[][]): string {
  const outcomes = recipients.map((recipient, i) => {
    const [handle, outcome, detail] = records[i] ?? [];
    const sent = handle === recipient.handle && outcome === "sent";
    return { recipient, sent, detail: detail ?? "Messages gave no answer" };
  });
  const describe = (o: (typeof outcomes)[number]) =>
    o.detail === "SMS" ? `${o.recipient.given} (by SMS)` : o.recipient.given;
  const sent = outcomes.filter((o) => o.sent).map(describe);
  const failed = outcomes.filter((o) => !o.sent);
  if (failed.length === 0) return `Sent the message to ${sent.join(", ")}.`;
  const reasons = failed
    .map((o) => `${o.recipient.given} (${o.detail.trim() || "no reason given"})`)
    .join(", ");
  const fix =
    "Check that Messages is signed in to iMessage (or relays SMS from your iPhone) and that the number or address is right.";
  if (sent.length === 0) {
    throw new ToolError("failed", `The message was not sent to ${reasons}. ${fix}`);
  }
  throw new ToolError(
    "failed",
    `Sent the message to ${sent.join(", ")}, but not to ${reasons}. ${fix} Send it to ${failed.length === 1 ? "them" : "the others"} yourself in Messages; running the step again would text everyone again.`,
  );
}
