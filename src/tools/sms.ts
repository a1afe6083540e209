import { z } from "zod";
import { carriesResults, recipientList, requestWording } from "./formats";
import { defineTool } from "./tool";

export const sendSms = defineTool({
  name: "send_sms",
  app: "sms",
  effect: "write",
  description: "Sends a text message with Messages.",
  args: z.object({
    recipients: recipientList("Phone numbers of the recipients", "phone-number"),
    message: carriesResults(requestWording(z.string().min(1).describe("Text of the message"))),
  }),
});
