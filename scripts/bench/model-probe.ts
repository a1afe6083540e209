import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { probeModelFile } from "../../src/agent/engines/probe-model";
import { resolveModel } from "../../src/agent/model/model-store";
import { figure, type Figure } from "./figure";

/**
 * What opening a model file of the person's own pays to check it before loading it (DESIGN §7: a malformed
 * GGUF can abort the process, so it is loaded in a child process first): the first open probes it; a
 * second open with the file unchanged finds the passed probe in the models folder and only reads the
 * header and the fingerprint (issue 16, item 5). The file is a fresh copy of TinyAgent-micro: the shipped
 * file itself is never probed, and a path this process has probed or loaded before would be answered
 * from its memory of passed probes, which once made the first open read ~4.5 ms.
 */
export async function measureModelProbe(): Promise<Figure[]> {
  const cacheDir = await mkdtemp(join(tmpdir(), "tinyagent-bench-probe-"));
  const path = join(cacheDir, "own-micro.gguf");
  try {
    await copyFile((await resolveModel("micro")).path, path);
    const first = await timed(() => probeModelFile(path, { cacheDir }));
    const again = await timed(() => probeModelFile(path, { cacheDir }));
    const note = "a copy of models/tinyagent-micro.gguf, probe remembered in an empty models folder";
    return [
      figure("probe.first-open", "Model probe on first open (child process)", first, "ms", { note }),
      figure("probe.second-open", "Model probe on a second open, file unchanged", again, "ms", { note }),
    ];
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
