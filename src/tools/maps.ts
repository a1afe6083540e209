import { z } from "zod";
import { defineTool } from "./tool";

export const mapsOpenLocation = defineTool({
  name: "maps_open_location",
  app: "maps",
  effect: "ui",
  description: "Shows a place or address in Apple Maps.",
  args: z.object({
    location: z.string().min(1).describe("The place or address to show"),
  }),
});

export const mapsShowDirections = defineTool({
  name: "maps_show_directions",
  app: "maps",
  effect: "ui",
  description: "Shows directions between two places in Apple Maps.",
  args: z.object({
    start_location: z.string().describe("Where to start; empty string for the current location"),
    end_location: z.string().min(1).describe("Where to go"),
    transport: z
      .enum(["d", "w", "r"])
      .describe('How to travel: "d" driving, "w" walking, "r" public transit; "d" unless the request says'),
  }),
});
