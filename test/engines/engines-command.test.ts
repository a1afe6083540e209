import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { enginesCommand } from "../../src/cli/engines-command";

const dir = await mkdtemp(join(tmpdir(), "tinyagent-engines-cli-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

function capture() {
  const out = { text: "", write: (text: string) => (out.text += text) };
  return out;
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("tinyagent engines", () => {
  it("path says the engines are not installed yet and how to install them", async () => {
    const stdout = capture();
    const stderr = capture();
    expect(await enginesCommand(["path", "--dir", dir], { stdout, stderr })).toBe(1);
    expect(stderr.text).toContain(`not installed in ${dir}`);
    expect(stderr.text).toContain("tinyagent engines install");
    expect(stdout.text).toBe("");
  });

  it("install fails with the set-up's message when the registry cannot be reached", async () => {
    const stdout = capture();
    const stderr = capture();
    const registry = `http://127.0.0.1:${await closedPort()}`;
    const status = await enginesCommand(["install", "--dir", dir, "--registry", registry], {
      stdout,
      stderr,
    });
    expect(status).toBe(1);
    expect(stderr.text).toMatch(/tinyagent: Could not download .+@[\d.]+: .*connection refused/);
  }, 60_000);

  it("rejects an unknown action", async () => {
    await expect(enginesCommand(["remove"], { stdout: capture(), stderr: capture() })).rejects.toThrow(
      /unknown engines command "remove"/,
    );
  });
});
