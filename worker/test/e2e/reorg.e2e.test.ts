// Reorgs that remove the worker's claim, or its claim and its result: they are made again and the job completes once.
import { expect } from "chai";
import type { ContractEventName, Hex } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { rmSync } from "node:fs";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { printIfFailed, recordedLogger } from "../helpers/recordedLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

describe("worker across a reorg", function () {
  this.timeout(300_000);
  let h: Harness;
  let worker: RunningWorker;
  const log = recordedLogger("worker");

  const events = (eventName: ContractEventName<typeof jobMarketAbi>, jobId: bigint) =>
    h.market.publicClient.getContractEvents({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName,
      args: { jobId },
      fromBlock: 0n,
    });

  /**
   * Reverts to the snapshot with mining paused, so that the test sees the chain without the dropped blocks before the
   * worker's re-sent transactions can be mined (with automine, a fast worker put its claim back before the check).
   */
  async function revertWithoutMining(snapshot: Hex) {
    await h.market.testClient.setAutomine(false);
    await h.market.testClient.revert({ id: snapshot });
  }
  /** Mining resumes: two blocks, then every transaction as it comes. */
  async function resumeMining() {
    await h.market.testClient.mine({ blocks: 2 });
    await h.market.testClient.setAutomine(true);
  }

  /** After the challenge window: one claim, one result, one payment, and a result the user can open. */
  async function expectServedOnce(jobId: bigint, outputKey: bigint) {
    await h.market.passChallengeWindow();
    await waitForValue(async () => (await events("JobFinalized", jobId)).length > 0, { message: "finalization" });
    expect(await events("JobClaimed", jobId)).to.have.length(1);
    expect(await events("ResultSubmitted", jobId)).to.have.length(1);
    expect(await events("JobFinalized", jobId)).to.have.length(1);
    expect(await h.readResult(jobId))
      .to.be.a("string")
      .and.not.equal("");
  }

  before(async () => {
    h = await startHarness();
    worker = await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: log.logger,
    });
  });
  afterEach(function () {
    printIfFailed(this, [log]);
  });
  after(async () => {
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  /** The user's side of an open job: its key goes to whoever holds the claim the chain shows now (as watchJob does),
   *  again after a reorg removed the claim and the delivery with it. Run inside each wait. */
  const secrets = new Map<bigint, Uint8Array>();
  async function deliverKeyIfClaimed(jobId: bigint) {
    const claimed = (await events("JobClaimed", jobId)).length > 0;
    const delivered = (await events("JobKeyDelivered", jobId)).length > 0;
    if (claimed && !delivered) await h.user.deliverJobKey({ jobId, jobSecret: secrets.get(jobId)! }).catch(() => {});
  }

  /**
   * Creates an open job (a job that names the worker is claimed by its own creation, so only an open job has a claim
   * of the worker's to lose) and snapshots the chain right after the job's block, before the worker's claim can be
   * mined: mining is held while the job is created (the claim waits in the pool), then resumes. Reverting to the
   * snapshot then always removes the claim, however fast the worker is.
   */
  async function createJobThenSnapshot(prompt: string) {
    const { publicClient, testClient, user } = h.market;
    await testClient.setAutomine(false);
    try {
      const sentBefore = await publicClient.getTransactionCount({ address: user.address, blockTag: "pending" });
      const creation = h.createJob({
        prompt,
        maxOutputTokens: 16,
        maxPricePerToken: PRICE_PER_TOKEN,
      });
      await waitForValue(
        async () =>
          (await publicClient.getTransactionCount({ address: user.address, blockTag: "pending" })) > sentBefore,
        { message: "the createJob transaction is sent" },
      );
      await testClient.mine({ blocks: 1 });
      const created = await creation;
      secrets.set(created.jobId, created.jobSecret);
      const snapshot = await testClient.snapshot();
      return { ...created, snapshot };
    } finally {
      await testClient.setAutomine(true);
      await testClient.mine({ blocks: 1 }); // whatever the worker sent meanwhile
    }
  }

  it("claims again when a reorg removes its claim, and the job is submitted and paid once", async () => {
    const { jobId, outputKey, snapshot } = await createJobThenSnapshot("reorg me");
    // The worker claims, the user delivers the key, and the worker starts on the job.
    const working = async () => {
      const text = await (await fetch(`${worker.ops.url}/metrics`)).text();
      return ["inferring", "inferred", "proving"].some((state) =>
        new RegExp(`^octo_jobs\\{state="${state}"\\} [1-9]`, "m").test(text),
      );
    };
    await waitForValue(
      async () => {
        await deliverKeyIfClaimed(jobId);
        return working();
      },
      { message: "the worker at work on its claimed job", intervalMs: 10 },
    );
    // The chain drops the claim's block and the key's (the result takes over a second to prove, so it is not out
    // yet): the worker finds its claim gone when it submits, claims again and submits.
    await revertWithoutMining(snapshot);
    expect(await events("JobClaimed", jobId)).to.have.length(0);
    await resumeMining();

    await waitForValue(
      async () => {
        await deliverKeyIfClaimed(jobId);
        return (await events("ResultSubmitted", jobId)).length > 0;
      },
      { message: "the result" },
    );
    await expectServedOnce(jobId, outputKey);
  });

  it("submits again when a reorg removes its claim and its result after it saw both mined, and is paid once", async () => {
    const { jobId, outputKey, snapshot } = await createJobThenSnapshot("reorg my result");
    const submittedSteps = async () => {
      const text = await (await fetch(`${worker.ops.url}/metrics`)).text();
      return Number(/^octo_jobs\{state="submitted"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    };
    // The worker has seen its result's receipt: its job sits in 'submitted', waiting for the challenge window.
    await waitForValue(
      async () => {
        await deliverKeyIfClaimed(jobId);
        return (await submittedSteps()) > 0;
      },
      { message: "the worker's job in 'submitted'", intervalMs: 20 },
    );
    await revertWithoutMining(snapshot);
    expect(await events("JobClaimed", jobId)).to.have.length(0);
    expect(await events("ResultSubmitted", jobId)).to.have.length(0);
    await resumeMining();

    await waitForValue(
      async () => {
        await deliverKeyIfClaimed(jobId);
        return (await events("ResultSubmitted", jobId)).length > 0;
      },
      { message: "the result, again" },
    );
    await expectServedOnce(jobId, outputKey);
  });
});
