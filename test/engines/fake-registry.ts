import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { create } from "tar";
import type { EngineManifest, EnginePackage } from "../../src/agent/engines/engine-manifest";

/**
 * A loopback npm registry serving real gzipped package tarballs at the registry's addresses, with
 * switches for what can go wrong: a tampered file, an HTTP error, a connection that stalls mid-file.
 */

export interface FakePackage {
  path: string;
  name: string;
  version: string;
  /** Files inside the package folder; package.json is added. */
  files?: Record<string, string | Buffer>;
}

export interface Tarball {
  entry: EnginePackage;
  bytes: Buffer;
}

/** Packs a package the way `npm pack` does: every entry under `package/`. */
export async function packTarball(pkg: FakePackage): Promise<Buffer> {
  const work = await mkdtemp(join(tmpdir(), "fake-package-"));
  try {
    const files: Record<string, string | Buffer> = {
      "package.json": JSON.stringify({ name: pkg.name, version: pkg.version }),
      ...pkg.files,
    };
    for (const [path, content] of Object.entries(files)) {
      await mkdir(dirname(join(work, "package", path)), { recursive: true });
      await writeFile(join(work, "package", path), content);
    }
    const out = join(work, "package.tgz");
    await create({ gzip: true, file: out, cwd: work, portable: true }, ["package"]);
    return await readFile(out);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function buildTarballs(packages: FakePackage[]): Promise<Tarball[]> {
  return Promise.all(
    packages.map(async (pkg) => {
      const bytes = await packTarball(pkg);
      const integrity = `sha512-${createHash("sha512").update(bytes).digest("base64")}`;
      return {
        entry: { path: pkg.path, name: pkg.name, version: pkg.version, integrity, size: bytes.length },
        bytes,
      };
    }),
  );
}

/** A manifest listing these tarballs for every platform. */
export function manifestOf(tarballs: Tarball[]): EngineManifest {
  const paths = tarballs.map((tarball) => tarball.entry.path);
  return {
    generatedBy: "test",
    packages: tarballs.map((tarball) => tarball.entry),
    platforms: { "darwin-arm64": paths, "darwin-x64": paths, "linux-x64": paths, "linux-arm64": paths },
  };
}

export interface FakeRegistry {
  url: string;
  /** Every request: its path and Range header. */
  requests: { path: string; range?: string }[];
  /** Serve these bytes instead of the real tarball for the package named. */
  tamper: Map<string, Buffer>;
  /** Answer this status for the package named. */
  fail: Map<string, number>;
  /** Send this many bytes of the package named, then hold the connection open without sending more. */
  stallAfter: Map<string, number>;
  close(): Promise<void>;
}

export async function startFakeRegistry(tarballs: Tarball[]): Promise<FakeRegistry> {
  const byPath = new Map(
    tarballs.map((t) => [`/${t.entry.name}/-/${basename(t.entry.name)}-${t.entry.version}.tgz`, t]),
  );
  const registry: Omit<FakeRegistry, "url" | "close"> = {
    requests: [],
    tamper: new Map(),
    fail: new Map(),
    stallAfter: new Map(),
  };
  const open = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = decodeURIComponent(request.url ?? "");
    registry.requests.push({ path, ...(request.headers.range ? { range: request.headers.range } : {}) });
    const tarball = byPath.get(path);
    if (!tarball) return void response.writeHead(404).end();
    const name = tarball.entry.name;
    const status = registry.fail.get(name);
    if (status !== undefined) return void response.writeHead(status).end();
    const body = registry.tamper.get(name) ?? tarball.bytes;
    const start = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? "")?.[1] ?? 0);
    if (start >= body.length && start > 0) {
      return void response.writeHead(416, { "content-range": `bytes */${body.length}` }).end();
    }
    const headers = {
      "content-type": "application/octet-stream",
      "content-length": String(body.length - start),
      "accept-ranges": "bytes",
      ...(start > 0 ? { "content-range": `bytes ${start}-${body.length - 1}/${body.length}` } : {}),
    };
    response.writeHead(start > 0 ? 206 : 200, headers);
    const stall = registry.stallAfter.get(name);
    if (stall !== undefined && stall > start) {
      open.add(response);
      response.on("close", () => open.delete(response));
      return void response.write(body.subarray(start, stall));
    }
    response.end(body.subarray(start));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    ...registry,
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      for (const response of open) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } as FakeRegistry;
}

function basename(name: string): string {
  return name.slice(name.lastIndexOf("/") + 1);
}
