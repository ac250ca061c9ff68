// A job that names this provider is generated while its claim is being mined: the engine does not wait on the chain,
// and nothing about the result changes. Real chain, real engine (in its own process), real proofs.
import { deriveStreamKey, openStreamPiece } from "@octo/circuits";
import { expect } from "chai";
import { rmSync } from "node:fs";
import { hexToBytes, type Hex } from "viem";
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
      benchmark: { mark: (jobId, name, at) => marks.set(jobId, { ...marks.get(jobId), [name]: at }) },
    });
  });
  after(async () => {
    await h?.market.testClient.setAutomine(true);
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("generates a job that names it while its claim is mined, streams it only once claimed, and is paid for the engine's output", async () => {
    const { publicClient, testClient, contracts, user } = h.market;
    const prompt = "The quick brown fox";
    const engine = await createLlamaCppEngine({ modelPath: h.modelPath, threads: 1, contextSize: 512, gpu: false });
    const expected = await engine.generate({ prompt, maxTokens: 24, temperature: 0, seed: 0 });
    await engine.stop();

    // Blocks are mined by hand from here: the job's creation, then nothing until the generation is done.
    await testClient.setAutomine(false);
    const pending = () => publicClient.getTransactionCount({ address: user.address, blockTag: "pending" });
    const sentBefore = await pending();
    const creation = h.market.createJob({ prompt, provider: h.provider, providerEncryptionKey: h.providerEncryptionKey, maxOutputTokens: 24, maxPricePerToken: PRICE_PER_TOKEN });
    await waitForValue(async () => (await pending()) > sentBefore, { message: "the createJob transaction is sent" });
    await testClient.mine({ blocks: 1 });
    const { jobId, outputKey, promptKey } = await creation;

    await waitForValue(async () => marks.get(jobId.toString())?.inferStart, { message: "the generation starts" });
    const claimSent = await waitForValue(async () => ((await publicClient.getBlock({ blockTag: "pending", includeTransactions: true })).transactions.length > 0 ? true : undefined), { message: "the claim is sent" });
    expect(claimSent).to.equal(true);
    const job = (id: bigint) => publicClient.readContract({ address: contracts.JobMarket.address, abi: contracts.JobMarket.abi, functionName: "getJob", args: [id] }) as Promise<{ status: number }>;
    // The engine reports the generation finished (every token counted) while the claim still waits in the pool.
    const tokensGenerated = async () => {
      const text = await (await fetch(`${worker.ops.url}/metrics`)).text();
      return [...text.matchAll(/^octo_tokens_generated_total\{[^}]*\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    };
    await waitForValue(async () => (await tokensGenerated()) === expected.tokens, { message: "the generation finishes" });
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
    const submitted = () => publicClient.getContractEvents({ address: contracts.JobMarket.address, abi: contracts.JobMarket.abi, eventName: "ResultSubmitted", args: { jobId }, fromBlock: 0n });
    await waitForValue(async () => ((await submitted()).length > 0 ? true : undefined), { message: "the result is submitted" });
    const paid = await h.market.readResult(jobId, outputKey);
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
});
