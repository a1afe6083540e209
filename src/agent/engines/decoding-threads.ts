/**
 * How many CPU threads a local model decodes with. llama.cpp's own default on a CPU is at least four
 * threads, whatever the machine: on two cores they spin-wait against each other and against Node, and a
 * plan from a tiny model took more than 48 s instead of under one.
 */

/** Below this size a model decodes fastest on one thread: its matrix products are too small to share. */
export const SMALL_MODEL_BYTES = 100_000_000;

/** More threads than this stop paying off for the models TinyAgent runs (and leave the machine usable). */
const MOST_THREADS = 8;

export interface ThreadChoice {
  /** A number the person set (TINYAGENT_THREADS, or the engine options of the caller): it decides. */
  configured?: number;
  /** The model profile's own number (PlannerSettings.threads), when it has one. */
  profile?: number;
  /** Size of the model file. */
  modelBytes: number;
  /** Logical CPUs of this machine (os.availableParallelism). */
  cpus: number;
}

/**
 * The set number, else the profile's, else one thread for a small model, else half the logical CPUs
 * (hyper-threads share a core; on Apple silicon about the performance cores), between 1 and 8.
 */
export function decodingThreads(choice: ThreadChoice): number {
  if (choice.configured !== undefined) return choice.configured;
  if (choice.profile !== undefined) return choice.profile;
  if (choice.modelBytes < SMALL_MODEL_BYTES) return 1;
  return Math.max(1, Math.min(MOST_THREADS, Math.floor(choice.cpus / 2)));
}
