// The opened input of the jobs in work (an X25519 unwrap, key derivation, decryption) and each prompt's token count:
// worked out once per job and kept in memory (never in the store) while the job needs them, for preparation, inference
// and proving, so the engine does not wait on them between jobs. A failure is not kept: the next attempt opens again.
import type { Engine } from "../engines/types.ts";
import type { LiveJob } from "./jobData.ts";
import type { OpenJobInputReturnType } from "./openJobInput.ts";

type Entry = { input: Promise<OpenJobInputReturnType>; promptTokens?: Promise<number> };

export type JobInputs = ReturnType<typeof createJobInputs>;

/** `open` reads and opens one job's input (readJobInput). */
export function createJobInputs(open: (job: LiveJob) => Promise<OpenJobInputReturnType>) {
  const opened = new Map<bigint, Entry>();
  const input = (job: LiveJob): Promise<OpenJobInputReturnType> => {
    const cached = opened.get(job.jobId);
    if (cached) return cached.input;
    const entry: Entry = { input: open(job) };
    opened.set(job.jobId, entry);
    entry.input.catch(() => opened.get(job.jobId) === entry && opened.delete(job.jobId));
    return entry.input;
  };
  return {
    input,
    /** The prompt's token count as the engine sees it, asked once per job (for vLLM it is a round trip). */
    async promptTokens(job: LiveJob, engine: Pick<Engine, "countTokens">): Promise<number> {
      const { prompt } = await input(job);
      const entry = opened.get(job.jobId);
      if (!entry) return engine.countTokens(prompt);
      if (!entry.promptTokens) {
        const counting = engine.countTokens(prompt);
        entry.promptTokens = counting;
        counting.catch(() => entry.promptTokens === counting && delete entry.promptTokens); // not kept: asked again
      }
      return entry.promptTokens;
    },
    /** Forgets a job's input (it left the steps that need it, or waits for a later decision). */
    drop(jobId: bigint): void {
      opened.delete(jobId);
    },
  };
}
