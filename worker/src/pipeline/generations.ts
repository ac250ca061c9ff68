// Generations asked of the engines, by job id: at most one per job, started by the tick (a claimed job) or ahead of
// its claim (speculation: a job that names us), and followed by the infer step. In memory only: after a restart a
// job's generation simply starts again (decoding is deterministic).
//
// The engines are kept busy: `capacity` generations running plus one queued, so an engine goes from one job to the
// next without waiting for the pipeline to ask. The tick serves claimed jobs first; speculation takes what is left.
import type { Engine } from "../engines/types.ts";
import type { LiveJob } from "./jobData.ts";
import type { JobInputs } from "./jobInputs.ts";
import { jobContext, startJobGeneration } from "./jobGeneration.ts";
import type { Generation } from "./startGeneration.ts";

export type CreateGenerationsParameters = {
  /** Generations the engines run at once. */
  capacity: number;
  inputs: JobInputs;
  /** The offered max context of a model, if the offer bounds it. */
  maxContextOf: (job: LiveJob) => number | undefined;
  /** performance.now() when a job's generation was asked (benchmarks). */
  onStart?: ((jobId: bigint, at: number) => void) | undefined;
};

export type Generations = ReturnType<typeof createGenerations>;

export function createGenerations({ capacity, inputs, maxContextOf, onStart }: CreateGenerationsParameters) {
  const generations = new Map<bigint, Promise<Generation | undefined>>();
  /** Jobs whose generation is asked for and not yet settled: the engine's work now. */
  const generating = new Set<bigint>();

  /** Starts the job's generation with its verifiable decoding; undefined when the prompt cannot fit. */
  async function begin(job: LiveJob, engine: Engine): Promise<Generation | undefined> {
    generating.add(job.jobId); // before the first await: the tick counts it at once
    const settled = () => generating.delete(job.jobId);
    try {
      const { prompt, decoding: asked } = await inputs.input(job);
      const generation = startJobGeneration(engine, {
        jobId: job.jobId,
        prompt,
        promptTokens: await inputs.promptTokens(job, engine),
        maxOutputTokens: job.data.maxOutputTokens,
        context: jobContext(engine, maxContextOf(job)),
        verifiable: job.data.verifiable,
        asked,
      });
      if (!generation) return void settled();
      onStart?.(job.jobId, generation.startedAt);
      generation.done.then(settled, settled);
      return generation;
    } catch (error) {
      settled();
      throw error;
    }
  }

  /** Asks for the job's generation and keeps it for the infer step. A start that fails (the input, the token count,
   *  an engine restarting) is not kept, so the next attempt starts a new one rather than reading the failure as
   *  "the prompt does not fit". */
  const start = (job: LiveJob, engine: Engine) => {
    const started = begin(job, engine);
    generations.set(job.jobId, started);
    started.catch(() => generations.get(job.jobId) === started && generations.delete(job.jobId));
    return started;
  };

  const hasRoom = () => generating.size < capacity + 1;

  return {
    start,
    hasRoom,
    /** The generation asked for the job, if any. */
    get: (jobId: bigint) => generations.get(jobId),
    has: (jobId: bigint) => generations.has(jobId),
    jobIds: () => [...generations.keys()],
    /** Forgets a generation that failed (it is not aborted: it has ended). */
    forget: (jobId: bigint) => void generations.delete(jobId),
    /** A job that names us starts generating while its claim is mined, so the engine does not wait on the chain. */
    speculate(job: LiveJob, engine: Engine | undefined) {
      if (!engine || generations.has(job.jobId) || !hasRoom()) return;
      start(job, engine).catch(() => undefined); // a failed start is forgotten: the infer step starts again
    },
    /** Aborts and forgets the job's generation: the job no longer needs it. */
    drop(jobId: bigint) {
      const g = generations.get(jobId);
      if (!g) return;
      generations.delete(jobId);
      void g.then(
        (generation) => generation?.abort(new Error("the job no longer needs this generation")),
        () => undefined,
      );
    },
  };
}
