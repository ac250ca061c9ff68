// One way to run a job on the engine, for the provider's pipeline and a dispute committee's re-run alike: the context
// the job may use, its verifiable decoding (decodingParameters), the generation started with it, and the output's
// byte length after each piece (the chunk offsets a bill is split by). A re-run only agrees with the provider's run
// when both go through here.
import type { DecodingParameters } from "@octo/sdk";
import type { Engine } from "../engines/types.ts";
import { decodingParameters } from "./decodingParameters.ts";
import { startGeneration, type Generation } from "./startGeneration.ts";
import { createTokenByteEnds } from "./tokenByteEnds.ts";

/** Tokens a job may use, prompt included: the engine's context, or less where the offer says so. */
export function jobContext(engine: Pick<Engine, "info">, maxContext: number | undefined): number {
  return Math.min(engine.info().contextSize, maxContext ?? Infinity);
}

export type StartJobGenerationParameters = {
  jobId: bigint;
  /** The rendered input (openJobInput) and its token count as this engine sees it. */
  prompt: string;
  promptTokens: number;
  maxOutputTokens: number;
  /** jobContext(engine, offered max context) */
  context: number;
  /** Whether the job is verifiable (greedy), and the decoding its input asks for (honoured only when it is not). */
  verifiable: boolean;
  asked?: DecodingParameters | undefined;
};

/** Starts the job's generation with its verifiable decoding; undefined when the prompt leaves no room for output. */
export function startJobGeneration(engine: Engine, p: StartJobGenerationParameters): Generation | undefined {
  if (p.promptTokens >= p.context) return undefined;
  return startGeneration(engine, { prompt: p.prompt, ...decodingParameters(p) });
}

/**
 * Follows a generation from its first piece: returns the output's byte length after each piece (filled as pieces
 * come; complete once `generation.done` settles) and hands every piece to `onPiece` (the live stream).
 */
export function followOutput(generation: Generation, onPiece?: (piece: string) => void): number[] {
  const byteEnds = createTokenByteEnds();
  generation.follow((piece) => {
    byteEnds.add(piece);
    onPiece?.(piece);
  });
  return byteEnds.ends;
}
