import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real OpenAI-compatible server on 127.0.0.1 that "plans" by replaying known plans: it reads the
 * question from the user message and streams the plan stored for it in small server-sent events, with
 * token usage at the end, as Ollama or llama.cpp server do. `rewrite` lets a test serve altered plans.
 */
export class ReplayServer {
  /** Prompt token counts sent back, per question, so a test can check the report carries them. */
  readonly promptTokens = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    private readonly plans: ReadonlyMap<string, string>,
    private readonly rewrite: (plan: string) => string,
  ) {}

  static async start(
    plans: ReadonlyMap<string, string>,
    rewrite: (plan: string) => string = (plan) => plan,
  ): Promise<ReplayServer> {
    const server = createServer();
    const replay = new ReplayServer(server, plans, rewrite);
    server.on("request", (req, res) => {
      void replay.answer(req).then(
        (events) => {
          res.writeHead(200, { "content-type": "text/event-stream" });
          for (const event of events) res.write(`data: ${event}\n\n`);
          res.end();
        },
        (error: Error) => {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { message: error.message } }));
        },
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return replay;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async answer(req: IncomingMessage): Promise<string[]> {
    let body = "";
    for await (const chunk of req) body += String(chunk);
    const request = JSON.parse(body) as { messages: { role: string; content: string }[] };
    const system = request.messages.find((m) => m.role === "system")?.content ?? "";
    const user = request.messages.find((m) => m.role === "user")?.content ?? "";
    const question = user.replace(/^Question: /, "");
    const plan = this.plans.get(question);
    if (plan === undefined) throw new Error(`no plan for the question ${JSON.stringify(question)}`);
    const prompt = `${system}\n${user}`.split(/\s+/).length;
    this.promptTokens.set(question, prompt);
    // Servers honour `stop: ["<END_OF_PLAN>"]`: the marker itself is never sent.
    const text = this.rewrite(plan).split("<END_OF_PLAN>")[0]!;
    const events: string[] = [];
    for (let i = 0; i < text.length; i += 7)
      events.push(JSON.stringify({ choices: [{ index: 0, delta: { content: text.slice(i, i + 7) } }] }));
    events.push(JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] }));
    events.push(JSON.stringify({ choices: [], usage: { prompt_tokens: prompt, completion_tokens: 40 } }));
    events.push("[DONE]");
    return events;
  }
}
