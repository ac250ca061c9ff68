// How an engine run of a job decodes. A verifiable job is re-checked by re-running it, so the provider and every
// validator decode the same way: greedy (temperature 0), whatever the input asked (the input of a verifiable job may
// not sample: openJobInput hands such a job back). A job that is not verifiable decodes as its input asks: the user's
// temperature, topP and seed (the job id when the input names none, so a re-run after a restart samples alike). The
// seed is also passed to greedy runs, for engines that take one anyway. The output stops at the job's token limit or
// where the context is full, whichever comes first; validators must serve the model with the same context size for
// the second bound to agree (see worker/README.md).
import type { DecodingParameters } from "@octo/sdk";
import type { GenerateParameters } from "../engines/types.ts";

export type DecodingParametersParameters = {
  jobId: bigint;
  maxOutputTokens: number;
  promptTokens: number;
  /** Tokens the engine may hold, prompt included: min(engine context, offered max context). */
  context: number;
  /** Whether the job is verifiable (default true: greedy). */
  verifiable?: boolean | undefined;
  /** The decoding the job's input asks for; honoured only when the job is not verifiable. */
  asked?: DecodingParameters | undefined;
};

export function decodingParameters(
  p: DecodingParametersParameters,
): Pick<GenerateParameters, "maxTokens" | "temperature" | "topP" | "seed"> {
  const maxTokens = Math.min(p.maxOutputTokens, p.context - p.promptTokens);
  const jobSeed = Number(p.jobId % 2n ** 31n);
  const asked = p.verifiable === false ? p.asked : undefined;
  if (!asked || asked.temperature === 0) return { maxTokens, temperature: 0, seed: jobSeed };
  return {
    maxTokens,
    temperature: asked.temperature,
    ...(asked.topP === undefined ? {} : { topP: asked.topP }),
    seed: asked.seed ?? jobSeed,
  };
}
