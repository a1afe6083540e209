/**
 * Which contact details a request needs: phone numbers (to text or call someone) or email addresses (to
 * email, cc, forward, invite to an event or a call). A small model often looks a person up with the wrong
 * tool ("what are Sid's and Lutfi's emails" → Sid's phone number); when the request's words speak of only
 * one channel, a look-up may only be for that one. A request that names both, or neither ("send Sid the
 * deck"), allows both.
 *
 * Measured on the natural dev set: all 164 look-ups are of a channel the request allows; on the synthetic
 * validation split 1,621 of 1,640 (the misses are mostly typos: "massage my roommate").
 */
export type ContactDetail = "phone-number" | "email-address";

const PHONE =
  /\b(?:texts?|texting|texted|txt|sms|messages?|msg|phone|numbers?|cell|call|calls|ping|tell|let\b.{0,40}\bknow|imessage|whatsapp|digits|mobile)\b/i;
const EMAIL =
  /\b(?:e-?mails?|emailing|mail|cc|bcc|forward|fwd|reply|invite|invites|invitation|zoom|meeting|mtg|calendar|cal|address(?:es)?|inbox|schedule|sched)\b/i;

// "forward this message", "reply to her last message", "the selected message": a message that is there
// already, most often an email.
const A_MESSAGE =
  /\b(?:this|that|the|his|her|their|its)(?: (?:selected|last|latest|new|current|whole))? messages?\b/gi;

export function contactDetails(request: string): ContactDetail[] {
  const phone = PHONE.test(request.replace(A_MESSAGE, " "));
  const email = EMAIL.test(request);
  if (phone === email) return ["phone-number", "email-address"];
  return phone ? ["phone-number"] : ["email-address"];
}

// Verbs that name the channel of the people right after them: "text Sid", "email Lutfi", "cc Ana".
const PHONE_VERBS = new Set(
  "text txt texr texting sms message msg imessage whatsapp wahtsapp call ring".split(" "),
);
const EMAIL_VERBS = new Set(
  "email emial e-mail mail emailing cc bcc forward fw fwd invite meet meeting zoom".split(" "),
);
// Nouns that name a channel near a name: "send Ana a text", "email the deck to Sid", "let Bo know by email".
const PHONE_NOUNS = new Set("text txt sms message msg imessage whatsapp texts messages".split(" "));
const EMAIL_NOUNS = new Set("email e-mail mail emails invite invitation zoom".split(" "));

/**
 * The channel a verb introducing people names, or undefined ("send", "tell", "to": the words around
 * decide, see channelNear).
 */
export function channelOfVerb(word: string): ContactDetail | undefined {
  if (PHONE_VERBS.has(word)) return "phone-number";
  if (EMAIL_VERBS.has(word)) return "email-address";
  return undefined;
}

/** The channel a word names as a noun ("a text", "an email"), or undefined. */
export function channelOfNoun(word: string): ContactDetail | undefined {
  if (PHONE_NOUNS.has(word)) return "phone-number";
  if (EMAIL_NOUNS.has(word)) return "email-address";
  return undefined;
}
