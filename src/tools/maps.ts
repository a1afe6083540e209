import { z } from "zod";
import { fromRequest } from "./formats";
import { defineTool } from "./tool";

// Maps knows the person's Home and Work; requests call them "my place", "the office".
const ownPlaces = { also: ["Home", "Work"] };

export const mapsOpenLocation = defineTool({
  name: "maps_open_location",
  app: "maps",
  effect: "ui",
  description: "Shows a place or address in Apple Maps.",
  args: z.object({
    location: fromRequest(z.string().min(1).describe("The place or address to show"), ownPlaces),
  }),
});

export const mapsShowDirections = defineTool({
  name: "maps_show_directions",
  app: "maps",
  effect: "ui",
  description: "Shows directions between two places in Apple Maps.",
  args: z.object({
    start_location: fromRequest(
      z.string().describe("Where to start; empty string for the current location"),
      ownPlaces,
    ),
    end_location: fromRequest(z.string().min(1).describe("Where to go"), ownPlaces),
    transport: z
      .enum(["d", "w", "r"])
      .describe('How to travel: "d" driving, "w" walking, "r" public transit; "d" unless the request says'),
  }),
});
