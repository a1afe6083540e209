import type { ToolBackend } from "../../src/tools/backend";

/**
 * A backend whose actions take a set time and answer with values the next steps accept (an address, a
 * number, a path): the executor's scheduling is measured without AppleScript, contacts or fixture data.
 */
export function simulatedBackend(latencyMs: (tool: string) => number): ToolBackend {
  return {
    name: "simulated",
    async run(call, context) {
      const ms = latencyMs(call.tool.name);
      if (ms > 0) await sleep(ms, context.signal);
      return { observation: observationFor(call.tool.name), invocations: [] };
    },
  };
}

function observationFor(tool: string): string {
  switch (tool) {
    case "get_email_address":
      return "sid@example.com";
    case "get_phone_number":
      return "+1 415 555 0100";
    case "open_and_get_file_path":
      return "/Users/me/Documents/report.pdf";
    case "get_zoom_meeting_link":
      return "https://zoom.us/j/123456789";
    default:
      return "done";
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
