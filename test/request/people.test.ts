import { describe, expect, it } from "vitest";
import { personCandidates, personMentions } from "../../src/agent/request/people";

describe("the people a request names", () => {
  it("finds capitalized names, in order, each once, without possessives", () => {
    expect(personCandidates("text Sid and Lutfi that Ravi's deck is late, and tell Sid too")).toEqual([
      "Sid",
      "Lutfi",
      "Ravi",
    ]);
  });

  it("keeps full names, titles and particles together", () => {
    expect(personCandidates("email Mei-Ling Chen and Dr. Osei about Aoife van der Berg's visit")).toEqual([
      "Mei-Ling Chen",
      "Dr. Osei",
      "Aoife van der Berg",
    ]);
  });

  it("reads lower-case names after words that introduce people, and along a list", () => {
    expect(personCandidates("fw to olu pls")).toEqual(["olu"]);
    expect(personCandidates("forward the email to joão, lukas and avery")).toEqual([
      "joão",
      "lukas",
      "avery",
    ]);
    expect(personCandidates("text tane beaumont that we moved")).toEqual(["tane beaumont"]);
  });

  it("offers roles in any case, apart from the person they introduce", () => {
    expect(personCandidates("text mom and my boss Chidi")).toEqual(["mom", "boss", "Chidi"]);
  });

  it("leaves out common words, days, months and the sentence's own capitals", () => {
    expect(personCandidates("Please email the report tomorrow at 3pm")).toEqual([]);
    expect(personCandidates("Text him on Friday in June")).toEqual([]);
    expect(personCandidates("")).toEqual([]);
  });

  it("does not run a lower-case name into a capitalized word or a name into a typo", () => {
    expect(personCandidates("Mail Moana coyp of my policy")).toEqual(["Moana"]);
    expect(personCandidates("zoom and invte Priya")).toEqual(["invte", "Priya"]);
  });

  it("copes with punctuation, emoji, right-to-left text and shouting", () => {
    expect(personCandidates('send "Zeynep" a text 🎉 and cc (Björn)!')).toEqual(["Zeynep", "Björn"]);
    expect(personCandidates("text سارة that we landed")).toEqual(["سارة"]);
    expect(personCandidates("KAVYA WU'S PHONE NUMBER")).toContain("KAVYA WU");
  });
});

describe("who a request sends to", () => {
  const recipients = (request: string) =>
    personMentions(request)
      .filter((mention) => mention.recipient)
      .map((mention) => mention.name);

  it("marks the people a message goes to, and not the people it talks about", () => {
    expect(recipients("text Sid and Lutfi that Ravi's deck is late")).toEqual(["Sid", "Lutfi"]);
    expect(recipients("reply to Sarah's email and cc her manager Priyanka")).toEqual(["Priyanka"]);
    expect(recipients("forward the email from Imran to Freddie")).toEqual(["Freddie"]);
    expect(recipients("remind me to buy a card for Jordan")).toEqual([]);
  });

  it("sends to the person a role introduces, not to the role", () => {
    expect(personMentions("email my boss Chidi that I'm sick")).toEqual([
      { name: "boss", recipient: false },
      { name: "Chidi", recipient: true, group: 1, detail: "email-address", reaches: ["email-address"] },
    ]);
    expect(recipients("draft an email to the landlord about the heater")).toEqual(["landlord"]);
  });

  it("follows lists, descriptions and addresses", () => {
    expect(recipients("book a review w/ the interns Aroha and Tane on the 3rd")).toEqual(["Aroha", "Tane"]);
    expect(recipients("email DeShawn Mwangi, Minjun and my sister the plan")).toEqual([
      "DeShawn Mwangi",
      "Minjun",
      "sister",
    ]);
    expect(recipients("email to mason@fable.es & søren: please review")).toEqual(["søren"]);
  });

  it("groups the recipients named together, one list per message", () => {
    const groups = (request: string) => personMentions(request).map((mention) => mention.group);
    expect(groups("email Sid, Lutfi and Nadia asking for their availability")).toEqual([1, 1, 1]);
    expect(groups("email Zawadi and let Mustafa know by text")).toEqual([1, 2]);
    expect(groups("text Sid and email Lutfi and Ana that the demo moved")).toEqual([1, 2, 2]);
    expect(groups("get me Ravi's and Inês's numbers")).toEqual([1, 1]);
    expect(groups("reply to Sarah's email and cc Priyanka")).toEqual([undefined, 1]);
  });

  it("tells the recipient from the person whose details are passed on", () => {
    expect(personMentions("send Ana Sid's number")).toEqual([
      { name: "Ana", recipient: true, group: 1 },
      {
        name: "Sid",
        recipient: true,
        group: 2,
        asked: true,
        detail: "phone-number",
        reaches: ["phone-number"],
      },
    ]);
    expect(recipients("text kofi Lena's email and then call her")).toEqual(["kofi", "Lena"]);
    // A full name whose number goes to someone named later stays one person.
    expect(recipients("text Ana Lopez's number to Bo")).toEqual(["Ana Lopez", "Bo"]);
    expect(recipients("send me Ana Lopez's number")).toContain("Ana Lopez");
  });

  it("knows every channel the request reaches each person by, pronouns after a sending verb included", () => {
    const reaches = (request: string) =>
      Object.fromEntries(personMentions(request).map((mention) => [mention.name, mention.reaches ?? []]));
    expect(reaches("text my landlord Mr. Greene, email him the photo water_heater.jpg too")).toEqual({
      landlord: [],
      "Mr. Greene": ["phone-number", "email-address"],
    });
    expect(
      reaches(
        "text Dario and Camila that we open at 11, put a staff meeting at 10 on the calendar, invite them both",
      ),
    ).toEqual({
      Dario: ["phone-number", "email-address"],
      Camila: ["phone-number", "email-address"],
    });
    expect(reaches("Coach Rivera needs the roster, email it to him, then text him that it's sent")).toEqual({
      "Coach Rivera": ["email-address", "phone-number"],
    });
    // A call with someone, a call to make or a message to be reminded of sends them nothing.
    expect(reaches("make a zoom w/ Arjun tonight 7pm and text him the link")).toEqual({
      Arjun: ["phone-number"],
    });
    expect(reaches("text Wren that Joe is home, and remind me to call him at 6")).toEqual({
      Wren: ["phone-number"],
      Joe: [],
      me: [],
    });
    expect(reaches("email Ana the deck and remind me to text her tomorrow")).toEqual({
      Ana: ["email-address"],
      me: [],
    });
  });

  it("sends to someone only talked about once a pronoun after a sending verb reaches them", () => {
    expect(
      recipients("my supplier Hector needs our tax id, it's in the W-9 pdf. find it and email it to him pls"),
    ).toEqual(["Hector"]);
    expect(
      recipients("new hire Tamsin starts monday. email her the handbook, text Eddie to set up her laptop"),
    ).toEqual(["Tamsin", "Eddie"]);
    // "her manager" is hers, not her; a day's possessive is nobody.
    expect(recipients("reply to Sarah's email and cc her manager Priyanka")).toEqual(["Priyanka"]);
    expect(recipients("email Gwen the slides from yesterday's offsite, and text her a heads up")).toEqual([
      "Gwen",
    ]);
    // A pronoun stands for the last person sent to, not someone whose thing is named in passing.
    expect(
      recipients("send my sister the recipe pdf for grandma's pierogi by email, text her to check"),
    ).toEqual(["sister"]);
  });

  it("leaves out names that describe a thing or a place", () => {
    const names = (request: string) => personMentions(request).map((mention) => mention.name);
    expect(names("schedule a zoom about the Kessler renewal and email the link to Ana")).toEqual(["Ana"]);
    expect(names("walking directions from the dorm to the Engineering Library, and text Sven")).toEqual([
      "Sven",
    ]);
    expect(names("soccer tournament sat at Cougar Fields, email Coach Brandt")).toEqual(["Coach Brandt"]);
    // People whose name ends like a place, and people after "the" who do something.
    expect(names("text Grace Park that I'm late")).toEqual(["Grace Park"]);
    expect(names("email Dr. Park the scan")).toEqual(["Dr. Park"]);
    expect(names("What's Lieutenant Park's email? I need to send him the schedule")).toEqual([
      "Lieutenant Park",
    ]);
    expect(names("draft an email to the Tanakas thanking them for hosting")).toContain("Tanakas");
    expect(names("text Oma the address, Trattoria Lucca on 3rd Ave, and give me directions")).toEqual([
      "Oma",
    ]);
    expect(names("zoom call with Ana at 3 and send Bo a text")).toEqual(["Ana", "Bo"]);
  });

  it("reads a capitalized word after a verb that reaches someone as a name, and a capitalized role as a title", () => {
    const names = (request: string) => personMentions(request).map((mention) => mention.name);
    expect(names("the ride is saturday 7:30am, text Grant to come along")).toEqual(["Grant"]);
    expect(names("create a zoom meeting 'Quarterly planning' thursday 9-10:30")).toEqual([]);
    expect(names("text Father Michael that we'll bring the candle")).toEqual(["Father Michael"]);
    expect(names("send Grandpa Joe's phone number to my cousin Wren")).toEqual([
      "Grandpa Joe",
      "cousin",
      "Wren",
    ]);
    expect(names("Mom wants the photos, email Dad too")).toEqual(["Mom", "Dad"]);
    expect(names("get Nurse Patty's number and cc my colleague Raj")).toEqual([
      "Nurse Patty",
      "colleague",
      "Raj",
    ]);
  });

  it("knows by which channel the request reaches each person, when its words say", () => {
    const details = (request: string) =>
      Object.fromEntries(personMentions(request).map((mention) => [mention.name, mention.detail]));
    expect(details("email Sid the deck and text Ana that I'm late")).toEqual({
      Sid: "email-address",
      Ana: "phone-number",
    });
    expect(details("email the hotel confirmation to Coach Ferris, text Dana and Luis the address")).toEqual({
      "Coach Ferris": "email-address",
      Dana: "phone-number",
      Luis: "phone-number",
    });
    expect(details("zoom call with Ana at 3 and send Bo a text")).toEqual({
      Ana: "email-address",
      Bo: "phone-number",
    });
    expect(details("forward this message to Gráinne")).toEqual({ Gráinne: "email-address" });
    expect(details("get Ravi's number and Lutfi's email")).toEqual({
      Ravi: "phone-number",
      Lutfi: "email-address",
    });
    const channels = (request: string) =>
      personMentions(request)
        .filter((mention) => mention.recipient)
        .map((mention) => `${mention.name}: ${mention.detail ?? "either"}`);
    expect(
      channels("need the number for Sergeant Cole at the precinct and the email of Officer Diaz"),
    ).toEqual(["Sergeant Cole: phone-number", "Officer Diaz: email-address"]);
    // "them" is the slides, not someone named before.
    expect(
      channels("find the keynote slides and email them to Sandeep, and text Noelle I need a ride"),
    ).toEqual(["Sandeep: email-address", "Noelle: phone-number"]);
    expect(channels("text Mr. Greene, email him the photo")).toEqual(["Mr. Greene: either"]);
  });

  it("holds nobody to one channel when the words reach them by both or do not say", () => {
    const details = (request: string) => personMentions(request).map((mention) => mention.detail);
    // A pronoun may reach the same person by the other channel.
    expect(details("text my landlord Mr. Greene and email him the photo")).toEqual([undefined, undefined]);
    // Named twice, by two channels.
    expect(details("invite Greta and Ollie, and text Ollie the address")).toEqual([
      "email-address",
      undefined,
    ]);
    expect(details("I need Thandiwe's phone and email")).toEqual([undefined]);
    expect(details("tell Sid the game moved")).toEqual([undefined]);
  });

  it("counts people whose contact details are asked for", () => {
    expect(recipients("get me Ravi's and Inês's numbers")).toEqual(["Ravi", "Inês"]);
    expect(recipients("find mei-ling's work email")).toEqual(["mei-ling"]);
    expect(recipients("phone number for Dr. Nguyễn")).toEqual(["Dr. Nguyễn"]);
    expect(recipients("can you find the phone number of Joaquín")).toEqual(["Joaquín"]);
    expect(recipients("a calendar invite for thandiwe wed 4pm")).toEqual(["thandiwe"]);
  });

  it("leaves places and verbs out", () => {
    expect(recipients("put dinner at Zuni Café on my calendar and text Kai")).toEqual(["Kai"]);
    expect(recipients("directions to Tartine and tell Lena I'm close")).toEqual(["Lena"]);
    expect(recipients("text me the address of the Ferry Building")).toEqual(["me"]);
    expect(recipients("i need to redircet this email to yael and isla")).toEqual(["yael", "isla"]);
  });

  it("reads 'to' after whom or when the request said as the start of a verb, not a person", () => {
    expect(recipients("zoom with Aylin monday 10am and remind me friday to finish the agenda")).toEqual([
      "Aylin",
    ]);
    expect(recipients("text Bruno and Tariq to come at 8am")).toEqual(["Bruno", "Tariq"]);
    expect(recipients("email Oksana the summary, then set a reminder to sign by the 20th")).toEqual([
      "Oksana",
    ]);
    expect(recipients("remind me at 4 to submit my report")).toEqual([]);
    expect(recipients("invite Greta and Ollie, and remind me the day before to confirm")).toEqual([
      "Greta",
      "Ollie",
    ]);
    // A person after "to" is still one: by capital, or after a thing sent.
    expect(recipients("remind me friday to Rosa")).toEqual(["Rosa"]);
    expect(recipients("forward the deck to sam")).toEqual(["sam"]);
  });

  it("marks the people whose contact details the request asks for", () => {
    const asked = (request: string) =>
      personMentions(request)
        .filter((mention) => mention.asked)
        .map((mention) => mention.name);
    expect(asked("get Tariq's number and put it in my notes")).toEqual(["Tariq"]);
    expect(asked("what are Sid's and Lutfi's emails")).toEqual(["Sid", "Lutfi"]);
    expect(asked("text Sid that Ravi's deck is late")).toEqual([]);
  });
});
