// POST /v1/chat/completions and /v1/completions: parse and check the request, run it as a market job, and answer in
// OpenAI's shape, whole or as server-sent events while the provider's tokens arrive. Every answer names its job
// (`x-octo-job-id`, the `octo` object).
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseJobRequest, type CompletionKind } from "../api/parseJobRequest.ts";
import {
  chunkBody,
  completionBody,
  octoInfo,
  usageChunkBody,
  usageOf,
  type FinishReason,
} from "../api/completionBodies.ts";
import { createStopFilter, cutAtStop } from "../api/stopSequences.ts";
import { toGatewayError } from "../errors/toGatewayError.ts";
import { runJob, type CreatedJob, type RunJobReturnType } from "../jobs/runJob.ts";
import { openEventStream, readJsonBody, sendJson } from "./httpIo.ts";
import type { GatewayContext } from "./routes.ts";

export async function handleCompletion(
  ctx: GatewayContext,
  kind: CompletionKind,
  req: IncomingMessage,
  res: ServerResponse,
  receivedAt: number,
  keyId: string,
): Promise<void> {
  const request = parseJobRequest(kind, await readJsonBody(req));
  const model = await ctx.catalog.resolve(request.model);
  const created = Math.floor(Date.now() / 1000);
  const base = {
    market: ctx.market,
    store: ctx.store,
    settler: ctx.settler,
    logger: ctx.logger,
    settings: ctx.settings,
    attached: ctx.attached,
    keyId,
    request,
    model,
    onDeposit: ({ amount }: { amount: bigint }) => ctx.metrics.recordDeposit(amount),
  };
  const info = (job: CreatedJob, outcome?: RunJobReturnType) =>
    octoInfo({
      job,
      modelId: model.modelId,
      paymentToken: ctx.market.paymentToken,
      verifiable: request.verifiable,
      failedAttempts: outcome?.failedAttempts ?? [],
      outcome,
    });

  if (!request.stream) {
    const outcome = await runJob(base);
    const { text, stopped } = cutAtStop(outcome.text, request.stop);
    ctx.metrics.completionTokens.inc({ model: model.id }, outcome.completionTokens ?? 0);
    const body = completionBody({
      kind,
      jobId: outcome.job.jobId,
      created,
      model: model.id,
      text,
      finishReason: finishReason(stopped, outcome),
      usage: usageOf(outcome.completionTokens),
      octo: info(outcome.job, outcome),
    });
    return sendJson(res, 200, body, { "x-octo-job-id": outcome.job.jobId.toString() });
  }

  // Streamed: the headers go out once the first job exists (they name it); a retried job is named in the chunks.
  let stream: ReturnType<typeof openEventStream> | undefined;
  let job: CreatedJob | undefined;
  let firstToken = true;
  const filter = createStopFilter(request.stop);
  const chunk = (p: { text?: string; first?: boolean; finishReason?: FinishReason; octo?: ReturnType<typeof info> }) =>
    chunkBody({ kind, jobId: job!.jobId, created, model: model.id, ...p });
  const sendText = (text: string) => {
    if (!stream || text === "") return;
    if (firstToken) {
      firstToken = false;
      ctx.metrics.ttft.observe({ model: model.id }, (performance.now() - receivedAt) / 1000);
    }
    stream.send(chunk({ text }));
  };
  try {
    const outcome = await runJob({
      ...base,
      onJobCreated: (createdJob) => {
        job = createdJob;
        if (stream) return;
        stream = openEventStream(res, { "x-octo-job-id": createdJob.jobId.toString() });
        stream.send(chunk({ first: true, ...(kind === "chat" ? { text: "" } : {}), octo: info(createdJob) }));
      },
      onText: (text) => sendText(filter.push(text)),
    });
    sendText(filter.end());
    ctx.metrics.completionTokens.inc({ model: model.id }, outcome.completionTokens ?? 0);
    const octo = info(outcome.job, outcome);
    stream!.send(chunk({ finishReason: finishReason(filter.stopped, outcome), octo }));
    const usage = usageOf(outcome.completionTokens);
    if (request.includeUsage && usage)
      stream!.send(usageChunkBody({ kind, jobId: outcome.job.jobId, created, model: model.id, usage, octo }));
    stream!.done();
  } catch (caught) {
    if (!stream) throw caught;
    // Mid-stream: OpenAI's clients raise an error event as an APIError.
    const error = toGatewayError(caught);
    ctx.metrics.errors.inc({ code: error.code });
    ctx.logger.warn({ code: error.code, err: caught }, "stream ended with an error");
    stream.send(error.toJSON());
    res.end();
  }
}

/** "length" when the job used every token it was allowed, as OpenAI reports a cut-off answer. */
function finishReason(stopped: boolean, outcome: RunJobReturnType): FinishReason {
  return !stopped && outcome.completionTokens !== undefined && outcome.completionTokens >= outcome.job.maxTokens
    ? "length"
    : "stop";
}
