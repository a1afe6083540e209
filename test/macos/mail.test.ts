import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Choice } from "../../src/tools/backend";
import {
  composeEmailScript,
  draftForward,
  draftNewEmail,
  draftReply,
  emailWriterInput,
  forwardEmailScript,
  parseSelectedEmails,
  replyEmailScript,
  selectedEmailsScript,
  tidyText,
  type ForwardDraft,
  type NewDraft,
} from "../../src/tools/macos/mail";
import type { TextWriter } from "../../src/tools/macos/mac-context";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { fakeContext, FakeSystem } from "./fake-system";

const HOME = "/Users/sam";
const DECK = "/Users/sam/Documents/Q3 deck.key";

const NEW_DRAFT: NewDraft = {
  recipients: ["sid@example.com", "lutfi@example.com"],
  cc: ["boss@example.com"],
  subject: "Q3 deck",
  body: "Hi both,\n\nHere is the deck.",
  attachments: [DECK],
};

const FORWARD: ForwardDraft = {
  messageId: "4242",
  recipients: ["sid@example.com"],
  cc: ["boss@example.com"],
  body: "FYI",
  attachments: [DECK],
};

describe("Mail scripts (golden)", () => {
  it("composes a visible draft with recipients, body and attachments", () => {
    expect(composeEmailScript(NEW_DRAFT)).toMatchInlineSnapshot(`
      "set theFiles to {}
      repeat with thePath in {"/Users/sam/Documents/Q3 deck.key"}
        set end of theFiles to (POSIX file (contents of thePath)) as alias
      end repeat
      tell application "Mail"
        set theDraft to make new outgoing message with properties {subject:"Q3 deck", content:("Hi both," & (character id 10) & (character id 10) & "Here is the deck."), visible:true}
        tell theDraft
          repeat with theAddress in {"sid@example.com", "lutfi@example.com"}
            make new to recipient at end of to recipients with properties {address:(contents of theAddress)}
          end repeat
          repeat with theAddress in {"boss@example.com"}
            make new cc recipient at end of cc recipients with properties {address:(contents of theAddress)}
          end repeat
        end tell
        repeat with theFile in theFiles
          tell content of theDraft to make new attachment with properties {file name:(contents of theFile)} at after the last paragraph
        end repeat
        activate
      end tell"
    `);
  });

  it("lists the selected emails", () => {
    expect(selectedEmailsScript()).toMatchInlineSnapshot(`
      "on clean(theText)
        if theText is missing value then return ""
        set AppleScript's text item delimiters to {character id 30, character id 31}
        set theParts to text items of (theText as text)
        set AppleScript's text item delimiters to " "
        set theText to theParts as text
        set AppleScript's text item delimiters to ""
        return theText
      end clean

      tell application "Mail"
        set theOutput to ""
        repeat with theMessage in (get selection)
          set theOutput to theOutput & ((id of theMessage) as text) & (character id 31) & my clean(sender of theMessage) & (character id 31) & my clean(subject of theMessage) & (character id 30)
        end repeat
        return theOutput
      end tell"
    `);
  });

  it("replies to the chosen selected email", () => {
    expect(
      replyEmailScript({ messageId: "4242", cc: ["boss@example.com"], body: "Thanks!", attachments: [] }),
    ).toMatchInlineSnapshot(`
      "on clean(theText)
        if theText is missing value then return ""
        set AppleScript's text item delimiters to {character id 30, character id 31}
        set theParts to text items of (theText as text)
        set AppleScript's text item delimiters to " "
        set theText to theParts as text
        set AppleScript's text item delimiters to ""
        return theText
      end clean

      on quotedLines(theText)
        set theQuote to ""
        repeat with theLine in paragraphs of theText
          set theQuote to theQuote & "> " & theLine & linefeed
        end repeat
        return theQuote
      end quotedLines

      set theBody to "Thanks!"
      set theFiles to {}
      repeat with thePath in {}
        set end of theFiles to (POSIX file (contents of thePath)) as alias
      end repeat
      tell application "Mail"
        set theOriginal to missing value
        repeat with theCandidate in (get selection)
          if ((id of theCandidate) as text) is "4242" then set theOriginal to contents of theCandidate
        end repeat
        if theOriginal is missing value then return "changed"
        set theDraft to reply theOriginal opening window yes
        delay 1
        if theBody is not "" then
          set theHeader to "On " & ((date received of theOriginal) as text) & ", " & (sender of theOriginal) & " wrote:"
          set content of theDraft to theBody & linefeed & linefeed & theHeader & linefeed & my quotedLines((content of theOriginal) as text)
        end if
        tell theDraft
          repeat with theAddress in {"boss@example.com"}
            make new cc recipient at end of cc recipients with properties {address:(contents of theAddress)}
          end repeat
        end tell
        repeat with theFile in theFiles
          tell content of theDraft to make new attachment with properties {file name:(contents of theFile)} at after the last paragraph
        end repeat
        activate
        set theStatus to "done"
        set theRecipients to {}
        repeat with theRecipient in to recipients of theDraft
          set end of theRecipients to address of theRecipient
        end repeat
        set AppleScript's text item delimiters to ", "
        set theTo to theRecipients as text
        set AppleScript's text item delimiters to ""
        return theStatus & (character id 31) & my clean(theTo) & (character id 31) & my clean(subject of theDraft)
      end tell"
    `);
  });

  it("forwards the chosen selected email", () => {
    expect(forwardEmailScript(FORWARD)).toMatchInlineSnapshot(`
      "on clean(theText)
        if theText is missing value then return ""
        set AppleScript's text item delimiters to {character id 30, character id 31}
        set theParts to text items of (theText as text)
        set AppleScript's text item delimiters to " "
        set theText to theParts as text
        set AppleScript's text item delimiters to ""
        return theText
      end clean

      set theBody to "FYI"
      set theFiles to {}
      repeat with thePath in {"/Users/sam/Documents/Q3 deck.key"}
        set end of theFiles to (POSIX file (contents of thePath)) as alias
      end repeat
      tell application "Mail"
        set theOriginal to missing value
        repeat with theCandidate in (get selection)
          if ((id of theCandidate) as text) is "4242" then set theOriginal to contents of theCandidate
        end repeat
        if theOriginal is missing value then return "changed"
        set theDraft to forward theOriginal opening window yes
        delay 1
        set theStatus to "done"
        if theBody is not "" then
          if (count of mail attachments of theOriginal) is 0 then
            set theHeader to "Begin forwarded message:" & linefeed & linefeed & "From: " & (sender of theOriginal) & linefeed & "Subject: " & (subject of theOriginal) & linefeed & "Date: " & ((date received of theOriginal) as text)
            set content of theDraft to theBody & linefeed & linefeed & theHeader & linefeed & linefeed & ((content of theOriginal) as text)
          else
            set theStatus to "kept"
          end if
        end if
        tell theDraft
          repeat with theAddress in {"sid@example.com"}
            make new to recipient at end of to recipients with properties {address:(contents of theAddress)}
          end repeat
          repeat with theAddress in {"boss@example.com"}
            make new cc recipient at end of cc recipients with properties {address:(contents of theAddress)}
          end repeat
        end tell
        repeat with theFile in theFiles
          tell content of theDraft to make new attachment with properties {file name:(contents of theFile)} at after the last paragraph
        end repeat
        activate
        set theRecipients to {}
        repeat with theRecipient in to recipients of theDraft
          set end of theRecipients to address of theRecipient
        end repeat
        set AppleScript's text item delimiters to ", "
        set theTo to theRecipients as text
        set AppleScript's text item delimiters to ""
        return theStatus & (character id 31) & my clean(theTo) & (character id 31) & my clean(subject of theDraft)
      end tell"
    `);
  });
});

// -------------------------------------------------------------------------------------------------------
// Injection fuzz: every text that reaches a script comes back out of it exactly, and the script around it
// never changes.

const MARK = "benign text";

type Builder = (text: string) => string;

/** Each text input of each builder, with the marker in that one place. */
const BUILDERS: Record<string, Builder> = {
  "compose recipient": (t) => composeEmailScript({ ...NEW_DRAFT, recipients: ["a@example.com", t] }),
  "compose cc": (t) => composeEmailScript({ ...NEW_DRAFT, cc: [t] }),
  "compose subject": (t) => composeEmailScript({ ...NEW_DRAFT, subject: t }),
  "compose body": (t) => composeEmailScript({ ...NEW_DRAFT, body: t }),
  "compose attachment": (t) => composeEmailScript({ ...NEW_DRAFT, attachments: [t, DECK] }),
  "reply message id": (t) => replyEmailScript({ ...FORWARD, messageId: t }),
  "reply cc": (t) => replyEmailScript({ ...FORWARD, cc: [t] }),
  "reply body": (t) => replyEmailScript({ ...FORWARD, body: t }),
  "reply attachment": (t) => replyEmailScript({ ...FORWARD, attachments: [t] }),
  "forward message id": (t) => forwardEmailScript({ ...FORWARD, messageId: t }),
  "forward recipient": (t) => forwardEmailScript({ ...FORWARD, recipients: [t] }),
  "forward cc": (t) => forwardEmailScript({ ...FORWARD, cc: ["x@example.com", t] }),
  "forward body": (t) => forwardEmailScript({ ...FORWARD, body: t }),
  "forward attachment": (t) => forwardEmailScript({ ...FORWARD, attachments: [t] }),
};

function checkBuilder(build: Builder, text: string): void {
  const benign = decodeScript(build(MARK));
  expect(benign.texts.filter((t) => t === MARK)).toHaveLength(1);
  const decoded = decodeScript(build(text));
  expect(decoded.skeleton).toBe(benign.skeleton);
  expect(decoded.texts).toEqual(benign.texts.map((t) => (t === MARK ? text : t)));
}

describe("Mail scripts keep every text as data (fuzz)", () => {
  const cases = Object.keys(BUILDERS).flatMap((name) =>
    ADVERSARIAL_TEXTS.map((text) => [name, JSON.stringify(text).slice(0, 50), text] as const),
  );
  it.each(cases)("%s: %s", (name, _, text) => checkBuilder(BUILDERS[name]!, text));

  it.each(Object.keys(BUILDERS))("%s: any text (property)", (name) => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: "binary", maxLength: 60 }),
          fc.string({ unit: "grapheme", maxLength: 30 }),
        ),
        (text) => checkBuilder(BUILDERS[name]!, text),
      ),
      { numRuns: 300, seed: 7 },
    );
  });

  it("keeps the subject exactly as given through the action", async () => {
    for (const subject of ADVERSARIAL_TEXTS) {
      const system = new FakeSystem();
      await draftNewEmail(
        { recipients: ["a@example.com"], cc: [], subject, context: "Hello", attachments: [] },
        fakeContext(system),
        HOME,
      );
      expect(decodeScript(system.scripts[0]!.script).texts).toContain(subject);
    }
  });
});

// -------------------------------------------------------------------------------------------------------

/** A fake Mac: the files that exist, what Mail's selection holds, and what the draft script answers. */
function mailMac(
  options: {
    files?: Record<string, "Regular File" | "Directory">;
    selection?: string;
    draft?: string;
    choose?: (choice: Choice) => string | undefined;
    writer?: TextWriter;
  } = {},
) {
  const system = new FakeSystem({
    exec: (file, argv) => {
      const kind = options.files?.[argv.at(-1)!];
      if (file !== "/usr/bin/stat" || kind === undefined) {
        throw new ToolError("failed", "/usr/bin/stat failed: No such file or directory");
      }
      return `${kind}\n`;
    },
    script: (_, script) =>
      script.includes("theOutput") ? (options.selection ?? "") : (options.draft ?? `done${FIELD}${FIELD}`),
  });
  const ctx = fakeContext(system, options.choose ? { choose: options.choose } : {});
  if (options.writer) ctx.writer = options.writer;
  return { system, ctx };
}

const email = (id: string, sender: string, subject: string) => [id, sender, subject].join(FIELD) + RECORD;
const SID_EMAIL = email("4242", "Sid Mehta <sid@example.com>", "Q3 numbers");
const LUTFI_EMAIL = email("77", "lutfi@example.com", "Lunch?");

describe("compose_new_email", () => {
  it("checks attachments, then opens the draft and says it is not sent", async () => {
    const { system, ctx } = mailMac({ files: { [DECK]: "Regular File" } });
    const observation = await draftNewEmail(
      {
        recipients: ["sid@example.com", " lutfi@example.com ", ""],
        cc: ["boss@example.com"],
        subject: "Q3 deck",
        context: "  Hi both,\r\n\r\n\r\nHere is the deck.   \n",
        attachments: ["~/Documents/Q3 deck.key"],
      },
      ctx,
      HOME,
    );
    expect(observation).toBe(
      'Opened a draft to sid@example.com, lutfi@example.com, cc boss@example.com with the subject "Q3 deck", with Q3 deck.key attached. It is not sent: review it in Mail, then send it.',
    );
    expect(system.commands).toEqual([{ file: "/usr/bin/stat", argv: ["-L", "-f", "%HT", "--", DECK] }]);
    expect(system.scripts).toEqual([{ app: "Mail", script: composeEmailScript(NEW_DRAFT) }]);
  });

  it("drafts only to email addresses: a name, a file or a link fails before Mail is touched", async () => {
    for (const [recipients, cc, said] of [
      [["Sid"], [], '"Sid" is not an email address (recipients)'],
      [["sid@example.com"], ["not an address", "/Users/sam/Q3.pdf"], "are not email addresses (cc)"],
      [["https://zoom.us/j/123"], [], '"https://zoom.us/j/123" is not an email address'],
    ] as const) {
      const { system, ctx } = mailMac();
      const args = {
        recipients: [...recipients],
        cc: [...cc],
        subject: "Hi",
        context: "hi",
        attachments: [],
      };
      const error = (await draftNewEmail(args, ctx, HOME).catch((e: unknown) => e)) as ToolError;
      expect(error).toBeInstanceOf(ToolError);
      expect(error.message).toContain(said);
      expect(error.message).toContain("get_email_address");
      expect(system.scripts).toEqual([]);
    }
  });

  it("has the local model write the body from the person's words when one is loaded", async () => {
    const calls: [string, string][] = [];
    const writer: TextWriter = {
      write: async (task, input) => {
        calls.push([task, input]);
        return "Hi Sid,\n\nThe deck is attached.\n\nBest";
      },
    };
    const { system, ctx } = mailMac({ writer });
    await draftNewEmail(
      {
        recipients: ["sid@example.com"],
        cc: [],
        subject: "Deck",
        context: "send sid the deck",
        attachments: [],
      },
      ctx,
      HOME,
    );
    expect(calls).toEqual([
      ["email-body", "To: sid@example.com\nSubject: Deck\nWhat to say: send sid the deck"],
    ]);
    expect(decodeScript(system.scripts[0]!.script).texts).toContain(
      "Hi Sid,\n\nThe deck is attached.\n\nBest",
    );
  });

  it("uses the person's words when the model fails, and asks no model for an empty body", async () => {
    let calls = 0;
    const failing: TextWriter = {
      write: async () => {
        calls++;
        throw new Error("model crashed");
      },
    };
    const { system, ctx } = mailMac({ writer: failing });
    const args = {
      recipients: ["a@example.com"],
      cc: [],
      subject: "S",
      context: "Call me.",
      attachments: [],
    };
    await draftNewEmail(args, ctx, HOME);
    await draftNewEmail({ ...args, context: "  " }, ctx, HOME);
    expect(calls).toBe(1);
    expect(decodeScript(system.scripts[0]!.script).texts).toContain("Call me.");
    expect(system.scripts[1]!.script).toContain('content:""');
  });

  it("refuses missing, relative and folder attachments before touching Mail", async () => {
    const { system, ctx } = mailMac({ files: { "/Users/sam/Photos": "Directory" } });
    const base = { recipients: ["a@example.com"], cc: [], subject: "S", context: "x" };
    await expect(
      draftNewEmail({ ...base, attachments: ["/Users/sam/nope.pdf"] }, ctx, HOME),
    ).rejects.toMatchObject({
      code: "not-found",
      message: "Cannot attach /Users/sam/nope.pdf: no such file. Find it first with open_and_get_file_path.",
    });
    await expect(draftNewEmail({ ...base, attachments: ["report.pdf"] }, ctx, HOME)).rejects.toMatchObject({
      code: "not-found",
      message:
        'Cannot attach "report.pdf": not a full path. Find the file first with open_and_get_file_path.',
    });
    await expect(
      draftNewEmail({ ...base, attachments: ["/Users/sam/Photos"] }, ctx, HOME),
    ).rejects.toMatchObject({
      code: "failed",
      message:
        "Cannot attach /Users/sam/Photos: it is a folder. Attach the files inside it, or compress the folder first.",
    });
    expect(system.scripts).toEqual([]);
  });

  it("names the setting to change when Mail may not be controlled", async () => {
    const system = new FakeSystem({
      script: (app, script) => {
        throw scriptError(app, "execution error: Not authorized to send Apple events to Mail. (-1743)", {
          kind: "applescript",
          script,
          argv: [],
        });
      },
    });
    const error = await draftNewEmail(
      { recipients: ["a@example.com"], cc: [], subject: "S", context: "x", attachments: [] },
      fakeContext(system),
      HOME,
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).code).toBe("permission");
    expect((error as ToolError).settings).toEqual(SETTINGS.automation);
    expect((error as ToolError).message).toContain("not allowed to control Mail");
  });
});

describe("reply_to_email", () => {
  it("replies to the one selected email and reports the draft Mail made", async () => {
    const { system, ctx } = mailMac({
      selection: SID_EMAIL,
      draft: ["done", "sid@example.com", "Re: Q3 numbers"].join(FIELD),
    });
    const observation = await draftReply(
      { cc: ["boss@example.com"], context: "Thanks, looks good!", attachments: [] },
      ctx,
      HOME,
    );
    expect(observation).toBe(
      'Opened a draft to sid@example.com, cc boss@example.com with the subject "Re: Q3 numbers". It is not sent: review it in Mail, then send it.',
    );
    expect(system.scripts.map((s) => s.script)).toEqual([
      selectedEmailsScript(),
      replyEmailScript({
        messageId: "4242",
        cc: ["boss@example.com"],
        body: "Thanks, looks good!",
        attachments: [],
      }),
    ]);
  });

  it("gives the model the email being answered", async () => {
    const calls: [string, string][] = [];
    const writer: TextWriter = {
      write: async (task, input) => {
        calls.push([task, input]);
        return "Sounds good.";
      },
    };
    const { ctx } = mailMac({ selection: SID_EMAIL, writer });
    await draftReply({ cc: [], context: "say yes", attachments: [] }, ctx, HOME);
    expect(calls).toEqual([
      ["reply-body", "Replying to: Sid Mehta <sid@example.com>\nSubject: Q3 numbers\nWhat to say: say yes"],
    ]);
  });

  it("says so when no email is selected", async () => {
    const { system, ctx } = mailMac({ selection: "" });
    await expect(draftReply({ cc: [], context: "x", attachments: [] }, ctx, HOME)).rejects.toMatchObject({
      code: "no-selection",
      message: "No email is selected in Mail. Select the message in Mail, then try again.",
    });
    expect(system.scripts).toHaveLength(1);
  });

  it("asks which email when several are selected", async () => {
    const { system, ctx } = mailMac({ selection: SID_EMAIL + LUTFI_EMAIL, choose: () => "77" });
    await draftReply({ cc: [], context: "Sure!", attachments: [] }, ctx, HOME);
    expect(ctx.choices).toEqual([
      {
        question: "2 emails are selected in Mail. Which one should I reply to?",
        options: [
          { label: "Q3 numbers", value: "4242", detail: "Sid Mehta <sid@example.com>" },
          { label: "Lunch?", value: "77", detail: "lutfi@example.com" },
        ],
      },
    ]);
    expect(decodeScript(system.scripts[1]!.script).texts).toContain("77");
  });

  it("fails listing the emails when no one chooses, without making a draft", async () => {
    const { system, ctx } = mailMac({ selection: SID_EMAIL + LUTFI_EMAIL, choose: () => "9999" });
    await expect(draftReply({ cc: [], context: "x", attachments: [] }, ctx, HOME)).rejects.toMatchObject({
      code: "ambiguous",
      message:
        '2 emails are selected in Mail: "Q3 numbers" from Sid Mehta <sid@example.com>; "Lunch?" from lutfi@example.com. Select only the one to reply to, then try again.',
    });
    expect(system.scripts).toHaveLength(1);
  });

  it("stops when the selection changed before the draft was made", async () => {
    const { ctx } = mailMac({ selection: SID_EMAIL, draft: "changed" });
    await expect(draftReply({ cc: [], context: "x", attachments: [] }, ctx, HOME)).rejects.toMatchObject({
      code: "no-selection",
    });
  });
});

describe("forward_email", () => {
  it("forwards the selected email with attachments", async () => {
    const { system, ctx } = mailMac({
      files: { [DECK]: "Regular File" },
      selection: SID_EMAIL,
      draft: ["done", "sid@example.com", "Fwd: Q3 numbers"].join(FIELD),
    });
    const observation = await draftForward(
      { recipients: ["sid@example.com"], cc: ["boss@example.com"], context: "FYI", attachments: [DECK] },
      ctx,
      HOME,
    );
    expect(observation).toBe(
      'Opened a draft to sid@example.com, cc boss@example.com with the subject "Fwd: Q3 numbers", with Q3 deck.key attached. It is not sent: review it in Mail, then send it.',
    );
    expect(system.scripts[1]!.script).toBe(forwardEmailScript(FORWARD));
  });

  it("tells the person to type the note when it would have dropped the email's attachments", async () => {
    const { ctx } = mailMac({
      selection: SID_EMAIL,
      draft: ["kept", "sid@example.com", "Fwd: Q3 numbers"].join(FIELD),
    });
    const observation = await draftForward(
      { recipients: ["sid@example.com"], cc: [], context: "See the figures.", attachments: [] },
      ctx,
      HOME,
    );
    expect(observation).toBe(
      'Opened a draft to sid@example.com with the subject "Fwd: Q3 numbers". It is not sent: review it in Mail, then send it. Your note was not added, to keep the forwarded email\'s attachments: type it above the forwarded text. It read: "See the figures."',
    );
  });

  it("uses the subject Mail would give when the draft does not report one", async () => {
    const { ctx } = mailMac({ selection: LUTFI_EMAIL, draft: `done${FIELD}${FIELD}` });
    await expect(
      draftForward({ recipients: [], cc: [], context: "", attachments: [] }, ctx, HOME),
    ).resolves.toBe(
      'Opened a draft with the subject "Fwd: Lunch?". It is not sent: review it in Mail, then send it.',
    );
  });
});

describe("helpers", () => {
  it("reads selected emails and skips malformed records", () => {
    expect(parseSelectedEmails(`${SID_EMAIL}junk${RECORD}x${FIELD}y${FIELD}z${RECORD}\n`)).toEqual([
      { id: "4242", sender: "Sid Mehta <sid@example.com>", subject: "Q3 numbers" },
    ]);
    expect(parseSelectedEmails("")).toEqual([]);
  });

  it("tidies the person's words without changing them", () => {
    expect(tidyText("  a  \r\n\r\n\r\n\r\nb\t\n")).toBe("a\n\nb");
    expect(tidyText('keep "quotes" and  inner  spaces')).toBe('keep "quotes" and  inner  spaces');
  });

  it("gives the writer only the facts that are set", () => {
    expect(emailWriterInput({ To: "a", Cc: "", Subject: "S" }, "hi")).toBe(
      "To: a\nSubject: S\nWhat to say: hi",
    );
  });
});
