import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ToolClassifier } from "../../src/agent/toolrag/classifier";
import { requestClauses } from "../../src/agent/toolrag/clauses";
import { ToolRag } from "../../src/agent/toolrag/tool-rag";
import { defaultRegistry } from "../../src/tools/registry";

describe("the parts of a request", () => {
  it("splits at sentence ends, dashes, commas and joining words", () => {
    expect(
      requestClauses("email Gwen the slides, text her a heads up and remind me friday to follow up"),
    ).toEqual(["email Gwen the slides", "text her a heads up", "remind me friday to follow up"]);
    expect(requestClauses("Busy day. Zoom with Ana at 3 — then put it on my calendar")).toEqual([
      "Busy day",
      "Zoom with Ana at 3",
      "put it on my calendar",
    ]);
  });

  it("has no parts for a request of one part, and drops one-word pieces", () => {
    expect(requestClauses("text Sid that I'm late")).toEqual([]);
    expect(requestClauses("text Sid and Lutfi")).toEqual([]);
    expect(requestClauses("")).toEqual([]);
  });

  it("scores at most eight parts of a pasted paragraph", () => {
    const paragraph = Array.from({ length: 50 }, (_, i) => `remind me about item ${i}`).join(". ");
    expect(requestClauses(paragraph)).toHaveLength(8);
  });
});

describe("Tool RAG on requests of several parts", () => {
  let classifier: ToolClassifier;
  let rag: ToolRag;
  const floor = { minProbability: 0.3 };

  beforeAll(async () => {
    classifier = await ToolClassifier.load();
    rag = new ToolRag({ classifier, registry: defaultRegistry });
  });

  afterAll(async () => {
    await classifier.dispose();
  });

  const names = async (request: string, options = floor) =>
    (await rag.select(request, options)).map((tool) => tool.name);

  it("offers, for the whole request, every tool a part is offered on its own", async () => {
    const parts = [
      "email the signed permission slip to Mr. Okonkwo",
      "send my husband a text that it's done",
      "remind me thursday to send $15 for the field trip",
      "add the florist quote to my Wedding note",
      "zoom with Priya friday at 3",
    ];
    for (let i = 0; i < parts.length; i++)
      for (let j = 0; j < parts.length; j++) {
        if (i === j) continue;
        const request = `${parts[i]!}, and ${parts[j]!}`;
        const whole = await names(request);
        // Each part's tools over the floor (not its best-tool fallback) are the whole request's too.
        for (const part of [parts[i]!, parts[j]!]) {
          const scores = (await rag.selection(part, floor)).scores;
          const sure = (await names(part)).filter((tool) => scores[tool]! >= 0.3);
          expect(whole, `${part} in ${request}`).toEqual(expect.arrayContaining(sure));
        }
      }
  });

  it("still turns away a request no tool serves, whatever its parts", async () => {
    expect(await names("what's the weather in Paris tomorrow, and play some jazz", {} as never)).toEqual([]);
  });
});
