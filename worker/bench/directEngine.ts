// The bare engine, for the worker benchmark's baseline: the same llama.cpp engine called directly on the same prompts,
// in a process of its own (as the worker's engine runs), pinned to the same CPUs when the benchmark pins. Prints
// {"seconds": …} for the prompts, run after the warm-up prompts and `idleMs` of idleness (as long as the worker's
// engine idled while the benchmark created its jobs).
//   node worker/bench/directEngine.ts '<json: { modelPath, warmUpPrompts, idleMs, prompts, maxTokens }>'
import { createLlamaCppEngine } from "../src/engines/createLlamaCppEngine.ts";

const { modelPath, warmUpPrompts, idleMs, prompts, maxTokens } = JSON.parse(process.argv[2]!) as {
  modelPath: string;
  warmUpPrompts: string[];
  idleMs: number;
  prompts: string[];
  maxTokens: number;
};
const engine = await createLlamaCppEngine({ modelPath, threads: 1, contextSize: 512, gpu: false });
for (const prompt of warmUpPrompts) await engine.generate({ prompt, maxTokens, temperature: 0, seed: 0 });
await new Promise((r) => setTimeout(r, idleMs));
const started = performance.now();
for (const prompt of prompts) await engine.generate({ prompt, maxTokens, temperature: 0, seed: 0 });
console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000 }));
await engine.stop();
