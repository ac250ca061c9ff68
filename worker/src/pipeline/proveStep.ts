// inferred → proving → proved: encrypt and prove the output chunk by chunk (one proof per CHUNK_BYTES), each chunk
// billed the tokens whose last byte falls in it, capped at the output's canonical count so a committee can recount it.
import { CHUNK_BYTES } from "@octo/circuits";
import { capTokensPerChunk } from "../billing/canonicalTokens.ts";
import type { JobData, LiveJob, ProvenChunk } from "./jobData.ts";
import type { PipelineContext } from "./pipelineContext.ts";
import { splitTokensByChunk } from "./splitTokensByChunk.ts";

export async function proveStep(ctx: PipelineContext, job: LiveJob): Promise<void> {
  const { p } = ctx;
  if (job.step === "inferred") {
    if (!ctx.advance(job, "proving")) return;
    job = p.store.getJob<JobData>(job.jobId)!;
  }
  const d = job.data;
  const { outputKey } = await ctx.inputs.input(job);
  const output = new TextEncoder().encode(d.output ?? "");
  // The bill: tokens generated, capped at the output's canonical count so that a committee can recount it.
  const generated = splitTokensByChunk({ tokenByteEnds: d.tokenByteEnds ?? [], byteLength: output.length });
  const perChunk = d.canonicalTokens === undefined ? generated : capTokensPerChunk(generated, d.canonicalTokens);
  const started = performance.now();
  p.metrics?.mark?.(job.jobId, "proveStart", started);
  let proven = 0;
  const results = await Promise.all(
    perChunk.map((tokenCount, chunkIndex) =>
      p.prover
        .prove({
          chunk: output.subarray(chunkIndex * CHUNK_BYTES, (chunkIndex + 1) * CHUNK_BYTES),
          chunkIndex,
          outputKey,
          jobId: job.jobId,
          provider: p.me,
          tokenCount,
          maxTokens: d.maxOutputTokens,
        })
        .then((result) => {
          // Progress for the operator: long outputs take one proof per 1984-byte chunk.
          p.logger.info({ jobId: job.jobId, proven: ++proven, chunks: perChunk.length }, "proving");
          return result;
        }),
    ),
  );
  p.metrics?.mark?.(job.jobId, "proveEnd", performance.now());
  p.metrics?.proof?.((performance.now() - started) / 1000);
  ctx.recordPace("proveSeconds", results.reduce((sum, r) => sum + r.provingMs, 0) / 1000); // the prover's time, not the queue's
  const chunks: ProvenChunk[] = results.map((r, i) => ({
    outputCommitment: r.publicSignals[0],
    byteLength: r.encrypted.byteLength,
    tokenCount: perChunk[i]!,
  }));
  ctx.advance(job, "proved", {
    data: {
      chunks,
      proofs: results.map((r) => [...r.proof]),
      ciphertext: results.flatMap((r) => r.encrypted.postedCiphertext),
    },
  });
}
