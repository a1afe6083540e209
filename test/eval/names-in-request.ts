import type { EvalRequest } from "../../src/agent/eval/eval-data";

/**
 * The contact look-ups of ground-truth plans that name someone the request does not: each as
 * "request → tool("name")". "Me" is the person asking ("email myself", "text me"), the one name a request
 * need not spell out.
 */
export function namesNotInRequest(requests: readonly EvalRequest[]): string[] {
  const missing: string[] = [];
  for (const request of requests) {
    for (const step of request.truth?.plan.steps ?? []) {
      if (step.tool !== "get_phone_number" && step.tool !== "get_email_address") continue;
      const name = step.args[0];
      if (typeof name === "string" && name.toLowerCase() === "me") continue;
      if (typeof name !== "string" || !request.query.toLowerCase().includes(name.toLowerCase()))
        missing.push(`${request.query} → ${step.tool}(${JSON.stringify(name)})`);
    }
  }
  return missing;
}
