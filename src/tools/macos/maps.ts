import type { z } from "zod";
import type * as tools from "../maps";
import { ToolError } from "../tool-error";
import type { MacContext } from "./mac-context";

/*
 * Apple Maps through its URL scheme (https://maps.apple.com/, which macOS hands to Maps). Every value is
 * set through URLSearchParams, so `&`, `#`, `?`, `=`, `+` or `%` in a place name stay part of that value.
 */

export type Transport = z.infer<typeof tools.mapsShowDirections.args>["transport"];

const TRANSPORT_WORDS: Record<Transport, string> = { d: "driving", w: "walking", r: "transit" };

/** `https://maps.apple.com/?q=<location>`: Maps searches for the place and shows it. */
export function mapsLocationUrl(location: string): string {
  return mapsUrl([["q", location]]);
}

/**
 * `https://maps.apple.com/?saddr=<start>&daddr=<end>&dirflg=<d|w|r>`. A blank start is left out: Maps then
 * starts from the current location.
 */
export function mapsDirectionsUrl(start: string, end: string, transport: Transport): string {
  const from: [string, string][] = start.trim() === "" ? [] : [["saddr", start]];
  return mapsUrl([...from, ["daddr", end], ["dirflg", transport]]);
}

function mapsUrl(params: [string, string][]): string {
  const url = new URL("https://maps.apple.com/");
  for (const [key, value] of params) url.searchParams.set(key, value);
  return url.toString();
}

/** maps_open_location: shows the place in Maps. */
export async function mapsOpenLocation(
  args: z.infer<typeof tools.mapsOpenLocation.args>,
  ctx: MacContext,
): Promise<string> {
  await openInMaps(mapsLocationUrl(args.location), ctx);
  return `Showing ${args.location} in Maps.`;
}

/** maps_show_directions: shows directions in Maps, from the current location when no start is given. */
export async function mapsShowDirections(
  args: z.infer<typeof tools.mapsShowDirections.args>,
  ctx: MacContext,
): Promise<string> {
  await openInMaps(mapsDirectionsUrl(args.start_location, args.end_location, args.transport), ctx);
  const from = args.start_location.trim() === "" ? "" : `from ${args.start_location} `;
  return `Showing ${TRANSPORT_WORDS[args.transport]} directions ${from}to ${args.end_location} in Maps.`;
}

async function openInMaps(url: string, ctx: MacContext): Promise<void> {
  try {
    await ctx.system.openUrl(url, ctx.signal);
  } catch (error) {
    if (error instanceof ToolError) throw error;
    if (ctx.signal.aborted) {
      throw new ToolError("cancelled", "Maps was not opened: the run was cancelled.", { cause: error });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ToolError("failed", `Maps could not be opened (${reason}). Check that Maps is installed.`, {
      cause: error,
      invocations: [...ctx.invocations],
    });
  }
}
