import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CATALOG } from "../../src/agent/model/catalog";
import { partPath } from "../../src/agent/model/download";
import { modelCommand, progressLine, type ModelCommandContext } from "../../src/cli/model-command";
import { FILE_SHA256, FILE_SIZE, SLOW_MODEL, startServer, TEST_MODEL, type TestServer } from "./server";

/**
 * The `tinyagent model` command run in-process, as main() runs it, with the models folder in a temporary
 * directory and downloads pointed at the local test server through the same environment variables a
 * person would use (TINYAGENT_MODELS_DIR, TINYAGENT_MODEL_BASE_URL).
 */

let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyagent-model-cli-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  args: string[],
  options: { tty?: boolean; signal?: AbortSignal; onStderr?: (text: string) => void } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const context: Partial<ModelCommandContext> = {
    env: {
      TINYAGENT_MODELS_DIR: dir,
      TINYAGENT_MODEL_BASE_URL: server.base,
      TINYAGENT_MICRO_MODEL: join(dir, "bundled", "micro.gguf"),
    },
    catalog: [...CATALOG, TEST_MODEL, SLOW_MODEL],
    stdout: { write: (text: string) => (stdout += text) },
    stderr: {
      write: (text: string) => {
        stderr += text;
        options.onStderr?.(text);
      },
      isTTY: options.tty,
      columns: 100,
    },
    signal: options.signal,
  };
  const code = await modelCommand(args, context);
  return { code, stdout, stderr };
}

const modelFile = () => join(dir, TEST_MODEL.file);

describe("tinyagent model", () => {
  it("list --json shows every model, where it goes and whether it is there", async () => {
    const result = await run(["list", "--json"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as {
      folder: string;
      defaultId: string;
      models: { id: string; installed: boolean; path: string; url: string }[];
    };
    expect(report.folder).toBe(dir);
    // Nothing downloaded: the bundled micro planner is the default.
    expect(report.defaultId).toBe("micro");
    expect(report.models.map((m) => [m.id, m.installed])).toEqual([
      ["tinyagent-1.1b", false],
      ["tinyagent-7b", false],
      ["test-model", false],
      ["slow-model", false],
      ["micro", false],
    ]);
    expect(report.models[0]?.url).toBe(
      `${server.base}/squeeze-ai-lab/TinyAgent-1.1B-GGUF/resolve/main/TinyAgent-1.1B-Q4_K_M.gguf`,
    );
  });

  it("list shows a table for people", async () => {
    const result = await run(["list"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Models folder: ${dir}`);
    expect(result.stdout).toMatch(/ {2}tinyagent-1\.1b\s+TinyAgent-1\.1B\s+~668\.0 MB\s+not downloaded/);
    expect(result.stdout).toMatch(/\* micro\s+TinyAgent-micro\s+.*missing from this installation/);
    expect(result.stdout).toMatch(/ {2}tinyagent-7b\s+TinyAgent-7B\s+~4\.92 GB\s+not downloaded/);
    // The speech model is downloaded into the same folder, and listed apart from the planners.
    expect(result.stdout).toMatch(
      / {2}whisper-base\.en\s+Whisper base\.en\s+148\.0 MB\s+not downloaded \(speech\)/,
    );
  });

  it("list --json gives the speech models apart, and a file of the published size as downloaded", async () => {
    const before = JSON.parse((await run(["list", "--json"])).stdout) as {
      speech: { id: string; installed: boolean; path: string }[];
    };
    expect(before.speech).toEqual([
      expect.objectContaining({
        id: "whisper-base.en",
        installed: false,
        path: join(dir, "ggml-base.en.bin"),
      }),
    ]);
    writeFileSync(join(dir, "ggml-base.en.bin"), Buffer.alloc(147_964_211));
    try {
      const after = JSON.parse((await run(["list", "--json"])).stdout) as typeof before;
      expect(after.speech[0]!.installed).toBe(true);
    } finally {
      rmSync(join(dir, "ggml-base.en.bin"), { force: true });
    }
  });

  it("path prints where the model goes and fails with the fix while it is missing", async () => {
    const missing = await run(["path"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe(`${join(dir, "TinyAgent-1.1B-Q4_K_M.gguf")}\n`);
    expect(missing.stderr).toBe(
      "tinyagent: TinyAgent-1.1B is not downloaded yet. Run: npx tinyagent model download tinyagent-1.1b\n",
    );
    const json = await run(["path", "test-model", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual({ id: "test-model", path: modelFile(), installed: false });
  });

  it("download fetches the model from the base URL, shows progress in plain lines, and prints its path", async () => {
    const result = await run(["download", "test-model"]);
    expect(result.stderr).not.toContain("\r");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${modelFile()}\n`);
    expect(createHash("sha256").update(readFileSync(modelFile())).digest("hex")).toBe(FILE_SHA256);
    expect(result.stderr).toMatch(/Test-Model {2}3\.2 MB \/ 3\.2 MB {2}100\.0%/);
    expect(result.stderr).toContain("Downloaded Test-Model (3.2 MB): sha256 verified.");
    expect(server.requestsFor("/test-org/Test-GGUF/resolve/main/test-model.gguf").length).toBeGreaterThan(0);

    const again = await run(["download", "test-model"]);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("already downloaded");

    const path = await run(["path", "test-model"]);
    expect(path).toEqual({ code: 0, stdout: `${modelFile()}\n`, stderr: "" });
    const verify = await run(["verify", "test-model", "--json"]);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({
      status: "verified",
      sha256: FILE_SHA256,
      bytes: FILE_SIZE,
    });
  });

  it("redraws one progress line in place on a terminal", async () => {
    const result = await run(["download", "test-model"], { tty: true });
    expect(result.code).toBe(0);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).toMatch(/\r\x1b\[2KTest-Model {2}[\d.]+ [kM]B \/ 3\.2 MB {2}[\d.]+%/);
    expect(result.stderr).toMatch(/3\.2 MB \/ 3\.2 MB {2}100\.0%[^\r]*\nDownloaded Test-Model/);
  });

  it("a download stopped like Ctrl-C says it will resume, and the next one does", async () => {
    const controller = new AbortController();
    const stopped = await run(["download", "slow-model"], {
      signal: controller.signal,
      // Stop once a tenth has arrived (progress off a terminal prints a line per tenth).
      onStderr: (text) => {
        const percent = Number(/([\d.]+)%/.exec(text)?.[1] ?? 0);
        if (percent >= 10) controller.abort();
      },
    });
    const part = partPath(join(dir, SLOW_MODEL.file));
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toMatch(/Download stopped\. The [\d.]+ [kM]B that arrived are kept in /);
    expect(stopped.stderr).toContain(
      `kept in ${part}; run "npx tinyagent model download slow-model" to resume`,
    );
    expect(existsSync(join(dir, SLOW_MODEL.file))).toBe(false);
    const kept = statSync(part).size;

    const list = JSON.parse((await run(["list", "--json"])).stdout) as {
      models: { id: string; partialBytes?: number }[];
    };
    expect(list.models.find((m) => m.id === "slow-model")?.partialBytes).toBe(kept);

    const resumed = await run(["download", "slow-model"]);
    expect(resumed.code).toBe(0);
    expect(server.requestsFor(`/${SLOW_MODEL.repo}/resolve/main/${SLOW_MODEL.file}`).at(-1)?.range).toBe(
      `bytes=${kept}-`,
    );
    expect(existsSync(part)).toBe(false);
  });

  it("a download stopped before anything arrived says so", async () => {
    const stopped = await run(["download", "test-model"], { signal: AbortSignal.abort() });
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toBe("Download stopped before anything arrived.\n");
  });

  it("download of a model the server does not have names the URL and what to do", async () => {
    const result = await run(["download"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `Nothing to download at ${server.base}/squeeze-ai-lab/TinyAgent-1.1B-GGUF/resolve/main/TinyAgent-1.1B-Q4_K_M.gguf (HTTP 404)`,
    );
    expect(result.stdout).toBe("");
  });

  it("verify fails when a byte of the downloaded model changed", async () => {
    expect((await run(["download", "test-model"])).code).toBe(0);
    const bytes = readFileSync(modelFile());
    bytes[1000] = (bytes[1000] ?? 0) ^ 1;
    writeFileSync(modelFile(), bytes);
    const result = await run(["verify", "test-model"]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^Test-Model is damaged or was replaced: its sha256 is [0-9a-f]{64}, expected /,
    );
    expect(result.stdout).toContain("Run: npx tinyagent model download test-model --force");
  });

  it("verify of a missing model fails with the download command", async () => {
    const result = await run(["verify", "tinyagent-7b"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "tinyagent: TinyAgent-7B is not downloaded yet. Run: npx tinyagent model download tinyagent-7b\n",
    );
  });

  it.each([
    [["frob"], /unknown model command "frob"/],
    [["path", "a", "b"], /expected at most one model id/],
    [["list", "--bogus"], /Unknown option '--bogus'/],
    [["download", "--json"], /--json does not apply/],
    [["path", "tinyagent-3b"], /Unknown model "tinyagent-3b"\. Use one of: tinyagent-1\.1b, tinyagent-7b/],
  ])("usage mistake %j exits with status 2", async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
  });

  it("prints its usage", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("tinyagent model download [ID] [--force]");
  });
});

describe("progressLine", () => {
  it("shows bytes, percent, speed and ETA", () => {
    expect(
      progressLine("TinyAgent-1.1B", {
        phase: "downloading",
        bytesDone: 312_400_000,
        totalBytes: 668_000_000,
        percent: 46.77,
        bytesPerSecond: 12_300_000,
        etaSeconds: 29,
      }),
    ).toBe("TinyAgent-1.1B  312.4 MB / 668.0 MB  46.8%  12.3 MB/s  ETA 29s");
    expect(
      progressLine("TinyAgent-7B", { phase: "downloading", bytesDone: 1_500_000_000, bytesPerSecond: 0 }),
    ).toBe("TinyAgent-7B  1.50 GB");
    expect(
      progressLine("M", {
        phase: "downloading",
        bytesDone: 1,
        totalBytes: 10,
        percent: 10,
        bytesPerSecond: 5,
        etaSeconds: 3725,
      }),
    ).toBe("M  1 B / 10 B  10.0%  5 B/s  ETA 1h 02m");
  });
});
