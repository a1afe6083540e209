import { describe, expect, it } from "vitest";
import { measureTranscription } from "../../scripts/bench/transcription";
import { makeTempDir } from "../model/helpers";

describe("the bench's speech section", () => {
  it("reports the tiny model's real-time factor and the whole transcription's time", async () => {
    const dir = makeTempDir("tinyagent-bench-speech-");
    try {
      const figures = await measureTranscription(dir.path, 1);
      expect(figures.map((f) => [f.key, f.unit])).toEqual([
        ["speech.real-time-factor", "x"],
        ["speech.total", "ms"],
      ]);
      // Real time or faster, even on one shared CI core; the total includes a process start.
      expect(figures[0]!.value).toBeGreaterThan(0);
      expect(figures[0]!.value).toBeLessThan(1);
      expect(figures[1]!.value).toBeGreaterThan(0);
    } finally {
      dir.remove();
    }
  });
});
