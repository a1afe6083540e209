import { z } from "zod";
import { carriesResults, recipientList, requestWording, stringList, takesResults } from "./formats";
import { defineTool } from "./tool";

const cc = recipientList("Email addresses to copy; empty list when none");
const context = carriesResults(
  requestWording(
    z.string().describe("What the email should say, in the person's words; the body is written from it"),
  ),
);
const attachments = takesResults(stringList("Full paths of files to attach; empty list when none"), [
  "file-path",
]);

export const composeNewEmail = defineTool({
  name: "compose_new_email",
  app: "mail",
  effect: "write",
  description: "Opens a new email draft in Mail, ready for the person to review and send.",
  args: z.object({
    recipients: recipientList("Email addresses of the recipients"),
    cc,
    subject: requestWording(z.string().describe("Subject line of the email")),
    context,
    attachments,
  }),
});

export const replyToEmail = defineTool({
  name: "reply_to_email",
  app: "mail",
  effect: "write",
  description: "Opens a reply draft to the email currently selected in Mail.",
  args: z.object({ cc, context, attachments }),
});

export const forwardEmail = defineTool({
  name: "forward_email",
  app: "mail",
  effect: "write",
  description: "Opens a draft forwarding the email currently selected in Mail.",
  args: z.object({
    recipients: recipientList("Email addresses to forward the email to"),
    cc,
    context,
    attachments,
  }),
});
