import { z } from "zod";
import { recipientList, requestWording } from "./formats";
import { defineTool } from "./tool";

export const sendSms = defineTool({
  name: "send_sms",
  app: "sms",
  effect: "write",
  description: "Sends a text message with Messages.",
  args: z.object({
    recipients: recipientList("Phone numbers of the recipients"),
    message: requestWording(z.string().min(1).describe("Text of the message")),
  }),
});
