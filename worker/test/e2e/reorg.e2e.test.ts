// A reorg that removes the worker's claim: the claim is made again and the job completes exactly once.
import { expect } from "chai";
import { rmSync } from "node:fs";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

describe("worker across a reorg", function () {
  this.timeout(300_000);
  let h: Harness;
  let worker: RunningWorker;

  const events = (eventName: string, jobId: bigint) =>
    h.market.publicClient.getContractEvents({ address: h.market.contracts.JobMarket.address, abi: h.market.contracts.JobMarket.abi, eventName, args: { jobId }, fromBlock: 0n });

  before(async () => {
    h = await startHarness();
    worker = await startWorker({ config: loadConfig({ path: h.configPath, env: h.env }), env: h.env, logger: createLogger({ level: "silent" }) });
  });
  after(async () => {
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("claims again when a reorg removes its claim, and the job is submitted and paid once", async () => {
    const { jobId, outputKey } = await h.market.createJob({ prompt: "reorg me", provider: h.provider, providerEncryptionKey: h.providerEncryptionKey, maxOutputTokens: 16, maxPricePerToken: PRICE_PER_TOKEN });
    const snapshot = await h.market.testClient.snapshot();
    await waitForValue(async () => (await events("JobClaimed", jobId)).length > 0, { message: "the claim", intervalMs: 10 });
    // The chain drops the claim's block (the result takes over a second to prove, so it is not out yet).
    await h.market.testClient.revert({ id: snapshot });
    await h.market.testClient.mine({ blocks: 2 });
    expect(await events("JobClaimed", jobId)).to.have.length(0);

    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, { message: "the result" });
    await h.market.passChallengeWindow();
    await waitForValue(async () => (await events("JobFinalized", jobId)).length > 0, { message: "finalization" });
    expect(await events("JobClaimed", jobId)).to.have.length(1);
    expect(await events("ResultSubmitted", jobId)).to.have.length(1);
    expect(await events("JobFinalized", jobId)).to.have.length(1);
    expect(await h.market.readResult(jobId, outputKey)).to.be.a("string").and.not.equal("");
  });
});
