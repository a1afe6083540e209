import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  messageDraftUrl,
  messageRecipient,
  messageRecipients,
  sendMessageScript,
  sendSms,
} from "../../src/tools/macos/messages";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { fakeContext, FakeSystem } from "./fake-system";

/** What the send script prints for one handle. */
const outcome = (handle: string, result: "sent" | "failed", detail: string) =>
  [handle, result, detail].join(FIELD) + RECORD;

/** A fake Messages that answers each send with `answer(handles)`; by default every handle is sent by iMessage. */
function messages(options: { draftOnly?: boolean; answer?: (handles: string[]) => string } = {}): {
  system: FakeSystem;
  ctx: ReturnType<typeof fakeContext>;
} {
  const answer = options.answer ?? ((handles) => handles.map((h) => outcome(h, "sent", "iMessage")).join(""));
  const system = new FakeSystem({
    script: (_app, script) => {
      // The first line sets the list of handles (the encoder never writes a raw line break).
      return answer(decodeScript(script.split("\n")[0]!).texts);
    },
  });
  return { system, ctx: fakeContext(system, { draftOnly: options.draftOnly ?? false }) };
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

const SCRIPT_FOR_TWO = `set recipientList to {"+14155550142", "sid@example.com"}
set messageText to "Running 10 min late"
set fieldSeparator to character id 31
set recordSeparator to character id 30
set output to ""
tell application "Messages"
  set iMessageAccount to missing value
  set smsAccount to missing value
  try
    set iMessageAccount to first account whose service type is iMessage
  end try
  try
    set smsAccount to first account whose service type is SMS
  end try
  repeat with handleRef in recipientList
    set theHandle to contents of handleRef
    set theOutcome to "failed"
    set theDetail to "Messages has no iMessage or SMS account"
    if iMessageAccount is not missing value then
      try
        send messageText to participant theHandle of iMessageAccount
        set theOutcome to "sent"
        set theDetail to "iMessage"
      on error errorText
        set theDetail to errorText
      end try
    end if
    if theOutcome is "failed" and smsAccount is not missing value and theHandle does not contain "@" then
      try
        send messageText to participant theHandle of smsAccount
        set theOutcome to "sent"
        set theDetail to "SMS"
      on error errorText
        set theDetail to errorText
      end try
    end if
    set output to output & theHandle & fieldSeparator & theOutcome & fieldSeparator & theDetail & recordSeparator
  end repeat
end tell
return output`;

describe("what send_sms runs (golden)", () => {
  it("sends to each handle by iMessage, with SMS as the fallback for numbers", () => {
    expect(sendMessageScript(["+14155550142", "sid@example.com"], "Running 10 min late")).toBe(
      SCRIPT_FOR_TWO,
    );
  });

  it("runs that script in Messages with the numbers reduced to handles", async () => {
    const { system, ctx } = messages();
    await sendSms(
      { recipients: ["+1 (415) 555-0142", " sid@example.com "], message: "Running 10 min late" },
      ctx,
    );
    expect(system.scripts).toEqual([{ app: "Messages", script: SCRIPT_FOR_TWO }]);
    expect(system.urls).toEqual([]);
    expect(ctx.invocations).toEqual([{ kind: "applescript", script: SCRIPT_FOR_TWO, argv: [] }]);
  });

  it("opens a prefilled conversation in draft-only mode", async () => {
    const url =
      "sms:/open?addresses=%2B14155550142%2C%2B15105550199&body=Bring%20%2420%20%26%20snacks%3F%20%E2%9C%85";
    expect(messageDraftUrl(["+14155550142", "+15105550199"], "Bring $20 & snacks? ✅")).toBe(url);
    const { system, ctx } = messages({ draftOnly: true });
    const observation = await sendSms(
      { recipients: ["+1 (415) 555-0142", "+1 510 555 0199"], message: "Bring $20 & snacks? ✅" },
      ctx,
    );
    expect(system.urls).toEqual([url]);
    expect(system.scripts).toEqual([]);
    expect(ctx.invocations).toEqual([{ kind: "url", url }]);
    expect(observation).toBe(
      "Opened a message to +1 (415) 555-0142, +1 510 555 0199 in Messages with the text filled in. Nothing was sent: press Return in Messages to send it.",
    );
  });
});

describe("send_sms keeps any text as data (injection fuzz)", () => {
  const HANDLE = "+14155550142";
  const benign = decodeScript(sendMessageScript([HANDLE, "sid@example.com"], "hello"));
  const expectSafe = (handles: [string, string], message: string) => {
    const decoded = decodeScript(sendMessageScript(handles, message));
    expect(decoded.skeleton).toBe(benign.skeleton);
    expect(decoded.texts).toEqual([...handles, message, ...benign.texts.slice(3)]);
  };
  const anyText = fc.oneof(
    fc.string({ unit: "binary", maxLength: 60 }),
    fc.string({ unit: "grapheme", maxLength: 30 }),
  );

  it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 50), text]))(
    "message and handles: %s",
    (_, text) => {
      expectSafe([HANDLE, "sid@example.com"], text);
      expectSafe([text, HANDLE], "hello");
      expectSafe([HANDLE, text], text);
    },
  );

  it("any message and handle (property)", () => {
    fc.assert(
      fc.property(anyText, anyText, (message, handle) => expectSafe([handle, HANDLE], message)),
      { numRuns: 400, seed: 15 },
    );
  });

  it("the action sends exactly the message it was given", async () => {
    const texts = [...ADVERSARIAL_TEXTS, ...fc.sample(anyText, { numRuns: 300, seed: 3 })];
    for (const message of texts) {
      const { system, ctx } = messages();
      if (message.trim() === "") {
        expect((await failure(sendSms({ recipients: [HANDLE], message }, ctx))).code).toBe("failed");
        expect(system.scripts).toEqual([]);
        continue;
      }
      await expect(sendSms({ recipients: [HANDLE], message }, ctx)).resolves.toBe(
        `Sent the message to ${HANDLE}.`,
      );
      const decoded = decodeScript(system.scripts[0]!.script);
      expect(decoded.skeleton).toBe(decodeScript(sendMessageScript([HANDLE], "hello")).skeleton);
      expect(decoded.texts.slice(0, 2)).toEqual([HANDLE, message]);
    }
  });

  it("a recipient either is refused before anything runs, or reaches Messages as its handle (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyText,
          fc.constantFrom(...ADVERSARIAL_TEXTS),
          fc.stringMatching(/^\+?[\d\s().+-]{1,24}$/u),
          fc.emailAddress(),
        ),
        async (recipient) => {
          const { system, ctx } = messages();
          const handle = messageRecipient(recipient)?.handle;
          const run = sendSms({ recipients: [recipient], message: "hi" }, ctx);
          if (handle === undefined) {
            expect((await failure(run)).code).toBe("wrong-kind");
            expect(system.scripts).toEqual([]);
            return;
          }
          await run;
          expect(decodeScript(system.scripts[0]!.script).texts[0]).toBe(handle);
          expect(handle).toMatch(/^(\+?\d+|[^\s@]+@[^\s@]+)$/u);
        },
      ),
      { numRuns: 400, seed: 9 },
    );
  });
});

describe("the draft URL round-trips", () => {
  const roundTrip = (handles: string[], message: string) => {
    const url = new URL(messageDraftUrl(handles, message));
    expect(url.protocol).toBe("sms:");
    expect(url.pathname).toBe("/open");
    expect([...url.searchParams.keys()]).toEqual(["addresses", "body"]);
    expect(url.searchParams.get("addresses")).toBe(handles.join(","));
    expect(url.searchParams.get("body")).toBe(message);
    expect(url.href).not.toContain("+"); // spaces are %20, plus signs %2B: nothing for Messages to misread
  };

  it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 50), text]))("%s", (_, text) => {
    roundTrip(["+14155550142", "a&b=c#d%e@example.com"], text);
  });

  it("any message and address (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", maxLength: 60 }),
        fc.array(fc.emailAddress(), { minLength: 1, maxLength: 3 }),
        (message, addresses) => roundTrip(addresses, message),
      ),
      { numRuns: 400, seed: 21 },
    );
  });

  it("replaces a lone surrogate, which no URL can carry, with U+FFFD", () => {
    expect(new URL(messageDraftUrl(["+1555"], "a\ud800b")).searchParams.get("body")).toBe("a\ufffdb");
  });
});

describe("recipients", () => {
  it("reduces numbers to handles and keeps addresses", () => {
    expect(messageRecipient("+1 (415) 555-0142")).toEqual({
      given: "+1 (415) 555-0142",
      handle: "+14155550142",
      kind: "phone",
    });
    expect(messageRecipient("0612.34.56.78")?.handle).toBe("0612345678");
    expect(messageRecipient(" sid@example.com ")).toEqual({
      given: "sid@example.com",
      handle: "sid@example.com",
      kind: "email",
    });
  });

  it("refuses names, references, bare text and malformed numbers or addresses", () => {
    for (const text of [
      "Sid",
      "$1",
      "",
      "12",
      "+",
      "1+2",
      "555-CALL",
      "a@b",
      "a b@example.com",
      "a@b.com,c@d.com",
    ]) {
      expect(messageRecipient(text)).toBeUndefined();
    }
  });

  it("sends once to a recipient written twice", () => {
    expect(
      messageRecipients(["+1 415 555 0142", "+14155550142", "Sid@Example.com", "sid@example.com"]),
    ).toEqual([
      { given: "+1 415 555 0142", handle: "+14155550142", kind: "phone" },
      { given: "Sid@Example.com", handle: "Sid@Example.com", kind: "email" },
    ]);
  });
});

describe("send_sms", () => {
  it("reports whom the message went to", async () => {
    const { ctx } = messages();
    await expect(
      sendSms({ recipients: ["+1 (415) 555-0142", "sid@example.com"], message: "On my way" }, ctx),
    ).resolves.toBe("Sent the message to +1 (415) 555-0142, sid@example.com.");
  });

  it("says when a number got the message by SMS", async () => {
    const { ctx } = messages({ answer: ([h]) => outcome(h!, "sent", "SMS") });
    await expect(sendSms({ recipients: ["+1 415 555 0142"], message: "On my way" }, ctx)).resolves.toBe(
      "Sent the message to +1 415 555 0142 (by SMS).",
    );
  });

  it("names who did and did not get a partly sent message", async () => {
    const { ctx } = messages({
      answer: ([a, b]) =>
        outcome(a!, "sent", "iMessage") + outcome(b!, "failed", "Messages got an error: Can’t send. (-1708)"),
    });
    const error = await failure(
      sendSms({ recipients: ["+14155550142", "+15105550199"], message: "Hi" }, ctx),
    );
    expect(error.code).toBe("failed");
    expect(error.message).toBe(
      "Sent the message to +14155550142, but not to +15105550199 (Messages got an error: Can’t send. (-1708)). Check that Messages is signed in to iMessage (or relays SMS from your iPhone) and that the number or address is right. Send it to them yourself in Messages; running the step again would text everyone again.",
    );
  });

  it("fails clearly when nothing was sent, or Messages said nothing", async () => {
    const none = messages({
      answer: ([a]) => outcome(a!, "failed", "Messages has no iMessage or SMS account"),
    });
    const error = await failure(sendSms({ recipients: ["+14155550142"], message: "Hi" }, none.ctx));
    expect(error.message).toMatch(
      /^The message was not sent to \+14155550142 \(Messages has no iMessage or SMS account\)\. Check that/,
    );
    const silent = messages({ answer: () => "" });
    const nothing = await failure(sendSms({ recipients: ["+14155550142"], message: "Hi" }, silent.ctx));
    expect(nothing.message).toMatch(/^The message was not sent to \+14155550142 \(Messages gave no answer\)/);
  });

  it("refuses a recipient that is not a number or address before running anything", async () => {
    const { system, ctx } = messages();
    const error = await failure(sendSms({ recipients: ["+14155550142", "Sid Mehta"], message: "Hi" }, ctx));
    expect(error.code).toBe("wrong-kind");
    expect(error.message).toBe(
      '"Sid Mehta" is not a phone number or email address, so Messages cannot send to it. Look the number up first with get_phone_number.',
    );
    const two = await failure(sendSms({ recipients: ["Sid", "$1"], message: "Hi" }, ctx));
    expect(two.message).toMatch(
      /^"Sid", "\$1" are not phone numbers or email addresses, so Messages cannot send to them\./,
    );
    const nobody = await failure(sendSms({ recipients: [], message: "Hi" }, ctx));
    expect(nobody.message).toMatch(/^The message has no recipients\./);
    expect(system.scripts).toEqual([]);
    expect(system.urls).toEqual([]);
  });

  it("validates recipients in draft-only mode too", async () => {
    const { system, ctx } = messages({ draftOnly: true });
    expect((await failure(sendSms({ recipients: ["Sid"], message: "Hi" }, ctx))).code).toBe("wrong-kind");
    expect(system.urls).toEqual([]);
  });

  it("names the Automation pane when controlling Messages is not allowed", async () => {
    const system = new FakeSystem({
      script: (app, script) => {
        throw scriptError(app, "execution error: Not authorized to send Apple events to Messages. (-1743)", {
          kind: "applescript",
          script,
          argv: [],
        });
      },
    });
    const error = await failure(
      sendSms({ recipients: ["+14155550142"], message: "Hi" }, fakeContext(system)),
    );
    expect(error.code).toBe("permission");
    expect(error.settings).toEqual(SETTINGS.automation);
    expect(error.message).toContain("not allowed to control Messages");
  });
});
