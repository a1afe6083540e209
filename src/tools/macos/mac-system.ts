import { execFile as execFileCallback } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import type { Invocation } from "../backend";
import { ToolError } from "../tool-error";
import type { HttpRequest, MacSystem } from "./mac-context";
import { runScript } from "./osascript";

const execFileAsync = promisify(execFileCallback);

/** The real Mac: osascript, programs run without a shell, `open`, fetch and the file system. */
export function createMacSystem(): MacSystem {
  return {
    runScript: (app, script, signal) => runScript({ app, script, signal }),
    async execFile(file, argv, signal) {
      try {
        const { stdout } = await execFileAsync(file, [...argv], {
          signal,
          maxBuffer: 16 * 1024 * 1024,
          encoding: "utf8",
        });
        return stdout;
      } catch (error) {
        if (signal.aborted) throw new ToolError("cancelled", `${file} was stopped: the run was cancelled.`);
        throw new ToolError("failed", `${file} failed: ${(error as Error).message}`, { cause: error });
      }
    },
    async openUrl(url, signal) {
      await execFileAsync("/usr/bin/open", [url], { signal });
    },
    async fetchJson(request: HttpRequest, signal) {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal,
      });
      const text = await response.text();
      if (!response.ok) throw new HttpError(response.status, text);
      return text === "" ? null : (JSON.parse(text) as unknown);
    },
    readFile: (path, signal) => readFile(path, { signal }),
  };
}

/** An HTTP answer that was not 2xx; actions turn it into a message for their service. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`HTTP ${status}`);
    this.name = "HttpError";
  }
}

/** Wraps a system so every call it makes is appended to `log` as the Invocation it is. */
export function loggedSystem(system: MacSystem, log: Invocation[]): MacSystem {
  return {
    runScript(app, script, signal) {
      log.push({ kind: "applescript", script, argv: [] });
      return system.runScript(app, script, signal);
    },
    execFile(file, argv, signal) {
      log.push({ kind: "command", file, argv: [...argv] });
      return system.execFile(file, argv, signal);
    },
    openUrl(url, signal) {
      log.push({ kind: "url", url });
      return system.openUrl(url, signal);
    },
    fetchJson(request, signal) {
      log.push({
        kind: "http",
        method: request.method,
        url: request.url,
        ...(request.body === undefined ? {} : { body: request.body }),
      });
      return system.fetchJson(request, signal);
    },
    readFile: (path, signal) => system.readFile(path, signal),
  };
}
