// What the gateway adds to a streamed answer, on the local market (fixture model, CPU, one thread): the time from the
// request to the first token through the gateway (gateway.ttftMs) next to the same prompt sent straight to the same
// llama.cpp engine in this run (gateway.engineTtftMs), and the streamed tokens per second through the gateway over
// the engine's own (gateway.overheadTokensPerSecRatio; the goal is ≥ 0.95). Medians of RUNS requests.
// The gateway's figure includes what any market job costs before its first token: paying the escrow (one transaction
// mined), the provider seeing and claiming the job, and opening its input.
// Run from the repository root: node gateway/bench/gateway.bench.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fundAccount } from "@octo/devnet";
import { median, recordBench } from "@octo/devnet/bench";
import { createLlamaCppEngine } from "@octo/worker/llamaCppEngine";
import { startLocalMarket } from "@octo/worker/localMarket";
import { startGateway } from "../src/index.ts";
import { createLogger } from "../src/ops/createLogger.ts";

const RUNS = 5;
const PROMPT = "benchmark";
const MAX_TOKENS = 480;

const market = await startLocalMarket({ model: "fixture" });
const operatorKey = generatePrivateKey();
await fundAccount({
  rpcUrl: market.devnet.rpcUrl,
  deployments: market.devnet.deployments,
  address: privateKeyToAccount(operatorKey).address,
  pol: 10,
  octo: 0,
  usdc: 100,
});
const gateway = await startGateway({
  deploymentsPath: market.deploymentsPath,
  rpcUrl: market.devnet.rpcUrl,
  operatorKey,
  dataDir: mkdtempSync(join(tmpdir(), "octo-gateway-bench-")),
  streamUrls: { [market.provider.address]: market.worker.stream.url },
  pollIntervalMs: 100,
  logger: createLogger({ level: "silent" }),
});
const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: gateway.createApiKey({ name: "bench" }), maxRetries: 0 });

/**
 * One streamed request: ms to the first text, and tokens per second from the first text to the last. The worker
 * seals the tokens of one event-loop turn as one piece, so the first chunk may hold several tokens: the rate counts
 * the tokens after it (the billed tokens in proportion to the bytes that came after the first chunk), as the engine's
 * rate below counts the tokens after its first.
 */
async function throughGateway() {
  const started = performance.now();
  const stream = await openai.completions.create({
    model: "octo-fixture-tiny",
    prompt: PROMPT,
    max_tokens: MAX_TOKENS,
    stream: true,
    stream_options: { include_usage: true },
  });
  let first: number | undefined;
  let last = 0;
  let firstBytes = 0;
  let bytes = 0;
  let tokens = 0;
  let chunks = 0;
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.text;
    if (text) {
      chunks++;
      bytes += Buffer.byteLength(text);
      if (first === undefined) (first = performance.now()), (firstBytes = bytes);
      last = performance.now();
    }
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  if (first === undefined || tokens === 0) throw new Error("no streamed text or usage");
  // All of it in one chunk: no rate to measure.
  const tokensPerSec = last === first ? undefined : (tokens * (1 - firstBytes / bytes)) / ((last - first) / 1000);
  return { ttftMs: first - started, tokensPerSec, chunks };
}

const viaGateway = [];
await throughGateway(); // warm-up: the standing allowance's approve, the worker's first job
for (let i = 0; i < RUNS; i++) viaGateway.push(await throughGateway());
await gateway.stop();
await market.stop();

// The same engine, the same model, prompt and settings as the worker's (threads 1, context 512), called directly.
const engine = await createLlamaCppEngine({ modelPath: market.modelPath, threads: 1, contextSize: 512, gpu: false });
const direct = [];
for (let i = -1; i < RUNS; i++) {
  const started = performance.now();
  let first: number | undefined;
  let last = 0;
  const result = await engine.generate(
    { prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 },
    () => ((first ??= performance.now()), (last = performance.now())),
  );
  if (i >= 0 && first !== undefined)
    direct.push({ ttftMs: first - started, tokensPerSec: (result.tokens - 1) / ((last - first) / 1000) });
}
await engine.stop();

const ttftMs = median(viaGateway.map((r) => r.ttftMs));
const engineTtftMs = median(direct.map((r) => r.ttftMs));
const rates = viaGateway.flatMap((r) => (r.tokensPerSec === undefined ? [] : [r.tokensPerSec]));
console.log(`text chunks per answer through the gateway: ${viaGateway.map((r) => r.chunks).join(", ")}`);
recordBench({ "gateway.ttftMs": Math.round(ttftMs), "gateway.engineTtftMs": Math.round(engineTtftMs * 10) / 10 });
// The worker seals what the engine produced in one turn as one piece: a short, fast answer can arrive in one or two
// chunks, which leaves no rate to compare. The ratio is recorded only when most answers came in several chunks.
if (rates.length * 2 > RUNS)
  recordBench({
    "gateway.overheadTokensPerSecRatio":
      Math.round((median(rates) / median(direct.map((r) => r.tokensPerSec))) * 100) / 100,
  });
else
  console.log(
    `gateway.overheadTokensPerSecRatio not recorded: only ${rates.length} of ${RUNS} answers came in more than one chunk`,
  );
process.exit(0);
