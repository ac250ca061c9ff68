// octo-tiny, the default model, through the worker's own engines: held-out exact match, speed, and determinism.
// Every held-out prompt (worker/models/octo-tiny/heldout.jsonl: never seen in training) is answered greedily four
// times: by the in-process llama.cpp engine and by the child-process engine the worker runs, each with 1 and with 2
// threads. `model.deterministic` is 1 only if all four passes covered the whole set and gave byte-identical results
// (text, token counts, finish reason): the property committee re-execution rests on. OCTO_BENCH_DETERMINISM_PROMPTS=N
// limits the three comparison passes to the first N prompts for a quick look; `model.deterministic` is then 0, since
// a sample proves nothing about the rest. With 2 threads on a loaded shared machine each token waits for the second
// thread to be scheduled, so those passes are slow there (see worker/models/octo-tiny/README.md).
// Run from the repository root: node worker/bench/model.bench.ts
import { recordBench } from "@octo/devnet/bench";
import { createLlamaCppEngine } from "../src/engines/createLlamaCppEngine.ts";
import { createLlamaCppProcessEngine } from "../src/engines/createLlamaCppProcessEngine.ts";
import type { Engine, GenerateReturnType } from "../src/engines/types.ts";
import { OCTO_TINY_PATH, readOctoTinyHeldOut } from "../src/models/octoTiny.ts";

const MAX_TOKENS = 16;
const examples = readOctoTinyHeldOut();

type Pass = { name: string; results: GenerateReturnType[]; seconds: number };

async function answerAll(name: string, engine: Engine, count: number): Promise<Pass> {
  const results: GenerateReturnType[] = [];
  const started = performance.now();
  for (const { prompt } of examples.slice(0, count))
    results.push(await engine.generate({ prompt, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 }));
  const seconds = (performance.now() - started) / 1000;
  await engine.stop();
  console.log(`${name}: ${count} prompts in ${seconds.toFixed(1)} s`);
  return { name, results, seconds };
}

const compared = Math.min(
  examples.length,
  Number(process.env.OCTO_BENCH_DETERMINISM_PROMPTS ?? examples.length) || examples.length,
);
const modelPath = OCTO_TINY_PATH;
const one = await answerAll(
  "in-process, 1 thread",
  await createLlamaCppEngine({ modelPath, threads: 1 }),
  examples.length,
);
const others = [
  await answerAll("child process, 1 thread", await createLlamaCppProcessEngine({ modelPath, threads: 1 }), compared),
  await answerAll("in-process, 2 threads", await createLlamaCppEngine({ modelPath, threads: 2 }), compared),
  await answerAll("child process, 2 threads", await createLlamaCppProcessEngine({ modelPath, threads: 2 }), compared),
];

const perTask = new Map<string, { correct: number; total: number }>();
examples.forEach((e, i) => {
  const t = perTask.get(e.task) ?? { correct: 0, total: 0 };
  t.total++;
  if (one.results[i]!.text === e.answer) t.correct++;
  perTask.set(e.task, t);
});
const correct = [...perTask.values()].reduce((s, t) => s + t.correct, 0);
/** Indices where a pass differs from the 1-thread in-process pass. */
const differing = (other: Pass) =>
  other.results.flatMap((r, i) => (JSON.stringify(r) === JSON.stringify(one.results[i]) ? [] : [i]));
let differ = 0;
for (const other of others) {
  const at = differing(other);
  differ += at.length;
  if (at.length > 0)
    console.log(`${other.name}: differs on ${at.length} prompts, first: ${JSON.stringify(examples[at[0]!]!.prompt)}`);
}
const deterministic = differ === 0 && others.every((p) => p.results.length === examples.length);
const tokens = one.results.reduce((s, r) => s + r.tokens, 0);
const promptTokens = one.results.reduce((s, r) => s + r.promptTokens, 0);
const rate = (name: string) => {
  const pass = others.find((p) => p.name === name)!;
  return Number((pass.results.length / pass.seconds).toFixed(2));
};

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
  "model.childProcessPromptsPerSec": rate("child process, 1 thread"),
  "model.twoThreadPromptsPerSec": rate("in-process, 2 threads"),
  "model.childProcessTwoThreadPromptsPerSec": rate("child process, 2 threads"),
  // Prompts each of the three comparison passes answered (the whole held-out set unless limited).
  "model.deterministicPromptsCompared": compared,
  "model.deterministic": deterministic ? 1 : 0,
});
process.exit(0);
