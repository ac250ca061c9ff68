/**
 * The self-test a provider runs before taking verifiable jobs: the same prompts greedy, first each alone, then all at
 * once (interleaved with one another, as jobs arrive on a busy worker), several times, compared byte for byte and
 * token for token with the first runs. A committee re-runs a disputed job alone; if the provider's engine gives
 * another answer when it is busy, an honest provider would be voted at fault. The test passes only if every run of
 * every prompt matches.
 *
 * With `reference`, each prompt's output is also compared with another engine's (e.g. the same model at another
 * thread count): a mismatch there is reported, not failed, since the two are different determinism classes.
 *
 * API: runSelfTest({ engine, prompts?, maxTokens?, rounds?, reference? }): Promise<SelfTestResult>
 */
import type { Engine, GenerateReturnType } from "../engines/types.ts";

/** Prompts of different lengths and scripts: short and long contexts, multi-byte text. */
export const SELF_TEST_PROMPTS: readonly string[] = [
  "2 + 2 =",
  "Translate to French: the cat sleeps on the warm window sill.",
  "List three prime numbers:",
  "Résumé: «Déjà vu» — 日本語のテキストも含む。",
  "Once upon a time, in a village at the edge of a forest, there lived",
];

export type RunSelfTestParameters = {
  engine: Engine;
  prompts?: readonly string[];
  maxTokens?: number;
  /** Concurrent rounds after the runs alone. Default 2. */
  rounds?: number;
  /** Another engine to compare with, for information (see above). */
  reference?: Engine;
};
export type SelfTestMismatch = {
  prompt: string;
  run: string;
  expected: { text: string; tokens: number };
  got: { text: string; tokens: number };
};
export type SelfTestResult = {
  passed: boolean;
  /** The prompts that fit the engine's context and were run. */
  prompts: number;
  /** Generations compared with the first run alone. */
  compared: number;
  mismatches: SelfTestMismatch[];
  /** Prompts whose output differed on the reference engine; null without one. */
  referenceMismatches: string[] | null;
  engineVersion: string;
  seconds: number;
  at: string;
};

export async function runSelfTest({
  engine,
  prompts: asked = SELF_TEST_PROMPTS,
  maxTokens = 32,
  rounds = 2,
  reference,
}: RunSelfTestParameters): Promise<SelfTestResult> {
  const started = performance.now();
  // Each prompt generates what the engine's context leaves it, up to maxTokens; a prompt that leaves fewer than 4
  // tokens (a small model's short context) is left out. No prompt that fits is an error, never a silent pass.
  const { contextSize } = engine.info();
  const budgets = new Map<string, number>();
  for (const prompt of asked) {
    const room = contextSize - (await engine.countTokens(prompt));
    if (room >= 4) budgets.set(prompt, Math.min(maxTokens, room));
  }
  const prompts = asked.filter((p) => budgets.has(p));
  if (prompts.length === 0) throw new Error(`no self-test prompt fits the engine's context of ${contextSize} tokens`);
  const run = (on: Engine, prompt: string) =>
    on.generate({ prompt, maxTokens: budgets.get(prompt)!, temperature: 0, seed: 0 });
  const alone: GenerateReturnType[] = [];
  for (const prompt of prompts) alone.push(await run(engine, prompt));

  const mismatches: SelfTestMismatch[] = [];
  let compared = 0;
  const compare = (label: string, results: readonly GenerateReturnType[]) => {
    results.forEach((got, i) => {
      const expected = alone[i]!;
      compared++;
      if (got.text !== expected.text || got.tokens !== expected.tokens)
        mismatches.push({
          prompt: prompts[i]!,
          run: label,
          expected: { text: expected.text, tokens: expected.tokens },
          got: { text: got.text, tokens: got.tokens },
        });
    });
  };
  for (let r = 1; r <= rounds; r++) {
    // All at once, in an order that changes per round, so each prompt shares the engine with different neighbours.
    const order = prompts
      .map((_, i) => i)
      .sort((a, b) => ((a * 7 + r) % prompts.length) - ((b * 7 + r) % prompts.length));
    const together = await Promise.all(order.map((i) => run(engine, prompts[i]!)));
    const byPrompt: GenerateReturnType[] = [];
    order.forEach((i, k) => (byPrompt[i] = together[k]!));
    compare(`concurrent round ${r}`, byPrompt);
  }
  const againAlone: GenerateReturnType[] = [];
  for (const prompt of [...prompts].reverse()) againAlone.unshift(await run(engine, prompt));
  compare("alone again, reversed order", againAlone);

  let referenceMismatches: string[] | null = null;
  if (reference) {
    referenceMismatches = [];
    for (const [i, prompt] of prompts.entries()) {
      const other = await run(reference, prompt);
      if (other.text !== alone[i]!.text || other.tokens !== alone[i]!.tokens) referenceMismatches.push(prompt);
    }
  }
  return {
    passed: mismatches.length === 0,
    prompts: prompts.length,
    compared,
    mismatches,
    referenceMismatches,
    engineVersion: engine.info().version,
    seconds: (performance.now() - started) / 1000,
    at: new Date().toISOString(),
  };
}
