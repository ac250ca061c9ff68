// The worker never sends a claim its stake cannot back: with room for two collaterals and four jobs at once, it claims
// two, waits (no transaction reverts on-chain, no gas burned), and claims the others once finalization unlocks stake.
import { expect } from "chai";
import { rmSync } from "node:fs";
import { parseUnits, type Hash, type ContractEventName } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

describe("claims bounded by free stake (anvil + llama.cpp fixture + real proofs)", function () {
  this.timeout(300_000);
  let h: Harness;
  let worker: RunningWorker;

  const events = (eventName: ContractEventName<typeof jobMarketAbi>) =>
    h.market.publicClient.getContractEvents({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName,
      fromBlock: 0n,
    });

  before(async () => {
    h = await startHarness({ capacity: 4 });
    // 2,000 OCTO staked; 800 per job leaves room for two claims at a time.
    await h.market.write(h.market.deployer, {
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "setCollateral",
      args: [parseUnits("800", 18)],
    });
    worker = await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: createLogger({ level: "silent" }),
      minTimeToDeadline: 60,
    });
  });
  after(async () => {
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("claims only what its stake backs, reverts nothing, and claims the rest after stake is unlocked", async () => {
    // Open jobs: the worker decides to claim them (a job that names it is claimed by its creation, stake permitting
    // or not). The user delivers each job's key once it sees the claim, as watchJob does.
    const secrets = new Map<bigint, Uint8Array>();
    for (const prompt of ["one", "two", "three", "four"]) {
      const { jobId, jobSecret } = await h.createJob({
        prompt,
        maxOutputTokens: 16,
        maxPricePerToken: PRICE_PER_TOKEN,
      });
      secrets.set(jobId, jobSecret);
    }
    const delivered = new Set<bigint>();
    const count = async (eventName: ContractEventName<typeof jobMarketAbi>) => {
      for (const claim of await events("JobClaimed")) {
        const jobId = (claim.args as { jobId: bigint }).jobId;
        if (delivered.has(jobId)) continue;
        delivered.add(jobId);
        await h.user.deliverJobKey({ jobId, jobSecret: secrets.get(jobId)! });
      }
      return (await events(eventName)).length;
    };
    await waitForValue(async () => (await count("ResultSubmitted")) >= 2, { message: "two results" });
    // Give the worker a few more ticks to (wrongly) claim a third job.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await count("JobClaimed")).to.equal(2);

    await h.market.passChallengeWindow();
    await waitForValue(async () => (await count("JobFinalized")) >= 2, {
      message: "the first two paid, their stake unlocked",
    });
    await waitForValue(async () => (await count("ResultSubmitted")) === 4, {
      message: "the other two claimed and served",
    });
    await h.market.passChallengeWindow();
    await waitForValue(async () => (await count("JobFinalized")) === 4, { message: "all four paid" });
    expect(await count("JobClaimed")).to.equal(4);

    // Every transaction the provider sent succeeded: no claim was simulated against stale stake and then reverted.
    const head = await h.market.publicClient.getBlockNumber();
    const sent: Hash[] = [];
    for (let n = 0n; n <= head; n++) {
      const block = await h.market.publicClient.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) if (tx.from.toLowerCase() === h.provider.toLowerCase()) sent.push(tx.hash);
    }
    const statuses = await Promise.all(
      sent.map(async (hash) => (await h.market.publicClient.getTransactionReceipt({ hash })).status),
    );
    expect(statuses.length).to.be.greaterThan(8);
    expect(statuses.filter((s) => s !== "success")).to.deep.equal([]);
  });
});
