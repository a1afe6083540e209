import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  acceptedSize,
  CATALOG,
  customModel,
  downloadUrl,
  findCatalogModel,
  MICRO_MODEL,
  modelBaseUrl,
} from "../../src/agent/model/catalog";
import { ModelDownloadError, partPath } from "../../src/agent/model/download";
import {
  downloadCatalogModel,
  bundledModelPath,
  defaultModelId,
  listModels,
  ModelMissingError,
  modelPath,
  resolveModel,
  verifyModel,
  type ModelStoreOptions,
} from "../../src/agent/model/model-store";
import { modelsFolder } from "../../src/agent/model/models-folder";
import {
  FILE_DATA,
  FILE_SHA256,
  FILE_SIZE,
  GGUF_SHA256,
  HTML_PAGE_MODEL,
  startServer,
  TEST_MODEL,
  UNHASHED_MODEL,
  type TestServer,
} from "./server";

let server: TestServer;
let dir: string;
let store: ModelStoreOptions;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "tinyagent-store-"));
  store = {
    dir,
    catalog: [...CATALOG, TEST_MODEL, UNHASHED_MODEL, HTML_PAGE_MODEL],
    env: { TINYAGENT_MODEL_BASE_URL: server.base },
  };
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function rejection(promise: Promise<unknown>): Promise<ModelMissingError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ModelMissingError);
  return error as ModelMissingError;
}

describe("catalog", () => {
  it("pins the published size and sha256 of both TinyAgent models", () => {
    const small = findCatalogModel("tinyagent-1.1b");
    expect(small).toMatchObject({
      displayName: "TinyAgent-1.1B",
      repo: "squeeze-ai-lab/TinyAgent-1.1B-GGUF",
      file: "TinyAgent-1.1B-Q4_K_M.gguf",
      sha256: "374a3e82afe32587a0a1dab7a0ed56a6547b90ce1cc1fb8382f7c56cc1f92fc9",
      stopMarker: "<END_OF_PLAN>",
      template: "raw",
    });
    // Failed before: the 7B had no hash, so any file the server sent was installed.
    expect(findCatalogModel("TinyAgent-7B")).toMatchObject({
      repo: "QuantFactory/TinyAgent-7B-GGUF",
      file: "TinyAgent-7B.Q4_K_M.gguf",
      approxBytes: 4_920_000_000,
      sha256: "e9da7b15ed55028b868e865a1c74c268bca88899aaa84462b61374418c7d0f78",
    });
    for (const model of CATALOG) {
      expect(model.sha256, model.id).toMatch(/^[0-9a-f]{64}$/);
      const size = acceptedSize(model);
      expect(size.max / size.min, model.id).toBeLessThan(1.03);
    }
    expect(downloadUrl(small!)).toBe(
      "https://huggingface.co/squeeze-ai-lab/TinyAgent-1.1B-GGUF/resolve/main/TinyAgent-1.1B-Q4_K_M.gguf",
    );
  });

  it("takes the base URL from TINYAGENT_MODEL_BASE_URL, then HF_ENDPOINT", () => {
    expect(modelBaseUrl({})).toBe("https://huggingface.co");
    expect(modelBaseUrl({ HF_ENDPOINT: "https://mirror.example/" })).toBe("https://mirror.example");
    expect(modelBaseUrl({ TINYAGENT_MODEL_BASE_URL: "http://127.0.0.1:9/hf/", HF_ENDPOINT: "x" })).toBe(
      "http://127.0.0.1:9/hf",
    );
    expect(downloadUrl(TEST_MODEL, "http://127.0.0.1:9/hf")).toBe(
      "http://127.0.0.1:9/hf/test-org/Test-GGUF/resolve/main/test-model.gguf",
    );
  });

  it("describes any GGUF file as a custom profile", () => {
    expect(customModel("/m/other.gguf", { template: "alpaca" })).toEqual({
      kind: "custom",
      id: "/m/other.gguf",
      displayName: "other.gguf",
      path: "/m/other.gguf",
      promptStyle: "tinyagent",
      template: "alpaca",
      copyFromRequest: false,
      writesText: true,
      stopMarker: "<END_OF_PLAN>",
      contextSize: 4096,
    });
  });
});

describe("modelsFolder", () => {
  const home = "/home/ada";
  it("prefers Raycast's support path, then TINYAGENT_MODELS_DIR", () => {
    const env = { TINYAGENT_MODELS_DIR: "/data/models" };
    expect(modelsFolder({ supportPath: "/rc/support", env, home })).toBe("/rc/support/models");
    expect(modelsFolder({ env, home, platform: "darwin" })).toBe("/data/models");
    expect(modelsFolder({ env: { TINYAGENT_MODELS_DIR: "~/m" }, home })).toBe("/home/ada/m");
  });

  it("uses Application Support on macOS and the XDG data folder elsewhere", () => {
    expect(modelsFolder({ env: {}, home, platform: "darwin" })).toBe(
      "/home/ada/Library/Application Support/TinyAgent/models",
    );
    expect(modelsFolder({ env: { XDG_DATA_HOME: "/xdg" }, home, platform: "linux" })).toBe(
      "/xdg/tinyagent/models",
    );
    expect(modelsFolder({ env: { XDG_DATA_HOME: "relative" }, home, platform: "linux" })).toBe(
      "/home/ada/.local/share/tinyagent/models",
    );
    expect(modelsFolder({ env: {}, home, platform: "linux" })).toBe(
      "/home/ada/.local/share/tinyagent/models",
    );
  });
});

describe("resolveModel", () => {
  it("says exactly what to run when the default model is not downloaded", async () => {
    const error = await rejection(resolveModel(undefined, store));
    expect(error.message).toBe(
      "TinyAgent-1.1B is not downloaded yet. Run: npx tinyagent model download tinyagent-1.1b",
    );
    expect(error.code).toBe("NOT_DOWNLOADED");
    expect(error.modelId).toBe("tinyagent-1.1b");
    expect((await rejection(resolveModel("tinyagent-7b", store))).message).toBe(
      "TinyAgent-7B is not downloaded yet. Run: npx tinyagent model download tinyagent-7b",
    );
  });

  it("names the path that does not exist", async () => {
    const missing = join(dir, "nowhere", "model.gguf");
    const error = await rejection(resolveModel(missing, store));
    expect(error.code).toBe("NO_FILE");
    expect(error.message).toBe(
      `No model file at ${missing}. Check the path, or use a model id such as tinyagent-1.1b.`,
    );
  });

  it("lists the known ids for an unknown one", async () => {
    const error = await rejection(resolveModel("tinyagent-3b", store));
    expect(error.code).toBe("UNKNOWN_MODEL");
    expect(error.message).toMatch(
      /^Unknown model "tinyagent-3b"\. Use one of: tinyagent-1\.1b, tinyagent-7b, /,
    );
  });

  it("resolves a GGUF path to a custom profile and a downloaded id to its file", async () => {
    const file = join(dir, "mine.gguf");
    writeFileSync(file, "GGUF");
    expect(await resolveModel(file, store)).toMatchObject({
      path: file,
      profile: { kind: "custom" },
      verified: false,
    });

    await downloadCatalogModel("test-model", store);
    expect(await resolveModel("test-model", store)).toEqual({
      path: join(dir, "test-model.gguf"),
      profile: TEST_MODEL,
      verified: true,
    });
  });
});

describe("the bundled micro planner", () => {
  const microFile = () => join(dir, "bundled", "micro.gguf");
  const withMicro = () => ({ ...store, env: { ...store.env, TINYAGENT_MICRO_MODEL: microFile() } });

  it("resolves micro to the file TINYAGENT_MICRO_MODEL names, with the micro prompt and copying", async () => {
    mkdirSync(join(dir, "bundled"), { recursive: true });
    writeFileSync(microFile(), "GGUF");
    const resolved = await resolveModel("micro", withMicro());
    expect(resolved.path).toBe(microFile());
    expect(resolved.profile).toMatchObject({
      kind: "bundled",
      displayName: "TinyAgent-micro",
      promptStyle: "micro",
      template: "plain",
      copyFromRequest: true,
    });
    expect(resolved.profile.contextSize).toBeLessThan(4096);
  });

  it("marks only the package's own file as shipped: a file the variable names is probed like any other", async () => {
    mkdirSync(join(dir, "bundled"), { recursive: true });
    writeFileSync(microFile(), "GGUF");
    writeFileSync(join(dir, "bundled", MICRO_MODEL.file), "GGUF");
    expect((await resolveModel("micro", withMicro())).shipped).toBeUndefined();
    const shipped = await resolveModel("micro", { ...store, env: {}, bundledDir: join(dir, "bundled") });
    expect(shipped).toMatchObject({ path: join(dir, "bundled", MICRO_MODEL.file), shipped: true });
  });

  it("lives in the package's models folder unless told otherwise", () => {
    expect(bundledModelPath(MICRO_MODEL, { env: {} })).toBe(
      join(fileURLToPath(new URL("../../models", import.meta.url)), "tinyagent-micro.gguf"),
    );
    expect(bundledModelPath(MICRO_MODEL, { env: {}, bundledDir: "/ext/assets/toolrag" })).toBe(
      "/ext/assets/toolrag/tinyagent-micro.gguf",
    );
  });

  it("says what to do when its file is missing", async () => {
    const error = await rejection(resolveModel("micro", withMicro()));
    expect(error.message).toBe(
      `TinyAgent-micro: no model file at ${microFile()} (set by TINYAGENT_MICRO_MODEL). Fix or unset it.`,
    );
    const packaged = await rejection(resolveModel("micro", { ...store, env: {}, bundledDir: dir }));
    expect(packaged.message).toContain("TinyAgent-micro is missing from this installation");
    expect(packaged.message).toContain("npx tinyagent model download tinyagent-1.1b");
  });

  it("is the default until a TinyAgent model is downloaded and verified; an unverified file never is", async () => {
    mkdirSync(join(dir, "bundled"), { recursive: true });
    writeFileSync(microFile(), "GGUF");
    expect(await defaultModelId(withMicro())).toBe("micro");
    const micro = (await listModels(withMicro())).find((model) => model.id === "micro");
    expect(micro).toMatchObject({ bundled: true, installed: true, isDefault: true, path: microFile() });
    // Files in the catalog's slots that were never checked: failed before (each became the default).
    writeFileSync(join(dir, "TinyAgent-7B.Q4_K_M.gguf"), "GGUF");
    writeFileSync(join(dir, "TinyAgent-1.1B-Q4_K_M.gguf"), "GGUF");
    expect(await defaultModelId(withMicro())).toBe("micro");
    // A download whose hash matched the published one is.
    await downloadCatalogModel("test-model", withMicro());
    expect(await defaultModelId(withMicro())).toBe("test-model");
    expect((await listModels(withMicro())).find((model) => model.id === "test-model")).toMatchObject({
      verified: true,
      isDefault: true,
    });
  });
});

describe("listModels, downloadCatalogModel, verifyModel", () => {
  it("lists catalog models with their state, path and size", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(partPath(join(dir, "test-model.gguf")), FILE_DATA.subarray(0, 1000));
    const before = await listModels(store);
    expect(before.map((m) => m.id)).toEqual([
      "tinyagent-1.1b",
      "tinyagent-7b",
      "test-model",
      "unhashed-model",
      "html-page-model",
      "micro",
    ]);
    expect(before[0]).toMatchObject({
      isDefault: false,
      installed: false,
      path: join(dir, "TinyAgent-1.1B-Q4_K_M.gguf"),
    });
    expect(before[2]).toMatchObject({
      installed: false,
      partialBytes: 1000,
      url: server.url("/test-org/Test-GGUF/resolve/main/test-model.gguf"),
    });

    const outcome = await downloadCatalogModel("test-model", store);
    expect(outcome).toMatchObject({
      alreadyPresent: false,
      result: { resumedFrom: 1000, hashVerified: true },
    });
    const after = await listModels(store);
    expect(after[2]).toMatchObject({ installed: true, bytes: FILE_SIZE, recordedSha256: FILE_SHA256 });
    expect(after[2]?.partialBytes).toBeUndefined();
    expect((await downloadCatalogModel("test-model", store)).alreadyPresent).toBe(true);
  });

  it("verifies a model against its published hash and catches a changed byte", async () => {
    await downloadCatalogModel("test-model", store);
    const good = await verifyModel("test-model", store);
    expect(good).toMatchObject({
      status: "verified",
      reference: "published",
      sha256: FILE_SHA256,
      bytes: FILE_SIZE,
    });

    const path = modelPath("test-model", store);
    const bytes = readFileSync(path);
    bytes[123] = (bytes[123] ?? 0) ^ 0x40;
    writeFileSync(path, bytes);
    const bad = await verifyModel("test-model", store);
    expect(bad.status).toBe("mismatch");
    expect(bad.message).toContain("Run: npx tinyagent model download test-model --force");
    expect((await resolveModel("test-model", store)).verified).toBe(false);
  });

  it("checks a model without a published hash against the hash recorded at download", async () => {
    const outcome = await downloadCatalogModel("unhashed-model", store);
    expect(outcome.result).toMatchObject({ hashVerified: false, sha256: GGUF_SHA256 });
    // Installed, but not known to be the published file: never the default.
    expect((await listModels(store)).find((m) => m.id === "unhashed-model")).toMatchObject({
      installed: true,
      verified: false,
      isDefault: false,
    });
    const same = await verifyModel("unhashed-model", store);
    expect(same).toMatchObject({ status: "verified", reference: "recorded" });
    expect(same.message).toMatch(/no published hash/);

    writeFileSync(modelPath("unhashed-model", store), "something else");
    expect((await verifyModel("unhashed-model", store)).status).toBe("mismatch");
  });

  it("records a hash when there is nothing to compare with", async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(modelPath("unhashed-model", store), FILE_DATA);
    const first = await verifyModel("unhashed-model", store);
    expect(first).toMatchObject({ status: "unverifiable", reference: "none", sha256: FILE_SHA256 });
    expect((await verifyModel("unhashed-model", store)).status).toBe("verified");
  });

  it("refuses a download without a published hash that is an HTML page, or not a GGUF file", async () => {
    // Failed before: the 33-byte page answered with 200 was installed, and became the default.
    const page = await downloadCatalogModel("html-page-model", store).catch((e: unknown) => e);
    expect(page).toBeInstanceOf(ModelDownloadError);
    expect((page as ModelDownloadError).code).toBe("SIZE_MISMATCH");
    expect((page as Error).message).toMatch(
      /^The server offers 33 B at .*html-page-model\.gguf, but the file should be about 3\.2 MB, so it is not the expected file/,
    );
    expect(existsSync(modelPath("html-page-model", store))).toBe(false);
    expect(existsSync(partPath(modelPath("html-page-model", store)))).toBe(false);
    expect(await defaultModelId(store)).not.toBe("html-page-model");

    // The right size, but not a model: the generated bytes of test-model under an unhashed entry.
    const notGguf = { ...UNHASHED_MODEL, id: "not-gguf", file: "not-gguf.gguf", repo: TEST_MODEL.repo };
    const renamed = { ...store, catalog: [{ ...notGguf, file: TEST_MODEL.file }] };
    const error = await downloadCatalogModel("not-gguf", renamed).catch((e: unknown) => e);
    expect((error as ModelDownloadError).code).toBe("INVALID_FILE");
    expect((error as Error).message).toMatch(/is not usable: .* is not a GGUF model file/);
    expect(existsSync(modelPath("not-gguf", renamed))).toBe(false);
  });

  it("verify of a model that is not there gives the download command", async () => {
    const error = await rejection(verifyModel("tinyagent-1.1b", store));
    expect(error.message).toBe(
      "TinyAgent-1.1B is not downloaded yet. Run: npx tinyagent model download tinyagent-1.1b",
    );
  });
});
