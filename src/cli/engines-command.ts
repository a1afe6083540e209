import { parseArgs } from "node:util";
import { EngineSetupError } from "../agent/engines/engine-setup-error";
import { engineRegistry } from "../agent/engines/engine-manifest";
import { enginesFolder } from "../agent/engines/engines-folder";
import {
  installedEngines,
  provisionEngines,
  type EngineSetupProgress,
} from "../agent/engines/provision-engines";
import { formatBytes } from "../agent/model/download";
import { terminalOutput, type OutputStream } from "./terminal-output";
import { ENGINES_USAGE } from "./usage";
import { UsageError } from "./usage-error";

export interface EnginesCommandContext {
  env: NodeJS.ProcessEnv;
  stdout: OutputStream;
  stderr: OutputStream;
  /** Stops an install like Ctrl-C does (tests use it; the command also listens for SIGINT). */
  signal?: AbortSignal;
}

/** `tinyagent engines install | path`; returns the exit status. */
export async function enginesCommand(
  args: string[],
  context: Partial<EnginesCommandContext> = {},
): Promise<number> {
  const io: EnginesCommandContext = {
    env: context.env ?? process.env,
    stdout: terminalOutput(context.stdout ?? process.stdout),
    stderr: terminalOutput(context.stderr ?? process.stderr),
    ...(context.signal ? { signal: context.signal } : {}),
  };
  const [action, ...rest] = args;
  if (action === undefined || action === "help" || action === "--help" || action === "-h") {
    io.stdout.write(`${ENGINES_USAGE}\n`);
    return action === undefined ? 2 : 0;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { dir: { type: "string" }, registry: { type: "string" } },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const targetDir = values.dir ?? enginesFolder({ env: io.env });
  switch (action) {
    case "install":
      return install(targetDir, values.registry, io);
    case "path": {
      const runtimeDir = await installedEngines({ targetDir });
      if (runtimeDir === undefined) {
        io.stderr.write(`The engines are not installed in ${targetDir}. Run "tinyagent engines install".\n`);
        return 1;
      }
      io.stdout.write(`${runtimeDir}\n`);
      return 0;
    }
    default:
      throw new UsageError(`unknown engines command "${action}" (expected install or path)`);
  }
}

async function install(
  targetDir: string,
  registry: string | undefined,
  io: EnginesCommandContext,
): Promise<number> {
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  const signal = io.signal ? AbortSignal.any([io.signal, interrupt.signal]) : interrupt.signal;
  const progress = progressPrinter(io.stderr);
  try {
    const result = await provisionEngines({
      targetDir,
      signal,
      onProgress: progress,
      registry: registry ?? engineRegistry(io.env),
    });
    progress.end();
    io.stdout.write(
      result.installed
        ? `Installed the engines for ${result.platform} in ${result.runtimeDir} ` +
            `(${formatBytes(result.downloadedBytes)} downloaded, every hash checked).\n`
        : `The engines for ${result.platform} are already installed in ${result.runtimeDir}.\n`,
    );
    return 0;
  } catch (error) {
    progress.end();
    if (!(error instanceof EngineSetupError)) throw error;
    io.stderr.write(`tinyagent: ${error.message}\n`);
    return error.code === "ABORTED" ? 130 : 1;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** One line redrawn in place on a terminal; otherwise a line per tenth of the way. */
function progressPrinter(out: OutputStream): ((progress: EngineSetupProgress) => void) & { end(): void } {
  let lastTenth = -1;
  let drawn = false;
  const print = (progress: EngineSetupProgress) => {
    const line =
      progress.phase === "unpacking"
        ? `Unpacking ${progress.packagesDone}/${progress.packagesTotal} ${progress.packageName ?? ""}`
        : `Downloading ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.totalBytes)} ` +
          `(${Math.floor(progress.percent)} %)` +
          (progress.etaSeconds === undefined ? "" : `, ${progress.etaSeconds} s left`) +
          (progress.packageName ? ` ${progress.packageName}` : "");
    if (out.isTTY) {
      terminalOutput(out).redraw(line);
      drawn = true;
      return;
    }
    const tenth = Math.floor(progress.percent / 10) + (progress.phase === "downloading" ? 0 : 100);
    if (tenth === lastTenth || progress.phase === "done") return;
    lastTenth = tenth;
    out.write(`${line}\n`);
  };
  return Object.assign(print, {
    end: () => {
      if (drawn) out.write("\n");
      drawn = false;
    },
  });
}
