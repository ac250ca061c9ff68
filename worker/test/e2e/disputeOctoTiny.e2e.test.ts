// A dispute decided by a real model: three workers serve octo-tiny, the project's trained default model, and a
// provider answers "2 + 2" with "5" under a valid proof. The committee re-runs the job on octo-tiny (greedy, so every
// member gets the same bytes: "4") and votes the provider at fault. See dispute.e2e.test.ts for the same flow on the
// random-weights fixture, and worker/models/octo-tiny for the model.
import { expect } from "chai";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { proveChunk } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import { erc20Abi, zeroHash, type Address, type ContractEventName, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "@octo/devnet";
import { jobMarketAbi } from "@octo/sdk";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { createLlamaCppEngine } from "../../src/engines/createLlamaCppEngine.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";
import { OCTO_TINY_PATH, renderOctoTinyPrompt } from "../../src/models/octoTiny.ts";
import { printIfFailed, recordedLogger, type RecordedLogger } from "../helpers/recordedLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

const MAX_TOKENS = 8;
const PROMPT = renderOctoTinyPrompt("2 + 2");
/** IJobMarket.JobStatus */
const STATUS = { Submitted: 3, Finalized: 5 } as const;

describe("a dispute over 2 + 2, decided by a committee re-running octo-tiny", function () {
  this.timeout(300_000);
  let h: Harness;
  const workers: RunningWorker[] = [];
  const logs: RecordedLogger[] = [];
  const loggerFor = (name: string) => {
    const recorded = recordedLogger(name);
    logs.push(recorded);
    return recorded.logger;
  };
  const liar = privateKeyToAccount(DEV_KEYS[6]);
  let liarEncryptionKey: Hex;

  const events = (eventName: ContractEventName<typeof jobMarketAbi>, jobId: bigint) =>
    h.market.publicClient.getContractEvents({ address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, eventName, args: { jobId }, fromBlock: 0n });
  const getJob = (jobId: bigint) => h.user.getJob({ jobId });
  const balance = (who: Address) =>
    h.market.publicClient.readContract({ address: h.market.contracts.MockUSDC.address, abi: erc20Abi, functionName: "balanceOf", args: [who] });

  async function startValidator(name: string, key: Hex) {
    const account = privateKeyToAccount(key);
    const { publicKey } = await deriveEncryptionKey(account);
    await h.market.registerProvider({ account, encryptionPublicKey: `0x${Buffer.from(publicKey).toString("hex")}`, pricePerToken: PRICE_PER_TOKEN, maxContext: 512 });
    const dir = join(h.dir, name);
    mkdirSync(dir, { recursive: true });
    const env = { [`OCTO_TEST_${name.toUpperCase()}_KEY`]: key };
    const configPath = join(dir, "config.json");
    writeFileSync(configPath, JSON.stringify({ ...h.config, key: { env: Object.keys(env)[0] }, dataDir: join(dir, "data") }));
    return startWorker({ config: loadConfig({ path: configPath, env }), env, logger: loggerFor(name), minTimeToDeadline: 60 });
  }

  before(async () => {
    h = await startHarness({ model: "octo-tiny" });
    workers.push(await startWorker({ config: loadConfig({ path: h.configPath, env: h.env }), env: h.env, logger: loggerFor("provider"), minTimeToDeadline: 60 }));
    workers.push(await startValidator("v1", DEV_KEYS[3]));
    workers.push(await startValidator("v2", DEV_KEYS[4]));
    liarEncryptionKey = `0x${Buffer.from((await deriveEncryptionKey(liar)).publicKey).toString("hex")}`;
    await h.market.registerProvider({ account: liar, encryptionPublicKey: liarEncryptionKey, pricePerToken: PRICE_PER_TOKEN, maxContext: 512 });
  });
  /** The user disputes, the draw block (whose hash seeds the committee) and one more are mined, and the user draws. */
  async function disputeAndDraw(jobId: bigint) {
    const { drawBlock } = await h.user.dispute({ jobId });
    await h.market.testClient.mine({ blocks: 2 });
    await h.user.drawCommittee({ jobId, drawBlock });
  }

  afterEach(function () {
    printIfFailed(this, logs);
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("the model the committee runs answers 2 + 2 with 4", async () => {
    const engine = await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, threads: 1 });
    try {
      expect((await engine.generate({ prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 })).text).to.equal("4");
    } finally {
      await engine.stop();
    }
  });

  it("an honest provider's job answers 4 on chain", async () => {
    const { jobId } = await h.createJob({ prompt: PROMPT, provider: h.provider, maxOutputTokens: MAX_TOKENS, maxPricePerToken: PRICE_PER_TOKEN });
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, { message: `job ${jobId} submitted` });
    expect(await h.readResult(jobId)).to.equal("4");
  });

  it("a provider that answers 5 with a valid proof is voted at fault by the committee and slashed", async () => {
    const userBefore = await balance(h.market.user.address);
    const { jobId, jobSecret, outputKey } = await h.createJob({ prompt: PROMPT, provider: liar.address, maxOutputTokens: MAX_TOKENS, maxPricePerToken: PRICE_PER_TOKEN });
    await h.market.write(liar, { address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "claimJob", args: [jobId] });
    // The proof binds the ciphertext to the committed key, not to the model: only re-execution can tell "5" is wrong.
    const forged = new TextEncoder().encode("5");
    const proven = await proveChunk({ artifacts: loadProverArtifacts(), chunk: forged, chunkIndex: 0, outputKey, jobId, provider: liar.address, tokenCount: 1, maxTokens: MAX_TOKENS });
    const result = {
      chunks: [{ outputCommitment: proven.publicSignals[0], byteLength: forged.length, tokenCount: 1 }],
      ciphertext: proven.encrypted.postedCiphertext,
      ciphertextURI: "",
      ciphertextHash: zeroHash,
    };
    await h.market.write(liar, { address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "submitResult", args: [jobId, result, [proven.proof]] });
    expect((await getJob(jobId)).status).to.equal(STATUS.Submitted);
    expect(await h.readResult(jobId)).to.equal("5");

    await disputeAndDraw(jobId);
    await h.user.revealJobSecret({ jobId, jobSecret });
    const slashed = (await waitForValue(async () => (await events("JobSlashed", jobId))[0], { message: "the fault verdict", timeoutMs: 120_000 })) as unknown as {
      args: { collateralRecipient: Address; refund: bigint };
    };
    expect(slashed.args.collateralRecipient.toLowerCase()).to.equal(h.market.user.address.toLowerCase());
    expect(slashed.args.refund).to.equal(BigInt(MAX_TOKENS) * PRICE_PER_TOKEN);
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { validator: Address; providerAtFault: boolean } }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => v.args.providerAtFault)).to.equal(true);
  });
});
