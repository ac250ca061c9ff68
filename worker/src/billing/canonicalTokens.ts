// The bill's rule (docs/protocol.md, "Billing"): a result bills at most the canonical token count of its output, the
// number of tokens the model's tokenizer gives for the output text alone (without the special tokens a prompt gets).
// Anyone holding the output can recount it, so a dispute committee checks a bill from the output alone, for any job,
// verifiable or not: padding ("Hi" and 254 spaces, which the proof's bytes bound alone would let bill 256 tokens) is
// billed as what it tokenizes to. A provider bills min(generated, canonical), so an honest bill always passes.
import type { Engine } from "../engines/types.ts";

/** Tokens the model's tokenizer gives for `text` alone: its count as a prompt, less what an empty prompt counts (BOS). */
export async function canonicalTokenCount(engine: Pick<Engine, "countTokens">, text: string): Promise<number> {
  if (text === "") return 0;
  const [withText, empty] = await Promise.all([engine.countTokens(text), engine.countTokens("")]);
  return Math.max(0, withText - empty);
}

/**
 * Caps a bill split by chunk at `cap` tokens in total, taking the excess off the last chunks first. Counts only
 * shrink, so each chunk keeps tokens ≤ bytes, as the circuit requires.
 */
export function capTokensPerChunk(perChunk: readonly number[], cap: number): number[] {
  const capped = [...perChunk];
  let excess = capped.reduce((a, b) => a + b, 0) - Math.max(0, cap);
  for (let i = capped.length - 1; i >= 0 && excess > 0; i--) {
    const cut = Math.min(capped[i]!, excess);
    capped[i]! -= cut;
    excess -= cut;
  }
  return capped;
}
