import { z } from "zod";
import { fromRequest } from "./formats";
import { defineTool } from "./tool";

// "Me" is the person's own card: "email myself" looks it up.
const contactName = fromRequest(
  z.string().min(1).describe("Name of the person as the request says it (full, first or nickname)"),
  { also: ["Me"], person: true },
);

export const getPhoneNumber = defineTool({
  name: "get_phone_number",
  app: "contacts",
  effect: "read",
  description: "Looks up a person in Contacts and returns their phone number.",
  result: "phone-number",
  args: z.object({ name: contactName }),
});

export const getEmailAddress = defineTool({
  name: "get_email_address",
  app: "contacts",
  effect: "read",
  description: "Looks up a person in Contacts and returns their email address.",
  result: "email-address",
  args: z.object({ name: contactName }),
});
