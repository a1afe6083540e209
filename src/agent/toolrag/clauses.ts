/**
 * The parts of a request that asks for several things at once: "email Gwen the slides, text her a heads
 * up and remind me friday to follow up" → three clauses. The classifier sums a request's n-grams, so in a
 * long request each action's words weigh less than in a request of its own, and a tool one part needs can
 * fall under its threshold; scoring each part as well and keeping each tool's best probability restores
 * it (training/toolrag measured this on the dev sets: recall at TinyAgent-micro's floor 0.945 → 0.962 on
 * the multi-part dev set).
 *
 * Splitting is deliberately loose ("Sid and Lutfi" becomes two parts): a part only ever adds a tool's
 * probability, never removes one, and whether the request is for the tools at all is decided on the whole
 * request.
 */

// Sentence ends, dashes, commas (with a joining word after them) and joining words between parts.
const BOUNDARY =
  /(?:[.;!?]+\s+|\s*[—–]\s*|\s+-\s+|,\s*)(?:(?:and then|and also|and|then|also|plus)\s+)?|\s+(?:and then|and also|then|also|plus|and|&)\s+/i;

/** The most parts scored: a pasted paragraph is not split into hundreds of requests. */
const MAX_CLAUSES = 8;

/** The request's parts of two words or more; none when it has only one part. */
export function requestClauses(request: string): string[] {
  const parts = request
    .split(BOUNDARY)
    .map((part) => part.trim())
    .filter((part) => part.split(/\s+/).length >= 2);
  return parts.length > 1 ? parts.slice(0, MAX_CLAUSES) : [];
}
