import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { executePlan } from "../../src/agent/executor/executor";
import type { ExecutorEvent } from "../../src/agent/executor/events";
import { checkPlan } from "../../src/agent/plan/check";
import { streamSteps } from "../../src/agent/plan/stream-steps";
import { PlannerError, type PlanningRun, type PlanRequest } from "../../src/agent/planner/planner";
import { ServerPlanner, type ServerPlannerOptions } from "../../src/agent/planner/server-planner";
import { buildPrompt } from "../../src/agent/prompt/build-prompt";
import { textWriterFor } from "../../src/agent/text-writer";
import { RecordingBackend } from "../../src/tools/recording/recording-backend";
import { defaultRegistry } from "../../src/tools/registry";

// The plan the fake server "writes". Multi-byte characters on purpose: "é" is 2 bytes in UTF-8, "☕" 3, "🎉" 4.
const PLAN = [
  '1. get_email_address("Sid")',
  '2. compose_new_email(["$1"], [], "Café plans ☕", "Hi Sid, the café on Rue Saint-Honoré opens at 9 🎉", [])',
  "3. join()",
].join("\n");

const TOOLS = defaultRegistry.subset(["get_email_address", "compose_new_email"]).tools;

function planRequest(overrides: Partial<PlanRequest> = {}): PlanRequest {
  const prompt = buildPrompt({
    tools: TOOLS,
    request: "Email Sid about café plans",
    now: new Date("2025-06-10T09:00:00Z"),
    timeZone: "Europe/Paris",
  });
  return { prompt, tools: TOOLS, maxTokens: 256, ...overrides };
}

// ---------------------------------------------------------------------------------------------------------
// A real HTTP server on loopback that answers like Ollama's OpenAI-compatible endpoint.

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown> | undefined;
}

type Handler = (req: IncomingMessage, res: ServerResponse, received: Received) => Promise<void> | void;

class FakeServer {
  readonly received: Received[] = [];
  /** Set when the handler returned: everything it meant to write is written. */
  finishedWriting = false;
  /** Resolves when a response's connection closed before the handler finished writing. */
  readonly closedEarly = deferred();

  private constructor(
    private readonly server: Server,
    private readonly handler: Handler,
  ) {}

  static async start(handler: Handler): Promise<FakeServer> {
    const server = createServer();
    const fake = new FakeServer(server, handler);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    servers.push(fake);
    return fake;
  }

  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  get last(): Received {
    const last = this.received.at(-1);
    if (!last) throw new Error("the server received no request");
    return last;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const text = await readBody(req);
    const received: Received = {
      method: req.method ?? "",
      url: req.url ?? "",
      headers: req.headers,
      body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
    };
    this.received.push(received);
    let closed = false;
    res.on("close", () => {
      closed = true;
      if (!this.finishedWriting) this.closedEarly.resolve();
    });
    try {
      await this.handler(req, res, received);
      if (!closed) this.finishedWriting = true;
      res.end();
    } catch {
      res.destroy();
    }
  }
}

const servers: FakeServer[] = [];
const planners: ServerPlanner[] = [];

afterEach(async () => {
  await Promise.all(planners.splice(0).map((planner) => planner.dispose()));
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

function plannerFor(server: FakeServer | string, options: Partial<ServerPlannerOptions> = {}): ServerPlanner {
  const baseUrl = typeof server === "string" ? server : server.url;
  const planner = new ServerPlanner({ baseUrl, model: "tinyagent:1.1b", ...options });
  planners.push(planner);
  return planner;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on("data", (part: Buffer) => parts.push(part));
    req.on("end", () => resolve(Buffer.concat(parts).toString("utf8")));
    req.on("error", reject);
  });
}

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------
// What Ollama's /v1/chat/completions stream looks like.

let chunkId = 0;

function chunk(
  content: string,
  finishReason: string | null = null,
  extra: Record<string, unknown> = {},
): string {
  const body = {
    id: `chatcmpl-${++chunkId}`,
    object: "chat.completion.chunk",
    created: 1_749_546_000,
    model: "tinyagent:1.1b",
    system_fingerprint: "fp_ollama",
    choices: [{ index: 0, delta: { role: "assistant", content }, finish_reason: finishReason }],
    ...extra,
  };
  return `data: ${JSON.stringify(body)}\n\n`;
}

const DONE = "data: [DONE]\n\n";

/** Text cut into token-sized pieces (whole characters, as a server's tokens decode to). */
function tokens(text: string, size = 4): string[] {
  const characters = Array.from(text);
  const pieces: string[] = [];
  for (let i = 0; i < characters.length; i += size) pieces.push(characters.slice(i, i + size).join(""));
  return pieces;
}

/** The events for some text, ending (when `final`) with the finish chunk, usage, and [DONE]. */
function events(text: string, final?: { finishReason?: string; usage?: Record<string, number> }): string {
  const body = tokens(text)
    .map((piece) => chunk(piece))
    .join("");
  if (!final) return body;
  const usage = final.usage ? { usage: final.usage } : {};
  return body + chunk("", final.finishReason ?? "stop", usage) + DONE;
}

/**
 * Writes SSE text as bytes in irregular pieces, with a short pause between writes, cutting lines in the
 * middle and every multi-byte UTF-8 character between its first and second byte.
 */
async function writeSplit(res: ServerResponse, sse: string): Promise<void> {
  const bytes = Buffer.from(sse, "utf8");
  let start = 0;
  for (const cut of [...splitPoints(bytes), bytes.length]) {
    res.write(bytes.subarray(start, cut));
    start = cut;
    await pause(1);
  }
}

/** How many of writeSplit's cuts fall inside a UTF-8 character: the test shows it exercised them. */
function midCharacterCuts(sse: string): number {
  const bytes = Buffer.from(sse, "utf8");
  return splitPoints(bytes).filter((cut) => isContinuationByte(bytes[cut])).length;
}

function splitPoints(bytes: Buffer): number[] {
  const cuts = new Set<number>();
  for (let i = 61; i < bytes.length; i += 61) cuts.add(i);
  for (let i = 1; i < bytes.length; i++)
    if (isContinuationByte(bytes[i]) && !isContinuationByte(bytes[i - 1])) cuts.add(i);
  return [...cuts].sort((a, b) => a - b);
}

function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0b1100_0000) === 0b1000_0000;
}

function streamHeaders(res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
}

async function collect(run: PlanningRun): Promise<string[]> {
  const chunks: string[] = [];
  for await (const piece of run.text) chunks.push(piece);
  return chunks;
}

async function failure(run: PlanningRun): Promise<PlannerError> {
  const fromText = await collect(run).then(
    () => undefined,
    (error: unknown) => error,
  );
  const fromDone = await run.done.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(fromDone).toBeInstanceOf(PlannerError);
  expect(fromText, "the text iterable ends with the same error").toBe(fromDone);
  return fromDone as PlannerError;
}

// ---------------------------------------------------------------------------------------------------------

describe("ServerPlanner: streaming a plan from an OpenAI-compatible server", () => {
  it("returns exactly the served text, even with lines and UTF-8 characters split across writes", async () => {
    const sse = events(PLAN, { usage: { prompt_tokens: 812, completion_tokens: 41 } });
    const server = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      await writeSplit(res, sse);
    });
    const run = plannerFor(server).plan(planRequest());

    const chunks = await collect(run);
    const stats = await run.done;

    expect(chunks.join("")).toBe(PLAN);
    expect(chunks.length).toBeGreaterThan(5);
    expect(midCharacterCuts(sse), "the test cuts characters in the middle").toBeGreaterThanOrEqual(5);
    expect(stats).toMatchObject({
      promptTokens: 812,
      evaluatedTokens: 812,
      generatedTokens: 41,
      stopReason: "end-of-plan",
    });
    expect(stats.firstChunkMs).toBeGreaterThan(0);
    expect(stats.totalMs).toBeGreaterThanOrEqual(stats.firstChunkMs);
  });

  it("hands over the first chunk before the server has written the rest", async () => {
    const gate = deferred();
    const server = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      res.write(events("1. get_email_address("));
      await gate.promise;
      res.write(events('"Sid")\n2. join()', { finishReason: "stop" }));
    });
    const run = plannerFor(server).plan(planRequest());
    const iterator = run.text[Symbol.asyncIterator]();

    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(server.finishedWriting).toBe(false);
    gate.resolve();

    let text = first.value as string;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) text += next.value;
    expect(text).toBe('1. get_email_address("Sid")\n2. join()');
    expect((await run.done).stopReason).toBe("end-of-plan");
  });

  it("sends the prompt, the stop marker, the grammar and the model", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(events("1. join()", { finishReason: "stop" }));
    });
    const request = planRequest();
    await plannerFor(server).plan(request).done;

    const { method, url, headers, body } = server.last;
    expect(method).toBe("POST");
    expect(url).toBe("/v1/chat/completions");
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["authorization"]).toBeUndefined();
    expect(body).toMatchObject({
      model: "tinyagent:1.1b",
      messages: [
        { role: "system", content: request.prompt.system },
        { role: "user", content: "Question: Email Sid about café plans" },
      ],
      stream: true,
      temperature: 0,
      max_tokens: 256,
      stop: ["<END_OF_PLAN>"],
    });
    expect(body?.["grammar"]).toEqual(expect.stringContaining("root ::= "));
    expect(body?.["grammar"]).toEqual(expect.stringContaining("compose_new_email("));
  });

  it("leaves the grammar and the model out when told to, and normalizes a base URL ending in /v1", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(events("1. join()", { finishReason: "stop" }));
    });
    const planner = plannerFor(`${server.url}/v1/`, {
      sendGrammar: false,
      model: undefined,
      apiKey: "sk-local",
    });
    await planner.plan(planRequest({ maxTokens: undefined })).done;

    const { url, headers, body } = server.last;
    expect(url).toBe("/v1/chat/completions");
    expect(headers["authorization"]).toBe("Bearer sk-local");
    expect(body).not.toHaveProperty("grammar");
    expect(body).not.toHaveProperty("model");
    expect(body?.["max_tokens"]).toBe(1024);
  });

  it("reports max-tokens, llama.cpp's evaluated-token count, and ignores comments, other fields and CRLF", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(": keepalive\r\n\r\n");
      res.write("event: message\r\nid: 7\r\n");
      res.write(chunk("1. get_email_address(").replace(/\n/g, "\r\n"));
      res.write(
        chunk("", "length", {
          timings: { prompt_n: 35 },
          usage: { prompt_tokens: 900, completion_tokens: 256 },
        }),
      );
      res.write(DONE);
    });
    const run = plannerFor(server).plan(planRequest());

    expect((await collect(run)).join("")).toBe("1. get_email_address(");
    expect(await run.done).toMatchObject({
      promptTokens: 900,
      evaluatedTokens: 35,
      generatedTokens: 256,
      stopReason: "max-tokens",
    });
  });

  it("cuts the text at <END_OF_PLAN> when the server does not stop there itself, and hangs up", async () => {
    const server = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      res.write(chunk('1. get_email_address("Sid")\n2. join()<END_'));
      res.write(chunk("OF_PLAN>\n3. create_note("));
      // A server that ignores `stop` would go on writing; this one waits until the client leaves.
      await server.closedEarly.promise;
    });
    const run = plannerFor(server).plan(planRequest());

    expect((await collect(run)).join("")).toBe('1. get_email_address("Sid")\n2. join()');
    expect((await run.done).stopReason).toBe("end-of-plan");
    await server.closedEarly.promise;
  });

  it("takes a whole JSON answer from a server that does not stream", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(
        JSON.stringify({
          choices: [
            { index: 0, message: { role: "assistant", content: "1. join()" }, finish_reason: "stop" },
          ],
          usage: { prompt_tokens: 500, completion_tokens: 4 },
        }),
      );
    });
    const run = plannerFor(server).plan(planRequest());

    expect((await collect(run)).join("")).toBe("1. join()");
    expect(await run.done).toMatchObject({
      promptTokens: 500,
      generatedTokens: 4,
      stopReason: "end-of-plan",
    });
  });

  it("lists the server's models", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.write(
        JSON.stringify({
          object: "list",
          data: [
            { id: "tinyagent:1.1b", object: "model", owned_by: "library" },
            { id: "llama3.2:3b", object: "model", owned_by: "library" },
          ],
        }),
      );
    });
    expect(await plannerFor(server).listModels()).toEqual(["tinyagent:1.1b", "llama3.2:3b"]);
    expect(server.last).toMatchObject({ method: "GET", url: "/v1/models" });
  });
});

describe("ServerPlanner: cancelling", () => {
  /** A server that writes the first line and then holds the stream open until the client leaves. */
  async function holdingServer(): Promise<FakeServer> {
    const server: FakeServer = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      res.write(events('1. get_email_address("Sid")\n'));
      await server.closedEarly.promise;
    });
    return server;
  }

  it("an abort mid-stream closes the connection, ends the text and resolves with stopReason aborted", async () => {
    const server = await holdingServer();
    const controller = new AbortController();
    const run = plannerFor(server).plan(planRequest({ signal: controller.signal }));
    const iterator = run.text[Symbol.asyncIterator]();

    expect((await iterator.next()).done).toBe(false);
    controller.abort();

    for (let next = await iterator.next(); !next.done; next = await iterator.next());
    const stats = await run.done;
    expect(stats.stopReason).toBe("aborted");
    expect(stats.firstChunkMs).toBeGreaterThan(0);
    await server.closedEarly.promise;
    expect(server.finishedWriting).toBe(false);
  });

  it("an already aborted signal sends no request at all", async () => {
    const server = await holdingServer();
    const run = plannerFor(server).plan(planRequest({ signal: AbortSignal.abort() }));

    expect(await collect(run)).toEqual([]);
    expect((await run.done).stopReason).toBe("aborted");
    expect(server.received).toHaveLength(0);
  });

  it("dispose() aborts the requests under way", async () => {
    const server = await holdingServer();
    const planner = plannerFor(server);
    const run = planner.plan(planRequest());
    const iterator = run.text[Symbol.asyncIterator]();

    expect((await iterator.next()).done).toBe(false);
    await planner.dispose();

    expect((await run.done).stopReason).toBe("aborted");
    await server.closedEarly.promise;
  });
});

describe("ServerPlanner: failures say what to do", () => {
  it("connection refused", async () => {
    const server = await FakeServer.start(() => undefined);
    const url = server.url;
    await server.close();

    const error = await failure(plannerFor(url).plan(planRequest()));
    expect(error.code).toBe("server-unreachable");
    expect(error.message).toBe(
      `No planner server answers at ${url}. Start it (for Ollama: \`ollama serve\`) or change the server URL.`,
    );
  });

  it("a model the server does not have (Ollama's 404)", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(404, { "content-type": "application/json" });
      res.write(JSON.stringify({ error: 'model "tinyagent:7b" not found, try pulling it first' }));
    });
    const error = await failure(plannerFor(server, { model: "tinyagent:7b" }).plan(planRequest()));

    expect(error.code).toBe("model-missing");
    expect(error.message).toContain('model "tinyagent:7b" not found, try pulling it first');
    expect(error.message).toContain("`ollama pull tinyagent:7b`");
  });

  it("a URL that is not an OpenAI-compatible API (404 without a model)", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.write("404 page not found");
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("HTTP 404: 404 page not found");
    expect(error.message).toContain("Check the server URL");
  });

  it("a missing or wrong API key (401)", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.write(JSON.stringify({ error: { message: "Invalid API key", type: "invalid_request_error" } }));
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("HTTP 401: Invalid API key");
    expect(error.message).toContain("API key");
  });

  it("a server error (500)", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.write(JSON.stringify({ error: "llama runner process has terminated: signal: killed" }));
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("HTTP 500: llama runner process has terminated: signal: killed");
    expect(error.message).toContain("Check the server's log");
  });

  it("a malformed stream", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(chunk("1. get_"));
      res.write('data: {"choices": [{"delta": {"content": "email\n\n');
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("cannot read");
    expect(error.message).toContain("OpenAI-compatible server");
  });

  it("an error reported inside the stream", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(chunk("1. get_"));
      res.write(`data: ${JSON.stringify({ error: { message: "out of memory", type: "server_error" } })}\n\n`);
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("out of memory");
  });

  it("a stream that ends before the plan does", async () => {
    const server = await FakeServer.start((_req, res) => {
      streamHeaders(res);
      res.write(chunk("1. get_"));
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("before the plan was finished");
  });

  it("a connection that breaks mid-stream", async () => {
    const server = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      res.write(chunk("1. get_"));
      await pause(5);
      throw new Error("crash"); // the fake server destroys the socket
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("broke before the plan was finished");
  });

  it("a web page instead of an API", async () => {
    const server = await FakeServer.start((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.write("<html><body>Router login</body></html>");
    });
    const error = await failure(plannerFor(server).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("text/html");
  });

  it("a server that never answers", async () => {
    const server = await FakeServer.start(() => server.closedEarly.promise);
    const error = await failure(plannerFor(server, { timeoutMs: 150 }).plan(planRequest()));

    expect(error.code).toBe("server-error");
    expect(error.message).toContain("did not answer for 150 ms");
    await server.closedEarly.promise;
  });

  it("a URL that is not one", () => {
    expect(() => new ServerPlanner({ baseUrl: "ftp://example.com" })).toThrow(PlannerError);
    expect(new ServerPlanner({ baseUrl: "localhost:11434/" }).origin).toBe("http://localhost:11434");
  });
});

describe("ServerPlanner: writing text for actions", () => {
  it("writes with the server's model, without the plan grammar, and says why when it cannot", async () => {
    const server = await FakeServer.start((_req, res, received) => {
      if (received.body?.["max_tokens"] === 7) {
        res.writeHead(500, { "content-type": "application/json" });
        res.write(JSON.stringify({ error: "out of memory" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.write(
        JSON.stringify({ choices: [{ index: 0, message: { content: " Hi Sid, the launch moved. " } }] }),
      );
    });
    const planner = plannerFor(server);
    const writer = textWriterFor(planner);
    expect(writer).toBeDefined();
    const body = await writer!.write("email-body", "the launch moved", new AbortController().signal);
    expect(body).toBe("Hi Sid, the launch moved.");
    expect(server.last.body).toMatchObject({ model: "tinyagent:1.1b", stream: false });
    expect(server.last.body?.["grammar"]).toBeUndefined();
    expect(JSON.stringify(server.last.body?.["messages"])).toContain("the launch moved");
    const error = (await planner.writeText("x", { maxTokens: 7 }).catch((e: unknown) => e)) as PlannerError;
    expect(error).toBeInstanceOf(PlannerError);
    expect(error.message).toContain("out of memory");
  });
});

describe("ServerPlanner: split points", () => {
  /** A fetch that answers with the given byte chunks, so every split reaches the decoder exactly as cut. */
  function fetchOf(parts: Uint8Array[]): typeof fetch {
    return async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of parts) controller.enqueue(part);
            controller.close();
          },
        }),
        { headers: { "content-type": "text/event-stream" } },
      );
  }

  it("gives the same text for a stream cut at every byte", async () => {
    const text = '1. compose_new_email([], [], "Café ☕", "🎉 <END_ is not the end", [])\n2. join()';
    // Minimal events keep the stream short: every one of its bytes is a separate run.
    const event = (content: string, finish: string | null = null) =>
      `data: ${JSON.stringify({ choices: [{ delta: { content }, finish_reason: finish }] })}\r\n\r\n`;
    const bytes = new TextEncoder().encode(
      tokens(text, 6)
        .map((piece) => event(piece))
        .join("") + event("", "stop"),
    );
    const request: PlanRequest = { prompt: { system: "plan", user: "Question: ?" }, tools: TOOLS };
    const plannerOf = (parts: Uint8Array[]) =>
      new ServerPlanner({ baseUrl: "http://planner.invalid", sendGrammar: false, fetch: fetchOf(parts) });
    for (let cut = 1; cut < bytes.length; cut++) {
      const run = plannerOf([bytes.subarray(0, cut), bytes.subarray(cut)]).plan(request);
      const got = (await collect(run)).join("");
      if (got !== text) expect.fail(`cut at byte ${cut}: ${JSON.stringify(got)}`);
      expect((await run.done).stopReason).toBe("end-of-plan");
    }
    const oneByteAtATime = Array.from(bytes, (byte) => Uint8Array.of(byte));
    const run = plannerOf(oneByteAtATime).plan(request);
    expect((await collect(run)).join("")).toBe(text);
  });
});

describe("ServerPlanner end to end: streamed plan → streamSteps → executePlan", () => {
  it("finishes step 1 before the server has sent the last line", async () => {
    const stepOneDone = deferred();
    let serverDoneAtStepOne: boolean | undefined;
    const [firstLine, ...rest] = PLAN.split("\n");
    const server = await FakeServer.start(async (_req, res) => {
      streamHeaders(res);
      await writeSplit(res, events(`${firstLine}\n`));
      // The rest of the plan waits until the executor has finished step 1 from the first line alone.
      await stepOneDone.promise;
      await writeSplit(
        res,
        events(rest.join("\n"), { usage: { prompt_tokens: 700, completion_tokens: 60 } }),
      );
    });

    const run = plannerFor(server).plan(planRequest());
    const received: string[] = [];
    async function* recorded(): AsyncGenerator<string> {
      for await (const piece of run.text) {
        received.push(piece);
        yield piece;
      }
    }
    const backend = new RecordingBackend({ latencyMs: 1 });
    const events_: ExecutorEvent[] = [];
    const result = await executePlan(streamSteps(recorded()), {
      backend,
      confirm: async () => ({ decision: "approve" }),
      onEvent: (event) => {
        events_.push(event);
        if (event.type === "done" && event.step.index === 1) {
          serverDoneAtStepOne = server.finishedWriting;
          stepOneDone.resolve();
        }
      },
    });

    expect(serverDoneAtStepOne).toBe(false);
    expect(result.cancelled).toBe(false);
    expect(result.outcomes.map((o) => [o.step.index, o.status])).toEqual([
      [1, "done"],
      [2, "done"],
    ]);
    expect(backend.calls.map((call) => call.tool)).toEqual(["get_email_address", "compose_new_email"]);
    expect(backend.calls[1]?.args).toMatchObject({
      recipients: ["sid.mehta@example.com"],
      subject: "Café plans ☕",
      context: "Hi Sid, the café on Rue Saint-Honoré opens at 9 🎉",
    });
    expect(received.join("")).toBe(PLAN);
    expect(checkPlan(received.join(""), defaultRegistry).valid).toBe(true);
    expect(await run.done).toMatchObject({
      promptTokens: 700,
      generatedTokens: 60,
      stopReason: "end-of-plan",
    });
  });
});
