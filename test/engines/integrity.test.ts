import { createHash } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkIntegrity, parseIntegrity } from "../../src/agent/engines/integrity";

const folder = await mkdtemp(join(tmpdir(), "integrity-"));
afterAll(() => rm(folder, { recursive: true, force: true }));

const sri = (algorithm: string, data: string) =>
  `${algorithm}-${createHash(algorithm).update(data).digest("base64")}`;

describe("integrity", () => {
  it("takes the strongest hash of an SRI string", () => {
    const both = `${sri("sha1", "x")} ${sri("sha256", "x")} ${sri("sha512", "x")}`;
    expect(parseIntegrity(both).algorithm).toBe("sha512");
    expect(parseIntegrity(sri("sha256", "x")).algorithm).toBe("sha256");
    expect(() => parseIntegrity(sri("sha1", "x"))).toThrow(/no sha512, sha384 or sha256|not an integrity/);
  });

  it("accepts the file the hash was made from and reports another's hash in the same form", async () => {
    const file = join(folder, "a.tgz");
    await writeFile(file, "package bytes");
    expect(await checkIntegrity(file, sri("sha512", "package bytes"))).toMatchObject({ ok: true });
    const other = await checkIntegrity(file, sri("sha512", "other bytes"));
    expect(other).toEqual({
      ok: false,
      expected: sri("sha512", "other bytes"),
      actual: sri("sha512", "package bytes"),
    });
  });
});
