// How every engine run of a job decodes, the provider's and each validator's alike: a result can only be re-checked
// by re-running it if both sides decode the same way. Greedy (temperature 0); the seed is the job id, for engines that
// take one anyway; the output stops at the job's token limit or where the context is full, whichever comes first.
// Validators must serve the model with the same context size for the second bound to agree (see worker/README.md).
import type { GenerateParameters } from "../engines/types.ts";

export type DecodingParametersParameters = {
  jobId: bigint;
  maxOutputTokens: number;
  promptTokens: number;
  /** Tokens the engine may hold, prompt included: min(engine context, offered max context). */
  context: number;
};

export function decodingParameters(
  p: DecodingParametersParameters,
): Pick<GenerateParameters, "maxTokens" | "temperature" | "seed"> {
  return {
    maxTokens: Math.min(p.maxOutputTokens, p.context - p.promptTokens),
    temperature: 0,
    seed: Number(p.jobId % 2n ** 31n),
  };
}
