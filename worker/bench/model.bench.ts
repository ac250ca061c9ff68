// octo-tiny, the default model, through the worker's own engines: held-out exact match, speed, and determinism.
// Every held-out prompt (worker/models/octo-tiny/heldout.jsonl: never seen in training) is answered greedily by the
// in-process llama.cpp engine with 1 thread and by the child-process engine the worker runs, and the first
// OCTO_BENCH_TWO_THREAD_PROMPTS of them (default 60; "all" for the whole set) by the in-process engine with 2 threads:
// the outputs must be byte-identical, the property committee re-execution rests on. Two threads are not run over the
// whole set by default because on the shared 2-core CI machine (load ≈ 10) a 2-thread engine waits for its second
// thread at every step: 0.36–1.56 prompts/s against ≈ 90 with 1 thread, so the whole set took 13–55 minutes.
// Run from the repository root: node worker/bench/model.bench.ts
import { recordBench } from "@octo/devnet/bench";
import { createLlamaCppEngine } from "../src/engines/createLlamaCppEngine.ts";
import { createLlamaCppProcessEngine } from "../src/engines/createLlamaCppProcessEngine.ts";
import type { Engine, GenerateReturnType } from "../src/engines/types.ts";
import { OCTO_TINY_PATH, readOctoTinyHeldOut } from "../src/models/octoTiny.ts";

const MAX_TOKENS = 16;
const examples = readOctoTinyHeldOut();

type Pass = { results: GenerateReturnType[]; seconds: number };

async function answerAll(engine: Engine, count = examples.length): Promise<Pass> {
  const results: GenerateReturnType[] = [];
  const started = performance.now();
  for (const { prompt } of examples.slice(0, count))
    results.push(await engine.generate({ prompt, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 }));
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  return { results, seconds };
}

const twoThreadPrompts =
  process.env.OCTO_BENCH_TWO_THREAD_PROMPTS === "all"
    ? examples.length
    : Number(process.env.OCTO_BENCH_TWO_THREAD_PROMPTS ?? 60);
const one = await answerAll(await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, threads: 1 }));
const child = await answerAll(await createLlamaCppProcessEngine({ modelPath: OCTO_TINY_PATH, threads: 1 }));
const two = await answerAll(await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, threads: 2 }), twoThreadPrompts);

const perTask = new Map<string, { correct: number; total: number }>();
examples.forEach((e, i) => {
  const t = perTask.get(e.task) ?? { correct: 0, total: 0 };
  t.total++;
  if (one.results[i]!.text === e.answer) t.correct++;
  perTask.set(e.task, t);
});
const correct = [...perTask.values()].reduce((s, t) => s + t.correct, 0);
/** Indices where `other` (which may cover a prefix of the set) differs from the 1-thread in-process pass. */
const differing = (other: Pass) =>
  other.results.flatMap((r, i) => (JSON.stringify(r) === JSON.stringify(one.results[i]) ? [] : [i]));
const differ = [...new Set([...differing(two), ...differing(child)])];
if (differ.length > 0)
  console.log(`outputs differ on ${differ.length} prompts, first: ${JSON.stringify(examples[differ[0]!]!.prompt)}`);
const deterministic = differ.length === 0 && child.results.length === examples.length;
const tokens = one.results.reduce((s, r) => s + r.tokens, 0);
const promptTokens = one.results.reduce((s, r) => s + r.promptTokens, 0);

recordBench({
  "model.heldOutPrompts": examples.length,
  "model.exactMatch": Number((correct / examples.length).toFixed(4)),
  ...Object.fromEntries(
    [...perTask]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([task, t]) => [`model.exactMatch.${task}`, Number((t.correct / t.total).toFixed(3))]),
  ),
  // Output tokens (</s> included) per second of a whole pass, prompt evaluation included: the answers are short.
  "model.tokensPerSec": Math.round(tokens / one.seconds),
  "model.promptTokensPerSec": Math.round(promptTokens / one.seconds),
  "model.promptsPerSec": Math.round(examples.length / one.seconds),
  "model.twoThreadPromptsCompared": two.results.length,
  "model.twoThreadPromptsPerSec": Number((two.results.length / two.seconds).toFixed(2)),
  "model.childProcessPromptsPerSec": Math.round(examples.length / child.seconds),
  "model.deterministic": deterministic ? 1 : 0,
});
process.exit(0);
