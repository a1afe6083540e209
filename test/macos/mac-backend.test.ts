import { describe, expect, it } from "vitest";
import { executePlan } from "../../src/agent/executor/executor";
import { checkPlan } from "../../src/agent/plan/check";
import { MacBackend } from "../../src/tools/macos/mac-backend";
import { FIELD, RECORD } from "../../src/tools/macos/osascript";
import { defaultRegistry } from "../../src/tools/registry";
import { ToolError } from "../../src/tools/tool-error";
import { FakeSystem } from "./fake-system";

const preferences = { messagesDraftOnly: false, timeZone: "Europe/Paris" };

describe("MacBackend", () => {
  it("runs a plan's steps on the Mac and reports every script, URL and command per step", async () => {
    const system = new FakeSystem({
      script: (app) => {
        if (app === "Contacts") {
          return (
            ["id-1", "Sid Mehta", "Sid", "Mehta", "", "_$!<Work>!$_", "sid@example.com"].join(FIELD) + RECORD
          );
        }
        return "";
      },
    });
    const plan = checkPlan(
      '1. get_email_address("Sid")\n2. maps_open_location("Ferry Building & Pier 1")\n3. join()',
      defaultRegistry,
    ).plan;
    const result = await executePlan(plan.steps, { backend: new MacBackend({ system, preferences }) });
    const [lookup, maps] = result.outcomes;
    expect(lookup?.status).toBe("done");
    expect(lookup?.status === "done" && lookup.observation).toBe("sid@example.com");
    expect(lookup?.status === "done" && lookup.invocations.map((i) => i.kind)).toEqual(["applescript"]);
    expect(maps?.status === "done" && maps.invocations).toEqual([
      { kind: "url", url: "https://maps.apple.com/?q=Ferry+Building+%26+Pier+1" },
    ]);
    expect(system.urls).toEqual(["https://maps.apple.com/?q=Ferry+Building+%26+Pier+1"]);
  });

  it("keeps what ran before a failure, and the Settings pane of a denied permission", async () => {
    const system = new FakeSystem({
      script: () => {
        throw new ToolError("permission", "TinyAgent is not allowed to control Contacts.", {
          settings: { name: "Privacy & Security › Automation", url: "x-apple.systempreferences:x" },
        });
      },
    });
    const plan = checkPlan('1. get_phone_number("Sid")\n2. join()', defaultRegistry).plan;
    const result = await executePlan(plan.steps, { backend: new MacBackend({ system, preferences }) });
    const outcome = result.outcomes[0]!;
    expect(outcome.status).toBe("failed");
    expect(outcome.status === "failed" && outcome.error.code).toBe("permission");
    expect(outcome.status === "failed" && outcome.invocations.map((i) => i.kind)).toEqual(["applescript"]);
  });

  it("has an action for every tool", async () => {
    const backend = new MacBackend({ system: new FakeSystem(), preferences });
    for (const tool of defaultRegistry.tools) {
      const error = await backend
        .run({ tool, args: {} }, { signal: new AbortController().signal, choose: async () => undefined })
        .catch((e: unknown) => e);
      // Each action runs and fails on the empty arguments in its own way, never "has no macOS action".
      expect(String(error instanceof Error ? error.message : error)).not.toContain("has no macOS action");
    }
  });
});
