// What the gateway adds to a streamed answer, on the local market (fixture model, CPU, one thread):
// - gateway.ttftMs: request → first token through the gateway, next to gateway.engineTtftMs, the same prompt sent
//   straight to the same kind of engine (llama.cpp in its own process, as the worker runs it) in the same run. The
//   gateway's figure includes what any market job costs before its first token: paying the escrow (one transaction
//   mined), the provider seeing and claiming the job, and opening its input.
// - gateway.overheadTokensPerSecRatio: tokens per second through the gateway ÷ the engine's own (goal ≥ 0.95).
// - gateway.passThroughTokensPerSecRatio: tokens per second through the gateway ÷ the provider's live stream as it
//   leaves the worker (read beside the gateway, same job, same pieces): what the gateway itself costs.
// How it is measured, so that only the path differs: the provider's worker runs in its own process (as it would on
// its own host), the engine baseline in another; both decode greedily the same prompt to the same token count, so
// both produce the same text (checked). Each run sends one request through the gateway and then the same prompt to
// the engine, so both see the same load on the machine; each side is timed from its first token to its last, over the
// same stretch of the text (the bytes after the gateway's first chunk: the worker streams what the engine produced
// before its stream opened as one piece), and the ratio is taken per run. Each figure is the median of RUNS ratios
// after WARMUP runs; their spread is printed. A run whose answer came in one piece has no rate and is left out.
// Run from the repository root: node gateway/bench/gateway.bench.ts
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fundAccount } from "@octo/devnet";
import { median, recordBench } from "@octo/devnet/bench";
import { createLlamaCppProcessEngine } from "@octo/worker/llamaCppProcessEngine";
import { startLocalMarket } from "@octo/worker/localMarket";
import { startGateway } from "../src/index.ts";
import { createLogger } from "../src/ops/createLogger.ts";
import { startWorkerProcess } from "../test/helpers/workerProcess.ts";

const WARMUP = 2;
const RUNS = 9;
const PROMPT = "benchmark";
// Long answers (the fixture's whole context): at ≈ 1,000 tokens/s, 480 tokens gave each side a window of ≈ 0.4 s, which
// one scheduling hiccup on a shared 2-core machine could halve; 1,900 tokens give ≈ 2 s.
const MAX_TOKENS = 1900;
const CONTEXT = 2048;

/** When each piece of text arrived, and the text's length in bytes so far. */
type Arrivals = { at: number; bytes: number }[];
type Run = { ttftMs: number; arrivals: Arrivals; text: string; tokens: number };

const marketDataDir = mkdtempSync(join(tmpdir(), "octo-gateway-bench-"));
// The market's own in-process worker is stopped at once, so its logs are not wanted.
const market = await startLocalMarket({
  model: "fixture",
  dataDir: marketDataDir,
  contextSize: CONTEXT,
  logLevel: "silent",
});
await market.worker.stop();
const worker = await startWorkerProcess({ marketDataDir });
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
  dataDir: mkdtempSync(join(tmpdir(), "octo-gateway-bench-data-")),
  streamUrls: { [market.provider.address]: worker.streamUrl },
  pollIntervalMs: 100,
  logger: createLogger({ level: "silent" }),
});
const openai = new OpenAI({ baseURL: gateway.baseURL, apiKey: gateway.createApiKey({ name: "bench" }), maxRetries: 0 });
// The engine as the worker runs it (its own process, one thread, the same context), called directly.
const engine = await createLlamaCppProcessEngine({
  modelPath: market.modelPath,
  threads: 1,
  contextSize: CONTEXT,
  gpu: false,
});

/** When each sealed piece of the job left the worker's live-output server (read as any second follower would). */
async function providerStream(jobId: string): Promise<number[]> {
  const response = await fetch(`${worker.streamUrl}/jobs/${jobId}/stream`, {
    headers: { accept: "text/event-stream" },
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const pieces: number[] = [];
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return pieces;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = /^event: (.*)$/m.exec(buffer.slice(0, end))?.[1];
      buffer = buffer.slice(end + 2);
      if (event === "piece") pieces.push(performance.now());
      if (event === "end") {
        await reader.cancel();
        return pieces;
      }
    }
  }
}

async function throughGateway(): Promise<Run & { provider: number[] }> {
  const started = performance.now();
  const { data: stream, response } = await openai.completions
    .create({
      model: "octo-fixture-tiny",
      prompt: PROMPT,
      max_tokens: MAX_TOKENS,
      stream: true,
      stream_options: { include_usage: true },
    })
    .withResponse();
  const provider = providerStream(response.headers.get("x-octo-job-id")!);
  const arrivals: Arrivals = [];
  let text = "";
  let tokens = 0;
  for await (const chunk of stream) {
    const piece = chunk.choices[0]?.text;
    if (piece) {
      text += piece;
      arrivals.push({ at: performance.now(), bytes: Buffer.byteLength(text) });
    }
    if (chunk.usage) tokens = chunk.usage.completion_tokens;
  }
  if (arrivals.length === 0 || tokens === 0) throw new Error("no streamed text or usage");
  return { ttftMs: arrivals[0]!.at - started, arrivals, text, tokens, provider: await provider };
}

async function direct(): Promise<Run> {
  const started = performance.now();
  const arrivals: Arrivals = [];
  let text = "";
  const result = await engine.generate({ prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 }, (piece) => {
    text += piece;
    arrivals.push({ at: performance.now(), bytes: Buffer.byteLength(text) });
  });
  return { ttftMs: arrivals[0]!.at - started, arrivals, text, tokens: result.tokens };
}

/**
 * Tokens per second of each side over the same stretch of the text: from the gateway's first chunk to the end (the
 * engine's clock starts at its first piece that reaches as far). Undefined when the gateway sent it all at once.
 */
function rates(gw: Run, eng: Run): { gateway: number; engine: number } | undefined {
  if (gw.text !== eng.text) throw new Error("the gateway's answer differs from the engine's: not the same work");
  const tokensPerByte = gw.tokens / Buffer.byteLength(gw.text);
  const rate = (arrivals: Arrivals, from: number) => {
    const start = arrivals.find((a) => a.bytes >= from)!;
    const end = arrivals.at(-1)!;
    if (end.at === start.at) return undefined;
    return ((end.bytes - start.bytes) * tokensPerByte) / ((end.at - start.at) / 1000);
  };
  const from = gw.arrivals[0]!.bytes;
  const gateway = rate(gw.arrivals, from);
  const engineRate = rate(eng.arrivals, from);
  return gateway === undefined || engineRate === undefined ? undefined : { gateway, engine: engineRate };
}

/** The gateway's chunks are the provider's pieces, one for one: its time over theirs, first piece to last. */
function passThrough(gw: Run & { provider: number[] }): number | undefined {
  const { provider, arrivals } = gw;
  if (provider.length !== arrivals.length) throw new Error("the gateway's chunks are not the provider's pieces");
  const providerMs = provider.at(-1)! - provider[0]!;
  const gatewayMs = arrivals.at(-1)!.at - arrivals[0]!.at;
  return providerMs === 0 || gatewayMs === 0 ? undefined : providerMs / gatewayMs;
}

const pairs: { gateway: Run & { provider: number[] }; engine: Run }[] = [];
for (let i = 0; i < WARMUP + RUNS; i++) {
  const gw = await throughGateway();
  const eng = await direct();
  if (i >= WARMUP) pairs.push({ gateway: gw, engine: eng });
}
await engine.stop();
await gateway.stop();
await worker.kill();
await market.stop();

const measured = pairs.flatMap((p) => {
  const r = rates(p.gateway, p.engine);
  return r ? [{ ...r, ratio: r.gateway / r.engine }] : [];
});
const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
console.log(
  `chunks per answer through the gateway: ${pairs.map((p) => p.gateway.arrivals.length).join(", ")}; ` +
    `tokens in the first chunk: ${pairs.map((p) => Math.round((p.gateway.arrivals[0]!.bytes / Buffer.byteLength(p.gateway.text)) * p.gateway.tokens)).join(", ")}`,
);
for (const m of measured)
  console.log(
    `  gateway ${m.gateway.toFixed(1)} tok/s, engine ${m.engine.toFixed(1)} tok/s, ratio ${m.ratio.toFixed(3)}`,
  );
recordBench({
  "gateway.ttftMs": Math.round(median(pairs.map((p) => p.gateway.ttftMs))),
  "gateway.engineTtftMs": round(median(pairs.map((p) => p.engine.ttftMs)), 1),
});
/** Records the median of the runs' ratios, and prints their spread; not recorded when most runs had no rate. */
function recordRatio(name: string, ratios: number[]) {
  if (ratios.length * 2 <= RUNS)
    return console.log(`${name} not recorded: only ${ratios.length} of ${RUNS} answers came in more than one piece`);
  const sorted = [...ratios].sort((a, b) => a - b);
  console.log(
    `${name}: median ${median(sorted).toFixed(3)} of ${sorted.length} runs, ` +
      `min ${sorted[0]!.toFixed(3)}, max ${sorted.at(-1)!.toFixed(3)} (${sorted.map((r) => r.toFixed(2)).join(", ")})`,
  );
  recordBench({ [name]: round(median(sorted), 2) });
}
recordRatio(
  "gateway.overheadTokensPerSecRatio",
  measured.map((m) => m.ratio),
);
recordRatio(
  "gateway.passThroughTokensPerSecRatio",
  pairs.flatMap((p) => passThrough(p.gateway) ?? []),
);
process.exit(0);
