import type { HttpRequest, MacContext, MacSystem } from "../../src/tools/macos/mac-context";
import { loggedSystem } from "../../src/tools/macos/mac-system";
import type { Choice, Invocation } from "../../src/tools/backend";

/**
 * Stands in for macOS in tests of the macOS actions: every script, command, URL and request is recorded,
 * and answered by the handlers a test gives (a script's answer is what osascript would have printed).
 */
export interface FakeAnswers {
  script?: (app: string, script: string) => string | Promise<string>;
  exec?: (file: string, argv: readonly string[]) => string | Promise<string>;
  fetch?: (request: HttpRequest) => unknown;
  files?: Record<string, Uint8Array>;
}

export class FakeSystem implements MacSystem {
  readonly scripts: { app: string; script: string }[] = [];
  readonly commands: { file: string; argv: string[] }[] = [];
  readonly urls: string[] = [];
  readonly requests: HttpRequest[] = [];

  constructor(private readonly answers: FakeAnswers = {}) {}

  async runScript(app: string, script: string): Promise<string> {
    this.scripts.push({ app, script });
    return (await this.answers.script?.(app, script)) ?? "";
  }

  async execFile(file: string, argv: readonly string[]): Promise<string> {
    this.commands.push({ file, argv: [...argv] });
    return (await this.answers.exec?.(file, argv)) ?? "";
  }

  async openUrl(url: string): Promise<void> {
    this.urls.push(url);
  }

  async fetchJson(request: HttpRequest): Promise<unknown> {
    this.requests.push(request);
    return this.answers.fetch?.(request) ?? null;
  }

  async readFile(path: string): Promise<Uint8Array> {
    const bytes = this.answers.files?.[path];
    if (!bytes) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: "ENOENT" });
    return bytes;
  }
}

/** A MacContext over a fake system, with a scripted chooser and default preferences. */
export function fakeContext(
  system: FakeSystem,
  options: { choose?: (choice: Choice) => string | undefined; draftOnly?: boolean; timeZone?: string } = {},
): MacContext & { choices: Choice[] } {
  const invocations: Invocation[] = [];
  const choices: Choice[] = [];
  return {
    system: loggedSystem(system, invocations),
    signal: new AbortController().signal,
    choose: async (choice) => {
      choices.push(choice);
      return options.choose?.(choice);
    },
    preferences: {
      messagesDraftOnly: options.draftOnly ?? false,
      timeZone: options.timeZone ?? "Europe/Paris",
    },
    invocations,
    choices,
  };
}
