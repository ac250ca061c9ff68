// A job that names this provider is generated while its claim is being mined: the engine does not wait on the chain,
// and nothing about the result changes. Real chain, real engine (in its own process), real proofs.
import { deriveStreamKey, openStreamPiece } from "@octo/circuits";
import { expect } from "chai";
import { rmSync } from "node:fs";
import { createWalletClient, hexToBytes, http, parseGwei, type Hex } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { foundry } from "viem/chains";
import { createLlamaCppEngine } from "../../src/engines/createLlamaCppEngine.ts";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

const JOB_STATUS_OPEN = 1;

describe("worker: generation while the claim is mined (anvil + llama.cpp fixture + real proofs)", function () {
  this.timeout(300_000);
  let h: Harness;
  let worker: RunningWorker;
  const marks = new Map<string, Record<string, number>>();

  before(async () => {
    h = await startHarness();
    worker = await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: createLogger({ level: "silent" }),
      benchmark: {
        mark: (jobId, name, at) => marks.set(jobId.toString(), { ...marks.get(jobId.toString()), [name]: at }),
      },
    });
  });
  after(async () => {
    await h?.market.testClient.setAutomine(true);
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  /** Sum of a metric's samples on the worker's /metrics. */
  const metric = async (name: string, labels = "") => {
    const text = await (await fetch(`${worker.ops.url}/metrics`)).text();
    return [...text.matchAll(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\d+)$`, "gm"))].reduce(
      (sum, m) => sum + Number(m[1]),
      0,
    );
  };
  const job = (id: bigint) =>
    h.market.publicClient.readContract({
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "getJob",
      args: [id],
    }) as Promise<{ status: number }>;
  /** Creates a job naming the worker in a block of its own, then stops mining: the worker's claim waits in the pool. */
  async function createJobWithClaimHeld(prompt: string) {
    const { publicClient, testClient, user } = h.market;
    await testClient.setAutomine(false);
    const pending = () => publicClient.getTransactionCount({ address: user.address, blockTag: "pending" });
    const sentBefore = await pending();
    const creation = h.createJob({
      prompt,
      provider: h.provider,
      maxOutputTokens: 24,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    await waitForValue(async () => (await pending()) > sentBefore, { message: "the createJob transaction is sent" });
    await testClient.mine({ blocks: 1 });
    const created = await creation;
    await waitForValue(async () => marks.get(created.jobId.toString())?.inferStart, {
      message: "the generation starts",
    });
    await waitForValue(
      async () =>
        (await publicClient.getBlock({ blockTag: "pending", includeTransactions: true })).transactions.length > 0,
      { message: "the claim is sent" },
    );
    return created;
  }

  it("generates a job that names it while its claim is mined, streams it only once claimed, and is paid for the engine's output", async () => {
    const { publicClient, testClient, contracts } = h.market;
    const prompt = "The quick brown fox";
    const engine = await createLlamaCppEngine({ modelPath: h.modelPath, threads: 1, contextSize: 512, gpu: false });
    const expected = await engine.generate({ prompt, maxTokens: 24, temperature: 0, seed: 0 });
    await engine.stop();

    // The worker's determinism self-test generates too: count this job's tokens from after it.
    await waitForValue(async () => (await metric("octo_selftest_passed")) === 1, { message: "the self-test passes" });
    const before = await metric("octo_tokens_generated_total");
    const { jobId, outputKey, promptKey } = await createJobWithClaimHeld(prompt);
    // The engine reports the generation finished (every token counted) while the claim still waits in the pool.
    await waitForValue(async () => (await metric("octo_tokens_generated_total")) - before === expected.tokens, {
      message: "the generation finishes",
    });
    expect((await job(jobId)).status).to.equal(JOB_STATUS_OPEN);

    // The live stream waits for the claim: nothing of the output leaves this host before it is mined.
    const streamed = fetch(`${worker.stream.url}/jobs/${jobId}/stream`).then((r) => r.text());
    let piecesBeforeClaim = 0;
    void fetch(`${worker.stream.url}/jobs/${jobId}/stream`, { signal: AbortSignal.timeout(500) })
      .then((r) => r.text())
      .catch(() => "")
      .then((body) => (piecesBeforeClaim = body.split("event: piece").length - 1));
    await new Promise((r) => setTimeout(r, 600));
    expect(piecesBeforeClaim).to.equal(0);

    await testClient.setAutomine(true);
    await testClient.mine({ blocks: 1 });
    const submitted = () =>
      publicClient.getContractEvents({
        address: contracts.JobMarket.address,
        abi: jobMarketAbi,
        eventName: "ResultSubmitted",
        args: { jobId },
        fromBlock: 0n,
      });
    await waitForValue(async () => ((await submitted()).length > 0 ? true : undefined), {
      message: "the result is submitted",
    });
    const paid = await h.readResult(jobId);
    expect(paid).to.equal(expected.text);
    expect(await submitted()).to.have.length(1);
    // Once claimed, the stream replays what was generated before, sealed for the user, and ends: it opens with the
    // job's key to exactly the paid output.
    const streamKey = deriveStreamKey(promptKey);
    let text = "";
    for (const block of (await streamed).split("\n\n")) {
      const data = /^event: piece\ndata: (.*)$/m.exec(block)?.[1];
      if (!data) continue;
      const { i, c } = JSON.parse(data) as { i: number; c: Hex };
      text += openStreamPiece({ streamKey, jobId, index: i, sealed: hexToBytes(c) });
    }
    expect(text).to.equal(paid);
  });

  it("drops a job cancelled while its claim waits: generated, but never streamed, submitted or paid", async () => {
    const { publicClient, testClient, contracts, user } = h.market;
    const { jobId } = await createJobWithClaimHeld("cancel me while you think");
    const streamed = fetch(`${worker.stream.url}/jobs/${jobId}/stream`, { signal: AbortSignal.timeout(3_000) })
      .then((r) => r.text())
      .catch(() => "");
    // The user cancels with a higher tip: the cancel is mined before the claim, and the claim reverts.
    const wallet = createWalletClient({ account: user, chain: foundry, transport: http(h.market.rpcUrl) });
    const cancel = await wallet.writeContract({
      address: contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "cancelJob",
      args: [jobId],
      gas: 300_000n,
      maxPriorityFeePerGas: parseGwei("200"),
      maxFeePerGas: parseGwei("400"),
    });
    await testClient.mine({ blocks: 1 });
    await testClient.setAutomine(true);
    expect((await publicClient.waitForTransactionReceipt({ hash: cancel })).status).to.equal("success");

    await waitForValue(async () => (await metric("octo_jobs", 'state="skipped"')) >= 1, {
      message: "the worker drops the job",
    });
    expect(await streamed).to.not.include("event: piece");
    const submitted = await publicClient.getContractEvents({
      address: contracts.JobMarket.address,
      abi: jobMarketAbi,
      eventName: "ResultSubmitted",
      args: { jobId },
      fromBlock: 0n,
    });
    expect(submitted).to.have.length(0);
  });
});
