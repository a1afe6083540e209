import type { z } from "zod";
import type { mapsOpenLocation, mapsShowDirections } from "../maps";
import { mapsDirectionsUrl, mapsLocationUrl } from "../macos/maps";
import type { Recorder } from "./recorder";

/** Maps: the same URLs as src/tools/macos/maps.ts. */

const TRANSPORT = { d: "driving", w: "walking", r: "transit" } as const;

export function openLocation(recorder: Recorder, args: z.infer<typeof mapsOpenLocation.args>): string {
  recorder.url(mapsLocationUrl(args.location));
  return `Showing ${args.location} in Maps.`;
}

export function showDirections(recorder: Recorder, args: z.infer<typeof mapsShowDirections.args>): string {
  recorder.url(mapsDirectionsUrl(args.start_location, args.end_location, args.transport));
  const from = args.start_location.trim() === "" ? "" : `from ${args.start_location} `;
  return `Showing ${TRANSPORT[args.transport]} directions ${from}to ${args.end_location} in Maps.`;
}
