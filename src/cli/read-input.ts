import { readFile } from "node:fs/promises";
import { UsageError } from "./usage-error";

/** Reads a plan from a file, or from standard input for `-` or no argument. */
export async function readInput(source: string | undefined): Promise<{ text: string; fromStdin: boolean }> {
  if (source === undefined || source === "-") {
    if (source === undefined && process.stdin.isTTY) {
      throw new UsageError("no plan given: pass a file, or pipe the plan in (use - for standard input)");
    }
    return { text: await readStream(process.stdin), fromStdin: true };
  }
  try {
    return { text: await readFile(source, "utf8"), fromStdin: false };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UsageError(`no such file: ${source}`);
    if (code === "EISDIR") throw new UsageError(`${source} is a folder, not a plan file`);
    throw new UsageError(`cannot read ${source}: ${(error as Error).message}`);
  }
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString("utf8");
}
