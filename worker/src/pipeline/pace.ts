// What a job has lately cost in the engine and in the prover, and how long a job claimed now would wait behind those
// already taken. The engine's slots bound what is claimed ahead of inference, but nothing bounds the jobs inferred and
// waiting for the prover: with a fast GPU engine and CPU proving, that queue grows with every burst, so a job is not
// claimed to wait behind the others past its deadline (decideJob's `queueSeconds`).

/** Seconds per job, exponentially weighted; 0 until the first job. */
export type Pace = { inferSeconds: number; proveSeconds: number };

export const NO_PACE: Pace = { inferSeconds: 0, proveSeconds: 0 };

/** The pace after one more job took `seconds`: that job alone at first, then 4 parts history to 1 part new. */
export function nextPace(previous: number, seconds: number): number {
  return previous === 0 ? seconds : 0.8 * previous + 0.2 * seconds;
}

export type QueueSecondsParameters = {
  pace: Pace;
  /** Jobs claimed and not yet inferred (claiming, claimed, inferring). */
  inferAhead: number;
  /** Jobs inferred and not yet proven (inferred, proving). */
  inferredAhead: number;
  /** Generations the engines run at once. */
  capacity: number;
};

/**
 * Seconds a job claimed now would wait behind those already taken: for the engine (`capacity` at a time), and for the
 * prover (one job after another: the worker runs one prover process), whichever is longer.
 */
export function queueSeconds({ pace, inferAhead, inferredAhead, capacity }: QueueSecondsParameters): number {
  const proveAhead = inferAhead + inferredAhead;
  return Math.max((inferAhead * pace.inferSeconds) / capacity, proveAhead * pace.proveSeconds);
}
