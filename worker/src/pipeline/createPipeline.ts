/**
 * The job pipeline: claim → open input → infer → encrypt + prove → submit → finalize, one persisted step at a time.
 *
 * Every step reads the job from the store, does its work, and moves the job on with a compare-and-set, so a restart
 * at any point resumes from the last step that was recorded, and no step's effect is applied twice:
 *   - transactions go out under one sender intent per step (`job:7:claim`, `submit:7,8`, `job:7:finalize`); the
 *     sender never mines two transactions for one intent and re-attaches to a pending one after a restart;
 *   - every transaction is simulated first, so a step whose effect already happened (another worker finalized, a
 *     pre-crash submission was mined under an older intent) shows up as a named revert, never as burned gas;
 *   - inference and proving are deterministic, so a restart in the middle of them just runs them again.
 * Jobs proven in the same tick are submitted together under one batch verification (`submitResults`).
 *
 * This file schedules; each step is its own module: decideStep (seen → claiming), claimStep (→ claimed), keyStep
 * (→ inferring), inferStep (→ inferred), proveStep (→ proved), submitStep (→ submitted), finalizeStep (→ done), with
 * releaseJob for hand-backs. What they share (store moves, chain reads, opened inputs, generations, pace) is the
 * pipeline context (pipelineContext.ts).
 *
 * API:
 *   createPipeline(parameters): Pipeline
 *     pipeline.tick(): Promise<void>   one pass over every live job (the daemon calls it after each watcher tick)
 *     pipeline.idle(): Promise<void>   resolves when no step is running
 *     pipeline.stop(): Promise<void>   lets running steps finish, starts no new ones
 */
import { claimStep } from "./claimStep.ts";
import { createDecideStep } from "./decideStep.ts";
import { finalizeStep } from "./finalizeStep.ts";
import { createInferStep } from "./inferStep.ts";
import type { JobData, LiveJob } from "./jobData.ts";
import { keyStep } from "./keyStep.ts";
import { createPipelineContext, type CreatePipelineParameters } from "./pipelineContext.ts";
import { proveStep } from "./proveStep.ts";
import { submitStep } from "./submitStep.ts";

export type { CreatePipelineParameters, PipelineMetrics } from "./pipelineContext.ts";
export { ReleaseRefusedError } from "./releaseJob.ts";

export type Pipeline = ReturnType<typeof createPipeline>;

export function createPipeline(p: CreatePipelineParameters) {
  const { store, logger } = p;
  const ctx = createPipelineContext(p);
  const { generations } = ctx;
  const decide = createDecideStep(ctx);
  const infer = createInferStep(ctx);
  const running = new Set<bigint>();
  const tasks = new Set<Promise<void>>();
  let stopped = false;

  /** Runs one job's step unless that job already has a step running. */
  const run = (job: LiveJob, step: (job: LiveJob) => Promise<void>) => {
    if (running.has(job.jobId) || stopped) return;
    running.add(job.jobId);
    const started = performance.now();
    const task = step(job)
      .catch((e: unknown) =>
        logger.warn({ jobId: job.jobId, step: job.step, err: e }, "job step failed; retrying on a later tick"),
      )
      .finally(() => {
        running.delete(job.jobId);
        tasks.delete(task);
        p.metrics?.step?.(job.step, (performance.now() - started) / 1000);
        // A job that moved goes straight on to its next step instead of waiting for the next poll; one that did not
        // (waiting for capacity, a window, a key) waits for the poll, so nothing spins.
        if (store.getJob(job.jobId)?.step !== job.step) setImmediate(() => void tick());
      });
    tasks.add(task);
  };

  /** Runs one step over several jobs (a batch submission); each job counts as running until it settles. */
  const runGroup = (jobs: LiveJob[], step: (jobs: LiveJob[]) => Promise<void>) => {
    for (const j of jobs) running.add(j.jobId);
    const task = step(jobs)
      .catch((e: unknown) =>
        logger.warn({ jobs: jobs.map((j) => j.jobId), err: e }, "batch step failed; retrying on a later tick"),
      )
      .finally(() => {
        for (const j of jobs) running.delete(j.jobId);
        tasks.delete(task);
        if (jobs.some((j) => store.getJob(j.jobId)?.step !== j.step)) setImmediate(() => void tick());
      });
    tasks.add(task);
  };

  async function tick() {
    if (stopped) return;
    // A job the watcher ended (cancelled, timed out) left its step without our `advance`: its generation goes too.
    for (const jobId of generations.jobIds()) {
      const step = store.getJob(jobId)?.step;
      if (step === "seen" && running.has(jobId)) continue; // started at sight while its decision reads the chain
      if (!step || !ctx.needsGeneration(step)) generations.drop(jobId);
    }
    // The engine first: a slot freed by the job that just finished goes to the next job before anything else runs.
    for (const job of store.jobsInStep<JobData>("inferring")) {
      if (running.has(job.jobId)) continue;
      // A job already in the engine (speculated while its claim was mined) only needs following; any other starts
      // here when the engine has room, counted before the next job is looked at.
      if (!generations.has(job.jobId)) {
        const engine = ctx.engineOf(job.data.modelId);
        if (engine && !generations.hasRoom()) continue;
        if (engine) generations.start(job, engine).catch(() => undefined);
      }
      run(job, infer);
    }
    for (const job of store.jobsInStep<JobData>("seen")) run(job, decide);
    for (const job of store.jobsInStep<JobData>("claiming")) run(job, (j) => claimStep(ctx, j));
    for (const job of store.jobsInStep<JobData>("claimed")) run(job, (j) => keyStep(ctx, j));
    // With the benchmark switch, jobs stop after inference: they are not looked at again on every tick.
    if (!p.benchmarkSkipProving)
      for (const job of [...store.jobsInStep<JobData>("inferred"), ...store.jobsInStep<JobData>("proving")])
        run(job, (j) => proveStep(ctx, j));
    // A batch left half-sent by a restart goes out again under its own intent first.
    for (const job of store.jobsInStep<JobData>("submitting")) run(job, (j) => submitStep(ctx, [j]));
    const proved = store.jobsInStep<JobData>("proved").filter((j) => !running.has(j.jobId));
    if (proved.length > 0) {
      const batches = p.batchSubmit === false ? proved.map((j) => [j]) : [proved];
      for (const batch of batches) runGroup(batch, (jobs) => submitStep(ctx, jobs));
    }
    for (const job of [...store.jobsInStep<JobData>("submitted"), ...store.jobsInStep<JobData>("finalizing")])
      run(job, (j) => finalizeStep(ctx, j));
  }

  return {
    tick,
    async idle() {
      while (tasks.size > 0) await Promise.allSettled([...tasks]);
    },
    running: () => running.size,
    async stop() {
      stopped = true;
      await Promise.allSettled([...tasks]);
    },
  };
}
