import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Choice } from "../../src/tools/backend";
import {
  cleanLabel,
  contactQuery,
  findContactsScript,
  foldName,
  getEmailAddress,
  getPhoneNumber,
  MAX_CANDIDATES,
  parseContactRecords,
  type ContactField,
} from "../../src/tools/macos/contacts";
import { FIELD, RECORD, scriptError, SETTINGS } from "../../src/tools/macos/osascript";
import { ToolError } from "../../src/tools/tool-error";
import { ADVERSARIAL_TEXTS, decodeScript } from "./applescript-decoder";
import { fakeContext, FakeSystem } from "./fake-system";

/** One person as the lookup script prints them: id, name, first, last, nickname, then label/value pairs. */
function person(
  id: string,
  name: string,
  first: string,
  last: string,
  nickname: string,
  ...values: [label: string, value: string][]
): string {
  return [id, name, first, last, nickname, ...values.flat()].join(FIELD) + RECORD;
}

const SID = person("p-sid", "Sid Mehta", "Sid", "Mehta", "", ["_$!<Work>!$_", "sid.mehta@example.com"]);
const SIDNEY = person("p-sidney", "Sidney Park", "Sidney", "Park", "", [
  "_$!<Home>!$_",
  "sidney@example.net",
]);
const ALEX_CHEN = person("p-chen", "Alex Chen", "Alex", "Chen", "", [
  "_$!<Work>!$_",
  "alex.chen@example.com",
]);
const ALEX_RIVERA = person("p-rivera", "Alex Rivera", "Alex", "Rivera", "", [
  "_$!<Home>!$_",
  "arivera@example.net",
]);
const MAGGIE = person(
  "p-maggie",
  "Margaret O'Brien",
  "Margaret",
  "O'Brien",
  "Maggie",
  ["_$!<Work>!$_", "maggie.obrien@example.com"],
  ["_$!<Home>!$_", "maggie@obrien.example.org"],
);
const KENJI = person("p-kenji", "Kenji Sato", "Kenji", "Sato", "");
const JOSE = person("p-jose", "José Núñez", "José", "Núñez", "", ["_$!<Mobile>!$_", "+34 600 555 010"]);

/** A fake Mac whose Contacts prints `output` for any lookup. */
function contacts(output: string, choose?: (choice: Choice) => string | undefined) {
  const system = new FakeSystem({ script: () => output });
  const ctx = fakeContext(system, choose ? { choose } : {});
  return { system, ctx };
}

async function failure(promise: Promise<unknown>): Promise<ToolError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ToolError);
  return error as ToolError;
}

describe("the Contacts lookup script (golden)", () => {
  it("looks up emails of people named Sid", () => {
    expect(findContactsScript("Sid", "email")).toBe(`set wanted to "Sid"
set fieldSeparator to character id 31
set recordSeparator to character id 30
set output to ""
tell application "Contacts"
  ignoring case and diacriticals
    set found to every person whose name contains wanted or nickname contains wanted or first name is wanted or last name is wanted
  end ignoring
  repeat with personRef in found
    set p to contents of personRef
    set output to output & my textOf(id of p) & fieldSeparator & my textOf(name of p) & fieldSeparator & my textOf(first name of p) & fieldSeparator & my textOf(last name of p) & fieldSeparator & my textOf(nickname of p)
    repeat with itemRef in emails of p
      set output to output & fieldSeparator & my textOf(label of itemRef) & fieldSeparator & my textOf(value of itemRef)
    end repeat
    set output to output & recordSeparator
  end repeat
end tell
return output

on textOf(theValue)
  if theValue is missing value then return ""
  return theValue as text
end textOf`);
  });

  it("reads phones instead of emails for a phone lookup, and nothing else changes", () => {
    const email = findContactsScript('O\'Brien "Maggie"', "email");
    const phone = findContactsScript('O\'Brien "Maggie"', "phone");
    expect(phone).toBe(email.replace("in emails of p", "in phones of p"));
    expect(phone).toContain('set wanted to "O\'Brien \\"Maggie\\""');
  });

  it("is what the actions run, with the name trimmed", async () => {
    const { system, ctx } = contacts(SID);
    await getEmailAddress({ name: "  Sid \n Mehta " }, ctx);
    expect(system.scripts).toEqual([{ app: "Contacts", script: findContactsScript("Sid Mehta", "email") }]);
    expect(ctx.invocations).toEqual([
      { kind: "applescript", script: findContactsScript("Sid Mehta", "email"), argv: [] },
    ]);
    const phone = contacts(JOSE);
    await getPhoneNumber({ name: "José" }, phone.ctx);
    expect(phone.system.scripts).toEqual([{ app: "Contacts", script: findContactsScript("José", "phone") }]);
  });
});

describe("the Contacts lookup script keeps any name as data (injection fuzz)", () => {
  const FIELDS: ContactField[] = ["email", "phone"];

  for (const field of FIELDS) {
    const benign = decodeScript(findContactsScript("Sid", field));
    const expectSafe = (script: string, text: string) => {
      const decoded = decodeScript(script);
      expect(decoded.skeleton).toBe(benign.skeleton);
      expect(decoded.texts).toEqual([text, ...benign.texts.slice(1)]);
    };

    it.each(ADVERSARIAL_TEXTS.map((text) => [JSON.stringify(text).slice(0, 50), text]))(
      `${field}: %s`,
      (_, text) => expectSafe(findContactsScript(text, field), text),
    );

    it(`${field}: any string (property)`, () => {
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ unit: "binary", maxLength: 60 }),
            fc.string({ unit: "grapheme", maxLength: 30 }),
          ),
          (text) => expectSafe(findContactsScript(text, field), text),
        ),
        { numRuns: 400, seed: 31 },
      );
    });
  }

  it("the actions send exactly the trimmed name, whatever it holds", async () => {
    const names = [
      ...ADVERSARIAL_TEXTS,
      ...fc.sample(fc.string({ unit: "grapheme", maxLength: 30 }), { numRuns: 300, seed: 7 }),
    ];
    for (const name of names) {
      for (const action of [getEmailAddress, getPhoneNumber]) {
        const { system, ctx } = contacts("");
        const error = await failure(action({ name }, ctx));
        const query = contactQuery(name);
        if (query === "") {
          expect(error.code).toBe("failed");
          expect(system.scripts).toEqual([]);
          continue;
        }
        expect(error.code).toBe("not-found");
        const decoded = decodeScript(system.scripts[0]!.script);
        expect(decoded.skeleton).toBe(
          decodeScript(findContactsScript("Sid", action === getEmailAddress ? "email" : "phone")).skeleton,
        );
        expect(decoded.texts[0]).toBe(query);
      }
    }
  });
});

describe("reading Contacts' answer", () => {
  it("parses people with labelled values, cleaning Contacts' built-in labels", () => {
    expect(parseContactRecords(MAGGIE + KENJI)).toEqual([
      {
        id: "p-maggie",
        name: "Margaret O'Brien",
        firstName: "Margaret",
        lastName: "O'Brien",
        nickname: "Maggie",
        values: [
          { label: "work", value: "maggie.obrien@example.com" },
          { label: "home", value: "maggie@obrien.example.org" },
        ],
      },
      { id: "p-kenji", name: "Kenji Sato", firstName: "Kenji", lastName: "Sato", nickname: "", values: [] },
    ]);
  });

  it("skips truncated records and empty values", () => {
    const truncated = ["p-x", "X"].join(FIELD) + RECORD;
    const blank = person("p-b", "Bo Li", "Bo", "Li", "", ["_$!<Work>!$_", "  "]);
    expect(parseContactRecords(truncated + blank)).toEqual([
      { id: "p-b", name: "Bo Li", firstName: "Bo", lastName: "Li", nickname: "", values: [] },
    ]);
    expect(parseContactRecords("")).toEqual([]);
  });

  it("turns Contacts' label codes into words and keeps custom labels", () => {
    expect(cleanLabel("_$!<Work>!$_")).toBe("work");
    expect(cleanLabel("_$!<Mobile>!$_")).toBe("mobile");
    expect(cleanLabel("_$!<HomeFAX>!$_")).toBe("home fax");
    expect(cleanLabel("iPhone")).toBe("iPhone");
    expect(cleanLabel("Gym <front desk>")).toBe("Gym <front desk>");
    expect(cleanLabel("")).toBe("");
  });

  it("compares names without case, accents or extra spaces", () => {
    expect(foldName("  JOSÉ   Núñez ")).toBe("jose nunez");
    expect(foldName("Ｓｉｄ")).toBe("sid");
  });
});

describe("get_email_address and get_phone_number", () => {
  it("returns the only address of the only match, and nothing else", async () => {
    const { ctx } = contacts(SID);
    await expect(getEmailAddress({ name: "Sid" }, ctx)).resolves.toHaveProperty(
      "observation",
      "sid.mehta@example.com",
    );
    expect(ctx.choices).toEqual([]);
  });

  it("prefers an exact name to partial matches", async () => {
    const { ctx } = contacts(SIDNEY + SID);
    await expect(getEmailAddress({ name: "sid" }, ctx)).resolves.toHaveProperty(
      "observation",
      "sid.mehta@example.com",
    );
    expect(ctx.choices).toEqual([]);
  });

  it("matches first, last, full name and nickname exactly, ignoring case and accents", async () => {
    for (const name of ["jose", "NUNEZ", "josé núñez", "Núñez José"]) {
      await expect(getPhoneNumber({ name }, contacts(JOSE + ALEX_CHEN).ctx)).resolves.toHaveProperty(
        "observation",
        "+34 600 555 010",
      );
    }
    const maggie = contacts(MAGGIE + SID, () => "maggie.obrien@example.com");
    // Looked up by nickname, named by the full name Contacts has.
    await expect(getEmailAddress({ name: "maggie" }, maggie.ctx)).resolves.toEqual({
      observation: "maggie.obrien@example.com",
      about: "Margaret O'Brien's work email, from Contacts",
    });
  });

  it("asks which person when several match, showing each one's first address", async () => {
    const { ctx } = contacts(ALEX_CHEN + ALEX_RIVERA, () => "p-rivera");
    await expect(getEmailAddress({ name: "Alex" }, ctx)).resolves.toHaveProperty(
      "observation",
      "arivera@example.net",
    );
    expect(ctx.choices).toEqual([
      {
        question: 'Several contacts match "Alex". Which one?',
        options: [
          { label: "Alex Chen", value: "p-chen", detail: "alex.chen@example.com" },
          { label: "Alex Rivera", value: "p-rivera", detail: "arivera@example.net" },
        ],
      },
    ]);
  });

  it("offers partial matches when nothing matches exactly", async () => {
    const { ctx } = contacts(ALEX_CHEN + ALEX_RIVERA + KENJI, () => "p-chen");
    await expect(getEmailAddress({ name: "ale" }, ctx)).resolves.toHaveProperty(
      "observation",
      "alex.chen@example.com",
    );
    expect(ctx.choices[0]!.options.map((o) => o.label)).toEqual(["Alex Chen", "Alex Rivera"]);
  });

  it("never matches inside a word: 'Ana' is not Kenji Watanabe, 'Tan' is not Stanley", async () => {
    const watanabe = person("p-w", "Kenji Watanabe", "Kenji", "Watanabe", "", ["", "+81 90 5555 0101"]);
    const stanley = person("p-s", "Stanley Okafor", "Stanley", "Okafor", "", ["", "+1 415 555 0177"]);
    for (const name of ["Ana", "Tan"]) {
      const { ctx } = contacts(watanabe + stanley, () => "p-w");
      const error = await failure(getPhoneNumber({ name }, ctx));
      expect(error.code).toBe("not-found");
      expect(ctx.choices).toEqual([]);
    }
  });

  it("asks before taking the one contact whose name only begins with the query", async () => {
    const { ctx } = contacts(SIDNEY, () => "p-sidney");
    await expect(getEmailAddress({ name: "Sid" }, ctx)).resolves.toHaveProperty(
      "observation",
      "sidney@example.net",
    );
    expect(ctx.choices[0]!.question).toBe('No contact is named "Sid". Did you mean Sidney Park?');
    const declined = contacts(SIDNEY, () => undefined);
    const error = await failure(getEmailAddress({ name: "Sid" }, declined.ctx));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      'No contact is named "Sid"; the closest is Sidney Park. Give the full name to use it.',
    );
  });

  it("takes a unique whole-word match without asking: a middle name, a hyphenated part", async () => {
    const maryAnn = person("p-ma", "Mary Ann Smith", "Mary Ann", "Smith", "", ["", "mas@example.com"]);
    const meiLing = person("p-ml", "Mei-Ling Chen", "Mei-Ling", "Chen", "", ["", "mlc@example.com"]);
    for (const [name, email] of [
      ["Ann", "mas@example.com"],
      ["Ling", "mlc@example.com"],
    ] as const) {
      const { ctx } = contacts(maryAnn + meiLing);
      await expect(getEmailAddress({ name }, ctx)).resolves.toHaveProperty("observation", email);
      expect(ctx.choices).toEqual([]);
    }
  });

  it("says 'no email address' in a candidate without one", async () => {
    const { ctx } = contacts(KENJI + person("p-k2", "Kenji Ito", "Kenji", "Ito", ""), () => undefined);
    await failure(getEmailAddress({ name: "Kenji" }, ctx));
    expect(ctx.choices[0]!.options.map((o) => o.detail)).toEqual(["no email address", "no email address"]);
  });

  it("fails as ambiguous, naming the candidates, when the person does not choose", async () => {
    const { ctx } = contacts(ALEX_CHEN + ALEX_RIVERA, () => undefined);
    const error = await failure(getEmailAddress({ name: "Alex" }, ctx));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      'Several contacts match "Alex": Alex Chen, Alex Rivera. Say which one you mean.',
    );
  });

  it("does not take an answer that was not offered", async () => {
    const { ctx } = contacts(ALEX_CHEN + ALEX_RIVERA, () => "p-somebody-else");
    expect((await failure(getEmailAddress({ name: "Alex" }, ctx))).code).toBe("ambiguous");
  });

  it("asks for more of the name instead of offering a huge list", async () => {
    const many = Array.from({ length: MAX_CANDIDATES + 5 }, (_, i) =>
      person(`p-${i}`, `Anna Smith${i}`, "Anna", `Smith${i}`, "", ["", `anna${i}@example.com`]),
    ).join("");
    const { ctx } = contacts(many, () => "p-1");
    const error = await failure(getEmailAddress({ name: "Ann" }, ctx));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toMatch(
      /^35 contacts match "Ann", for example Anna Smith0, .* and 25 more\. Give more of the name\.$/,
    );
    expect(ctx.choices).toEqual([]);
  });

  it("treats the same card linked from two accounts as one person", async () => {
    const { ctx } = contacts(SID + SID.replace("p-sid", "p-sid-google"));
    await expect(getEmailAddress({ name: "Sid Mehta" }, ctx)).resolves.toHaveProperty(
      "observation",
      "sid.mehta@example.com",
    );
    expect(ctx.choices).toEqual([]);
  });

  it("says what to do when nobody matches", async () => {
    for (const [output, name] of [
      ["", "Zed"],
      [ALEX_CHEN, "Zed"], // Contacts matched on something the name check does not accept
    ] as const) {
      const error = await failure(getEmailAddress({ name }, contacts(output).ctx));
      expect(error.code).toBe("not-found");
      expect(error.message).toBe(
        'No contact named "Zed" in Contacts. Check the spelling, or give their email address.',
      );
    }
    const phone = await failure(getPhoneNumber({ name: "Zed" }, contacts("").ctx));
    expect(phone.message).toBe(
      'No contact named "Zed" in Contacts. Check the spelling, or give their phone number.',
    );
  });

  it("asks which address when the person has several, with their labels", async () => {
    const { ctx } = contacts(MAGGIE, () => "maggie@obrien.example.org");
    // The chosen address says whose it is and which of hers, for the confirmation of the step using it.
    await expect(getEmailAddress({ name: "Margaret O'Brien" }, ctx)).resolves.toEqual({
      observation: "maggie@obrien.example.org",
      about: "Margaret O'Brien's home email, from Contacts",
    });
    expect(ctx.choices).toEqual([
      {
        question: "Margaret O'Brien has several email addresses. Which one?",
        options: [
          { label: "maggie.obrien@example.com", value: "maggie.obrien@example.com", detail: "work" },
          { label: "maggie@obrien.example.org", value: "maggie@obrien.example.org", detail: "home" },
        ],
      },
    ]);
  });

  it("fails as ambiguous, listing the addresses, when no address is chosen", async () => {
    const error = await failure(getEmailAddress({ name: "Maggie" }, contacts(MAGGIE, () => undefined).ctx));
    expect(error.code).toBe("ambiguous");
    expect(error.message).toBe(
      "Margaret O'Brien has several email addresses: maggie.obrien@example.com (work), maggie@obrien.example.org (home). Say which one to use.",
    );
  });

  it("counts a number saved twice in different formats once", async () => {
    const lutfi = person(
      "p-lutfi",
      "Lutfi Demir",
      "Lutfi",
      "Demir",
      "",
      ["iPhone", "+1 (510) 555-0199"],
      ["_$!<Mobile>!$_", "+15105550199"],
    );
    const { ctx } = contacts(lutfi);
    await expect(getPhoneNumber({ name: "Lutfi" }, ctx)).resolves.toHaveProperty(
      "observation",
      "+1 (510) 555-0199",
    );
    expect(ctx.choices).toEqual([]);
  });

  it("says so when the person has no address or number", async () => {
    const error = await failure(getEmailAddress({ name: "Kenji" }, contacts(KENJI).ctx));
    expect(error.code).toBe("not-found");
    expect(error.message).toBe(
      "Kenji Sato has no email address in Contacts. Add one in Contacts, or give the email address directly.",
    );
    const phone = await failure(getPhoneNumber({ name: "Kenji" }, contacts(KENJI).ctx));
    expect(phone.message).toMatch(/^Kenji Sato has no phone number in Contacts\./);
  });

  it("runs nothing for a blank name", async () => {
    const { system, ctx } = contacts(SID);
    const error = await failure(getEmailAddress({ name: " \t " }, ctx));
    expect(error.code).toBe("failed");
    expect(system.scripts).toEqual([]);
  });
});

describe("Contacts permissions", () => {
  const refusing = (stderr: string) => {
    const system = new FakeSystem({
      script: (app, script) => {
        throw scriptError(app, stderr, { kind: "applescript", script, argv: [] });
      },
    });
    return fakeContext(system);
  };

  it("names the Automation pane when controlling Contacts is not allowed", async () => {
    const error = await failure(
      getEmailAddress(
        { name: "Sid" },
        refusing("execution error: Not authorized to send Apple events to Contacts. (-1743)"),
      ),
    );
    expect(error.code).toBe("permission");
    expect(error.settings).toEqual(SETTINGS.automation);
    expect(error.message).toBe(
      "TinyAgent may not read your contacts. Allow Raycast (or your terminal) in System Settings › Privacy & Security › Automation, and check Privacy & Security › Contacts too, then try again.",
    );
    expect(error.invocations).toEqual([
      { kind: "applescript", script: findContactsScript("Sid", "email"), argv: [] },
    ]);
  });

  it("names the Contacts pane when Contacts refuses its data", async () => {
    for (const stderr of [
      "execution error: Contacts got an error: Access not allowed. (-10000)",
      "execution error: Contacts got an error: Access not allowed. (-1723)",
    ]) {
      const error = await failure(getPhoneNumber({ name: "Sid" }, refusing(stderr)));
      expect(error.code).toBe("permission");
      expect(error.settings).toEqual(SETTINGS.contacts);
      expect(error.message).toMatch(
        /System Settings › Privacy & Security › Contacts, and check .* Automation too/,
      );
    }
  });

  it("passes other errors on unchanged", async () => {
    const error = await failure(
      getEmailAddress({ name: "Sid" }, refusing("execution error: Contacts is not running. (-600)")),
    );
    expect(error.code).toBe("unavailable");
    const slow = await failure(
      getEmailAddress({ name: "Sid" }, refusing("execution error: timed out. (-1712)")),
    );
    expect(slow.code).toBe("timeout");
  });
});
