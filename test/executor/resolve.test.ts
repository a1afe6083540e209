import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkArguments, resolveArguments } from "../../src/agent/executor/resolve";
import { defaultRegistry } from "../../src/tools/registry";
import { step } from "./helpers";

const tool = (name: string) => defaultRegistry.get(name)!;
const results: Record<number, string> = {
  1: "sid@example.com",
  2: "+1 555 0100",
  3: "/Users/alex/Q3 Deck.pdf",
};
const resultOf = (index: number) => {
  const value = results[index];
  if (value === undefined) throw new Error(`no result for ${index}`);
  return value;
};

describe("resolveArguments", () => {
  it("names the arguments and replaces whole references, in lists and alone", () => {
    const resolved = resolveArguments(
      step(4, "compose_new_email", "$1", ["${1}", "x@example.com"], "Deck", "See $3", ["$3"]),
      tool("compose_new_email"),
      resultOf,
    );
    expect(resolved).toEqual({
      ok: true,
      args: {
        recipients: ["sid@example.com"],
        cc: ["sid@example.com", "x@example.com"],
        subject: "Deck",
        context: "See $3",
        attachments: ["/Users/alex/Q3 Deck.pdf"],
      },
    });
  });

  it("interpolates ${N} inside text and leaves money alone", () => {
    const resolved = resolveArguments(
      step(4, "send_sms", ["$2"], "Call ${2} about the $1,200 rent; bring $20 and $1"),
      tool("send_sms"),
      resultOf,
    );
    expect(resolved).toEqual({
      ok: true,
      args: {
        recipients: ["+1 555 0100"],
        message: "Call +1 555 0100 about the $1,200 rent; bring $20 and $1",
      },
    });
  });

  it("keeps text that only looks like money as text, for every amount (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.constantFrom("", ",000", ".50", " each"),
        (n, tail) => {
          const text = `bring $${n}${tail} for pizza`;
          const resolved = resolveArguments(step(9, "send_sms", ["+1 555"], text), tool("send_sms"), () => {
            throw new Error("no reference expected");
          });
          expect(resolved).toEqual({ ok: true, args: { recipients: ["+1 555"], message: text } });
        },
      ),
      { seed: 3, numRuns: 100 },
    );
  });

  it("refuses a wrong argument count with a message naming both counts", () => {
    const resolved = resolveArguments(
      step(2, "get_email_address", "Sid", "Mehta"),
      tool("get_email_address"),
      resultOf,
    );
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.message).toMatch(/1 argument.*gives 2|takes 1.*2/);
  });

  it("refuses a resolved value of the wrong type", () => {
    const resolved = resolveArguments(
      step(4, "get_zoom_meeting_link", "Sync", "2025-06-13 15:00:00", "$1", []),
      tool("get_zoom_meeting_link"),
      resultOf,
    );
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.message).toContain("duration");
  });
});

describe("checkArguments", () => {
  it("accepts valid named arguments and rejects invalid ones with the parameter named", () => {
    const ok = checkArguments(tool("maps_show_directions"), {
      start_location: "",
      end_location: "SFO",
      transport: "w",
    });
    expect(ok).toEqual({ ok: true, args: { start_location: "", end_location: "SFO", transport: "w" } });
    const bad = checkArguments(tool("maps_show_directions"), {
      start_location: "",
      end_location: "SFO",
      transport: "fly",
    });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.message).toContain("transport");
    expect(checkArguments(tool("create_note"), null as unknown as Record<string, unknown>).ok).toBe(false);
  });
});
