// Decoding speed of the llama.cpp engine on the fixture model (CPU, threads: 1), greedy, through the Engine interface
// with streaming on: what the worker's own inference step costs for the test model.
// Run from the repository root: node worker/bench/engine.bench.ts
import { median, recordBench } from "@octo/devnet/bench";
import { makeFixtureModel } from "../scripts/makeFixtureModel.ts";
import { createLlamaCppEngine } from "../src/engines/createLlamaCppEngine.ts";

const RUNS = 9;
/** node-llama-cpp's per-token JavaScript takes about 5,000 tokens to be fully optimised (see worker.bench.ts): the
 *  figure is the engine's steady speed, as in a worker that has run for a while. */
const WARM_UP_RUNS = 20;
const MAX_TOKENS = 256;
/** The fixture does not emit </s> within 2000 tokens on this prompt, so every run decodes exactly MAX_TOKENS. */
const PROMPT = "benchmark";

const { path } = makeFixtureModel();
const loadStarted = performance.now();
const engine = await createLlamaCppEngine({ modelPath: path, threads: 1, contextSize: 512 });
const loadMs = performance.now() - loadStarted;

const rates: number[] = [];
for (let run = -WARM_UP_RUNS; run < RUNS; run++) {
  const started = performance.now();
  const pieces: string[] = [];
  const result = await engine.generate({ prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 }, (text) =>
    pieces.push(text),
  );
  if (result.finishReason !== "length") throw new Error(`benchmark prompt stopped early after ${result.tokens} tokens`);
  const seconds = (performance.now() - started) / 1000;
  if (run >= 0) rates.push(result.tokens / seconds);
}
await engine.stop();

recordBench({
  "engine.fixtureTokensPerSec": Math.round(median(rates)),
  "engine.fixtureLoadMs": Math.round(loadMs),
});
