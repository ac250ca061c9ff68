// `npm start`: the whole market on the embedded local default, end to end:
// a local chain (anvil) with the contracts deployed, a provider worker running the llama.cpp engine on octo-tiny (the
// project's small trained model, worker/models/octo-tiny), and a user who pays for a job (a question with one right answer), watches its tokens stream in (opened locally with the job's key),
// and decrypts the proven result. Then an auditor's check: the proof re-verified off-chain from chain data alone.
// `npm start -- --serve` keeps the chain and the worker running afterwards.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { decodeFunctionData, erc20Abi, formatUnits, hexToBytes, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { deriveStreamKey, keyCommitment, openStreamPiece, packStatement, verifyChunk } from "@octo/circuits";
import { loadVerificationKey } from "@octo/circuits/node";
import { DEV_KEYS, freePort, startLocalMarket } from "./lib/localMarket.ts";
import { deriveEncryptionKey } from "../worker/src/daemon/deriveEncryptionKey.ts";
import { loadConfig } from "../worker/src/config/loadConfig.ts";
import { createLogger } from "../worker/src/ops/createLogger.ts";
import { startWorker } from "../worker/src/daemon/startWorker.ts";
import { modelSpecFromGguf } from "../worker/src/models/modelSpecFromGguf.ts";
import { OCTO_TINY_PATH, renderOctoTinyPrompt } from "../worker/src/models/octoTiny.ts";

const root = new URL("..", import.meta.url).pathname;
const serve = process.argv.includes("--serve");
const step = (s: string) => console.log(`\n▸ ${s}`);

step("building the contracts (hardhat build, offline solc)");
if (spawnSync("pnpm", ["exec", "hardhat", "build", "--quiet"], { cwd: root, stdio: "inherit" }).status !== 0) process.exit(1);

step("starting a local chain and deploying the market");
const modelPath = OCTO_TINY_PATH;
const { spec } = await modelSpecFromGguf({ path: modelPath }); // name, sha256 weights digest, quantization, engine
const market = await startLocalMarket({ model: spec, port: serve ? 8545 : await freePort() }); // the default, spelled out
const dataDir = join(root, ".data", "local");
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const deployments = join(root, "deployments", `${market.chainId}.json`);
market.writeDeployments(deployments);
console.log(`  chain ${market.chainId} at ${market.rpcUrl}; JobMarket ${market.contracts.JobMarket.address}; deployments in ${deployments}`);

step("registering a provider: Consumer tier, 2,000 OCTO staked, octo-tiny offered at 10 units per token");
const providerAccount = privateKeyToAccount(DEV_KEYS[2]);
const encryption = await deriveEncryptionKey(providerAccount);
const providerEncryptionKey = `0x${Buffer.from(encryption.publicKey).toString("hex")}` as Hex;
await market.registerProvider({ account: providerAccount, encryptionPublicKey: providerEncryptionKey, pricePerToken: 10n, maxContext: 64 });

step("starting the provider worker: watcher, pipeline, llama.cpp engine, prover, /metrics and /health");
const configPath = join(dataDir, "config.json");
writeFileSync(configPath, JSON.stringify({
  chainId: market.chainId,
  rpcUrls: [market.rpcUrl],
  deployments,
  key: { env: "OCTO_LOCAL_PROVIDER_KEY" },
  confirmations: 0,
  pollIntervalMs: 200,
  dataDir,
  models: [{ modelId: market.modelId, name: spec.name, paymentToken: market.contracts.MockUSDC.address, engine: { kind: "llamaCpp", modelPath, threads: 1, contextSize: 64, gpuLayers: 0 }, pricePerToken: "10", maxContext: 64 }],
  ops: { host: "127.0.0.1", port: 0 },
  stream: { host: "127.0.0.1", port: 0 },
  logLevel: "warn",
}, null, 2));
const env = { OCTO_LOCAL_PROVIDER_KEY: DEV_KEYS[2] };
const worker = await startWorker({ config: loadConfig({ path: configPath, env }), env, logger: createLogger({ level: "warn" }) });
console.log(`  provider ${worker.address}\n  metrics ${worker.ops.url}/metrics, health ${worker.ops.url}/health, live output ${worker.stream.url}/jobs/<id>/stream`);

step("a user pays for a job: the prompt sealed to the provider, 32 tokens × 10 units escrowed");
const question = "17 + 25";
const prompt = renderOctoTinyPrompt(question); // the chat template's rendering: "Q: 17 + 25\nA: "
const userBefore = await balanceOf(market.user.address);
const job = await market.createJob({ prompt, provider: worker.address, providerEncryptionKey, maxOutputTokens: 32, maxPricePerToken: 10n });
console.log(`  job ${job.jobId}: ${JSON.stringify(prompt)}`);

step("live output, opened with the job's key as the worker streams it (greedy: the same answer on every run, and on any committee member's machine)");
const streamKey = deriveStreamKey(job.promptKey);
const live = await fetch(`${worker.stream.url}/jobs/${job.jobId}/stream`);
let streamed = "";
for (const block of (await live.text()).split("\n\n")) {
  const data = /^event: piece\ndata: (.*)$/m.exec(block)?.[1];
  if (!data) continue;
  const { i, c } = JSON.parse(data) as { i: number; c: Hex };
  streamed += openStreamPiece({ streamKey, jobId: job.jobId, index: i, sealed: hexToBytes(c) });
}
console.log(`  ${JSON.stringify(streamed)}`);

step("the result on-chain: encrypted output + Groth16 proof, verified by the contract before anything is paid");
const submitted = await until(async () => (await events("ResultSubmitted"))[0]);
const output = await market.readResult(job.jobId, job.outputKey);
console.log(`  decrypted by the user: ${JSON.stringify(output)}\n  same as the stream: ${output === streamed}; the right answer to ${question}: ${output === String(17 + 25)}`);

step("auditor: re-verify the proof from chain data alone (event + job's key commitment + verification key)");
const args = (submitted as unknown as { args: { provider: Hex; chunks: readonly { outputCommitment: bigint; byteLength: number; tokenCount: number }[] }; transactionHash: Hex }).args;
const tx = await market.publicClient.getTransaction({ hash: (submitted as unknown as { transactionHash: Hex }).transactionHash });
const call = decodeFunctionData({ abi: market.contracts.JobMarket.abi, data: tx.input }) as { args: readonly unknown[] };
const proofs = call.args[2] as readonly (readonly bigint[])[];
const onchainJob = await market.read<{ keyCommitment: bigint; maxOutputTokens: number }>(market.contracts.JobMarket, "getJob", [job.jobId]);
const chunk = args.chunks[0]!;
const statement = packStatement({ jobId: job.jobId, provider: args.provider, chunkIndex: 0, byteLength: chunk.byteLength, tokenCount: chunk.tokenCount, maxTokens: onchainJob.maxOutputTokens });
const verified = await verifyChunk({ verificationKey: loadVerificationKey(), proof: [...proofs[0]!], publicSignals: [chunk.outputCommitment, onchainJob.keyCommitment, statement] });
console.log(`  proof verifies off-chain: ${verified}; key commitment matches the user's key: ${onchainJob.keyCommitment === keyCommitment({ outputKey: job.outputKey })}`);

step("after the challenge window: finalize pays the provider and refunds the rest");
await market.passChallengeWindow();
const finalized = (await until(async () => (await events("JobFinalized"))[0])) as unknown as { args: { tokenCount: bigint; providerAmount: bigint; feeAmount: bigint; refundAmount: bigint } };
const f = finalized.args;
console.log(`  ${f.tokenCount} tokens: provider paid ${f.providerAmount}, protocol fee ${f.feeAmount}, user refunded ${f.refundAmount} (units of 10^-6 USDC)`);
console.log(`  user spent ${formatUnits(userBefore - (await balanceOf(market.user.address)), 6)} USDC`);

if (serve) {
  console.log(`\nserving: chain ${market.rpcUrl}, worker ${worker.ops.url}. Ctrl-C to stop.`);
  await new Promise<void>((resolve) => process.once("SIGINT", () => resolve()));
}
await worker.stop();
await market.stop();
console.log("\ndone.");
process.exit(0);

async function events(eventName: string) {
  return market.publicClient.getContractEvents({ address: market.contracts.JobMarket.address, abi: market.contracts.JobMarket.abi, eventName, args: { jobId: job.jobId }, fromBlock: 0n });
}
async function balanceOf(who: Hex) {
  return market.publicClient.readContract({ address: market.contracts.MockUSDC.address, abi: erc20Abi, functionName: "balanceOf", args: [who] });
}
async function until<T>(fn: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 200));
  }
}
