// inferring → inferred | released: follow the job's generation (started by the tick, or ahead of the claim for a job
// that names us), stream each piece sealed for the user, and keep the output, its chunk offsets and its canonical
// token count (the most the bill may be).
import { canonicalTokenCount } from "../billing/canonicalTokens.ts";
import { PromptTooLongError } from "../engines/errors.ts";
import type { Engine } from "../engines/types.ts";
import { followOutput } from "./jobGeneration.ts";
import type { LiveJob } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { engineFailed, releaseJob } from "./releaseJob.ts";
import { sealedStream } from "./sealedStream.ts";
import type { Generation } from "./startGeneration.ts";

/** The infer step of one pipeline (it keeps when each engine last finished, to time a job without its wait). */
export function createInferStep(ctx: PipelineContext) {
  const { p } = ctx;
  /** When each engine last finished a generation (by engine id), to time the next one without its wait in line. */
  const lastInferEnd = new Map<string, number>();

  return async function infer(job: LiveJob): Promise<void> {
    const engine: Engine | undefined = ctx.engineOf(job.data.modelId);
    if (!engine) return releaseJob(ctx, job, "ModelUnavailable", "no engine serves this model");
    const { promptKey } = await ctx.inputs.input(job);
    let generation: Generation | undefined;
    try {
      generation = await (ctx.generations.get(job.jobId) ?? ctx.generations.start(job, engine));
    } catch (e) {
      return engineFailed(ctx, job, engine, e);
    }
    if (!generation) {
      ctx.generations.forget(job.jobId);
      return releaseJob(ctx, job, "PromptTooLong", "the prompt leaves no room for output in the model's context");
    }
    const live = p.stream && sealedStream({ stream: p.stream, jobId: job.jobId, promptKey });
    const tokenByteEnds = followOutput(generation, (piece) => live?.push(piece));
    try {
      const result = await generation.done;
      const ended = performance.now();
      p.metrics?.mark?.(job.jobId, "inferEnd", ended);
      live?.end();
      // A generation asked ahead waited for the one before it: its own time starts where that one ended.
      ctx.recordPace("inferSeconds", (ended - Math.max(generation.startedAt, lastInferEnd.get(engine.id) ?? 0)) / 1000);
      lastInferEnd.set(engine.id, ended);
      p.metrics?.tokens?.(result.tokens, (ended - generation.startedAt) / 1000);
      const canonicalTokens = await canonicalTokenCount(engine, result.text);
      ctx.advance(job, "inferred", {
        data: { output: result.text, tokenByteEnds, canonicalTokens, engineVersion: engine.info().version },
      });
    } catch (e) {
      ctx.generations.forget(job.jobId);
      if (e instanceof PromptTooLongError) return releaseJob(ctx, job, "PromptTooLong", e.message);
      return engineFailed(ctx, job, engine, e);
    }
  };
}
