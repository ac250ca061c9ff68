// End to end on a real local chain: real contracts, the real llama.cpp engine on the fixture model, real proofs.
import { expect } from "chai";
import { rmSync } from "node:fs";
import { generateEncryptionKeyPair } from "@octo/circuits";
import { bytesToHex, erc20Abi, getAddress, parseEventLogs, zeroHash, type Address, type ContractEventName } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "@octo/devnet";
import { createLlamaCppEngine } from "../../src/engines/createLlamaCppEngine.ts";
import type { Engine } from "../../src/engines/types.ts";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

describe("worker end to end (anvil + llama.cpp fixture + real proofs)", function () {
  this.timeout(300_000);
  let h: Harness;
  let worker: RunningWorker;
  let engine: Engine;

  const events = (eventName: ContractEventName<typeof jobMarketAbi>, jobId: bigint) =>
    h.market.publicClient.getContractEvents({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName,
      args: { jobId },
      fromBlock: 0n,
    });
  const balance = (who: Address) =>
    h.market.publicClient.readContract({
      address: h.market.contracts.MockUSDC.address,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [who],
    });
  /** What the market holds for `who`: a provider's earnings are credited there, withdrawn in one transfer. */
  const earned = (who: Address) =>
    h.market.publicClient.readContract({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "balanceOf",
      args: [h.market.contracts.MockUSDC.address, who],
    });
  const newJob = (prompt: string, overrides: { maxPricePerToken?: bigint } = {}) =>
    h.createJob({
      prompt,
      provider: h.provider,
      maxOutputTokens: 24,
      maxPricePerToken: overrides.maxPricePerToken ?? PRICE_PER_TOKEN,
    });
  const finalizeWhenSubmitted = async (jobId: bigint) => {
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, {
      message: `job ${jobId} submitted`,
    });
    await h.market.passChallengeWindow();
    return waitForValue(async () => (await events("JobFinalized", jobId))[0], { message: `job ${jobId} finalized` });
  };

  /** The job's JobReleased event, once the worker has handed it back. */
  const releaseOf = async (jobId: bigint) =>
    (
      (await waitForValue(async () => (await events("JobReleased", jobId))[0], {
        message: `job ${jobId} handed back`,
      })) as unknown as { args: { reason: number; refund: bigint } }
    ).args;
  /** A new job is still served to the end after whatever came before. */
  const keepsServing = async () => finalizeWhenSubmitted((await newJob("still serving")).jobId);

  before(async () => {
    h = await startHarness();
    engine = await createLlamaCppEngine({ modelPath: h.modelPath, threads: 1, contextSize: 512, gpu: false });
    worker = await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: createLogger({ level: "silent" }),
      minTimeToDeadline: 60,
    });
  });
  after(async () => {
    await worker?.stop();
    await engine?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("serves a job: the proof verifies on-chain, the provider is paid, and the user decrypts exactly the engine's output", async () => {
    const prompt = "The quick brown fox";
    const expected = await engine.generate({ prompt, maxTokens: 24, temperature: 0, seed: 0 });
    const before = await earned(h.provider);
    const { jobId, outputKey } = await newJob(prompt);
    const finalized = (await finalizeWhenSubmitted(jobId)) as unknown as {
      args: { tokenCount: bigint; providerAmount: bigint; feeAmount: bigint };
    };
    expect(await h.readResult(jobId)).to.equal(expected.text);
    expect(finalized.args.providerAmount + finalized.args.feeAmount).to.equal(
      finalized.args.tokenCount * PRICE_PER_TOKEN,
    );
    expect((await earned(h.provider)) - before).to.equal(finalized.args.providerAmount);
  });

  it("serves a job open to any provider once its user delivers the key to the provider that claimed it", async () => {
    const prompt = "A job for whoever takes it";
    const expected = await engine.generate({ prompt, maxTokens: 24, temperature: 0, seed: 0 });
    const before = await earned(h.provider);
    const { jobId, jobSecret, outputKey } = await h.createJob({
      prompt,
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    const claimed = (await waitForValue(async () => (await events("JobClaimed", jobId))[0], {
      message: `job ${jobId} claimed`,
    })) as unknown as { args: { provider: Address } };
    expect(claimed.args.provider).to.equal(getAddress(h.provider));
    await h.user.deliverJobKey({ jobId: jobId, jobSecret: jobSecret });
    const finalized = (await finalizeWhenSubmitted(jobId)) as unknown as { args: { providerAmount: bigint } };
    expect(await h.readResult(jobId)).to.equal(expected.text);
    expect((await earned(h.provider)) - before).to.equal(finalized.args.providerAmount);
  });

  it("hands back an open job whose user never delivers the key, once the key window has passed, refunding the user in full", async () => {
    const userBefore = await balance(h.market.user.address);
    const { jobId } = await h.createJob({
      prompt: "a key that never comes",
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    await waitForValue(async () => (await events("JobClaimed", jobId))[0], { message: `job ${jobId} claimed` });
    const { windowEnd } = await h.user.getJob({ jobId });
    const now = (await h.market.publicClient.getBlock()).timestamp;
    await h.market.testClient.increaseTime({ seconds: Number(BigInt(windowEnd) - now) + 1 });
    await h.market.testClient.mine({ blocks: 1 });
    expect((await releaseOf(jobId)).reason).to.equal(3); // KeyNotDelivered
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    await keepsServing();
  });

  it("leaves alone a job named for another provider that handed it back: it is refunded, not reopened", async () => {
    // The market's rule (issue 11): a named job's envelope is sealed to the named provider, so any release of it
    // refunds the user instead of reopening it to anyone; this worker never sees it open again.
    const other = privateKeyToAccount(DEV_KEYS[3]);
    const otherKey = bytesToHex(generateEncryptionKeyPair().publicKey);
    await h.market.registerProvider({
      account: other,
      encryptionPublicKey: otherKey,
      pricePerToken: PRICE_PER_TOKEN,
      maxContext: 512,
    });
    const userBefore = await balance(h.market.user.address);
    const { jobId } = await h.createJob({
      prompt: "Named for the other provider",
      provider: other.address,
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    // Claimed by its creation: the other provider only hands it back.
    await h.market.write(other, {
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "releaseJob",
      args: [jobId, 4],
    }); // ModelUnavailable
    expect((await releaseOf(jobId)).reason).to.equal(4);
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    // The worker keeps serving; the refunded job was claimed once, by the other provider only.
    await keepsServing();
    expect((await events("JobClaimed", jobId)).length).to.equal(1);
  });

  it("serves several jobs created together, each exactly once", async () => {
    const prompts = ["alpha", "beta gamma", "delta epsilon zeta"];
    const jobs = [];
    for (const p of prompts) jobs.push(await newJob(p));
    for (const { jobId } of jobs)
      await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, {
        message: `job ${jobId} submitted`,
      });
    await h.market.passChallengeWindow();
    for (const [i, { jobId, outputKey }] of jobs.entries()) {
      await waitForValue(async () => (await events("JobFinalized", jobId)).length > 0, {
        message: `job ${jobId} finalized`,
      });
      const expected = await engine.generate({ prompt: prompts[i]!, maxTokens: 24, temperature: 0, seed: 0 });
      expect(await h.readResult(jobId)).to.equal(expected.text);
      expect(await events("ResultSubmitted", jobId)).to.have.length(1);
      expect(await events("JobFinalized", jobId)).to.have.length(1);
    }
  });

  it("skips an open job priced below its offer and leaves it open for others", async () => {
    const { jobId } = await h.createJob({
      prompt: "too cheap",
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN - 1n,
    });
    const good = await newJob("after the cheap one");
    await finalizeWhenSubmitted(good.jobId);
    expect(await events("JobClaimed", jobId)).to.have.length(0);
  });

  it("a job naming the provider below its offer price is refused at creation, costing the user nothing", async () => {
    const before = await balance(h.market.user.address);
    const error = await newJob("too cheap", { maxPricePerToken: PRICE_PER_TOKEN - 1n }).catch((e: unknown) => e);
    expect(String(error)).to.match(/StakingOfferTooExpensive|charges/);
    expect(await balance(h.market.user.address)).to.equal(before);
  });

  it("hands back a job whose envelope cannot be opened, refunding the user in full, and keeps serving", async () => {
    const userBefore = await balance(h.market.user.address);
    // The sdk only writes well-formed envelopes: post a truncated one (version 1, a 72-byte wrap cut short) directly.
    const { timestamp } = await h.market.publicClient.getBlock();
    const request = {
      modelId: h.market.modelId!,
      paymentToken: h.market.contracts.MockUSDC.address,
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN,
      minTier: 0,
      verifiable: true,
      callback: false,
      deadline: Number(timestamp) + 7 * 24 * 3600,
      provider: h.provider,
      userPublicKey: bytesToHex(generateEncryptionKeyPair().publicKey),
      keyCommitment: 1n,
    } as const;
    const receipt = await h.market.write(h.market.user, {
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "createJob",
      args: [request, "0x0148deadbeef", "", zeroHash],
    });
    const jobId = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "JobCreated" })[0]!.args.jobId;
    expect((await releaseOf(jobId)).reason).to.equal(1); // InputUndecryptable
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    await keepsServing();
  });

  it("hands back a prompt too long for the model's context, refunding the user", async () => {
    const { jobId } = await newJob("word ".repeat(600));
    const released = await releaseOf(jobId);
    expect(released.reason).to.equal(2); // PromptTooLong
    expect(released.refund).to.equal(24n * PRICE_PER_TOKEN);
  });
});
