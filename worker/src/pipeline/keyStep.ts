// claimed → inferring | released: the job's key. Its input must open (the secret is in the envelope for a job that
// names us, or delivered by its user after the claim) and its prompt must leave room for output in the model's
// context. Input faults are the user's: handing the job back refunds them.
import { jobContext } from "./jobGeneration.ts";
import type { LiveJob } from "./jobData.ts";
import { InputFaultError } from "./openJobInput.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { engineFailed, releaseJob } from "./releaseJob.ts";

export async function keyStep(ctx: PipelineContext, job: LiveJob): Promise<void> {
  try {
    await ctx.inputs.input(job);
  } catch (e) {
    if (!(e instanceof InputFaultError)) throw e;
    if (e.fault === "KeyNotDelivered") {
      // Wait for the user's key until the key deadline the claim set (`windowEnd`), then hand the job back (refund,
      // no slash). Not until the job's own deadline: a claim waiting on a key holds collateral and a claim slot,
      // and users who never deliver would otherwise keep the worker from serving anyone for as long as their jobs run.
      const { windowEnd } = await ctx.onChain(job.jobId);
      if ((await ctx.chainTime()) < Number(windowEnd)) return;
      return releaseJob(ctx, job, "KeyNotDelivered", e.message);
    }
    return releaseJob(ctx, job, "InputUndecryptable", e.message);
  }
  const engine = ctx.engineOf(job.data.modelId);
  if (!engine) return releaseJob(ctx, job, "ModelUnavailable", "no engine serves this model");
  let promptTokens: number;
  try {
    promptTokens = await ctx.inputs.promptTokens(job, engine); // a round trip to vLLM, which may be down
  } catch (e) {
    return engineFailed(ctx, job, engine, e);
  }
  const context = jobContext(engine, ctx.offerOf(job.data.modelId)?.maxContext);
  if (promptTokens >= context)
    return releaseJob(ctx, job, "PromptTooLong", `${promptTokens} prompt tokens, context ${context}`);
  ctx.advance(job, "inferring");
}
