// A dispute decided by a real model: three workers serve octo-tiny, the project's trained default model, and a
// provider answers "2 + 2" with "5" under a valid proof. The committee re-runs the job on octo-tiny (greedy, so every
// member gets the same bytes: "4") and votes the provider at fault. See dispute.e2e.test.ts for the same flow on the
// random-weights fixture, and worker/models/octo-tiny for the model.
import { expect } from "chai";
import { proveChunk } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import { zeroHash, type Address } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { createLlamaCppEngine } from "../../src/engines/createLlamaCppEngine.ts";
import { OCTO_TINY_PATH, renderOctoTinyPrompt } from "../../src/models/octoTiny.ts";
import { printIfFailed } from "../helpers/recordedLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { startDisputeHarness, type DisputeHarness } from "./disputeHarness.ts";
import { PRICE_PER_TOKEN, type Harness } from "./workerHarness.ts";

const MAX_TOKENS = 8;
const PROMPT = renderOctoTinyPrompt("2 + 2");
/** IJobMarket.JobStatus */
const STATUS = { Submitted: 3, Finalized: 5 } as const;

describe("a dispute over 2 + 2, decided by a committee re-running octo-tiny", function () {
  this.timeout(300_000);
  let d: DisputeHarness;
  let h: Harness;
  let liar: DisputeHarness["liar"];
  let events: DisputeHarness["events"];
  let getJob: DisputeHarness["getJob"];
  let balance: DisputeHarness["balance"];
  let disputeAndDraw: DisputeHarness["disputeAndDraw"];

  before(async () => {
    d = await startDisputeHarness({ model: "octo-tiny" });
    ({ h, liar, events, getJob, balance, disputeAndDraw } = d);
  });
  afterEach(function () {
    printIfFailed(this, d?.logs ?? []);
  });
  after(async () => {
    await d?.stop();
  });

  it("the model the committee runs answers 2 + 2 with 4", async () => {
    const engine = await createLlamaCppEngine({ modelPath: OCTO_TINY_PATH, threads: 1 });
    try {
      expect((await engine.generate({ prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0, seed: 0 })).text).to.equal(
        "4",
      );
    } finally {
      await engine.stop();
    }
  });

  it("an honest provider's job answers 4 on chain", async () => {
    const { jobId } = await h.createJob({
      prompt: PROMPT,
      provider: h.provider,
      maxOutputTokens: MAX_TOKENS,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, {
      message: `job ${jobId} submitted`,
    });
    expect(await h.readResult(jobId)).to.equal("4");
  });

  it("a provider that answers 5 with a valid proof is voted at fault by the committee and slashed", async () => {
    const userBefore = await balance(h.market.user.address);
    const { jobId, jobSecret, outputKey } = await d.asLiar(() =>
      h.createJob({
        prompt: PROMPT,
        provider: liar.address,
        maxOutputTokens: MAX_TOKENS,
        maxPricePerToken: PRICE_PER_TOKEN,
      }),
    );
    // Named: the liar's collateral was locked by the job's creation.
    // The proof binds the ciphertext to the committed key, not to the model: only re-execution can tell "5" is wrong.
    const forged = new TextEncoder().encode("5");
    const proven = await proveChunk({
      artifacts: loadProverArtifacts(),
      chunk: forged,
      chunkIndex: 0,
      outputKey,
      jobId,
      provider: liar.address,
      tokenCount: 1,
      maxTokens: MAX_TOKENS,
    });
    const result = {
      chunks: [{ outputCommitment: proven.publicSignals[0], byteLength: forged.length, tokenCount: 1 }],
      ciphertext: proven.encrypted.postedCiphertext,
      ciphertextURI: "",
      ciphertextHash: zeroHash,
    };
    await h.market.write(liar, {
      address: h.market.contracts.JobMarket.address,
      abi: jobMarketAbi,
      functionName: "submitResult",
      args: [jobId, result, [proven.proof]],
    });
    expect((await getJob(jobId)).status).to.equal(STATUS.Submitted);
    expect(await h.readResult(jobId)).to.equal("5");

    await disputeAndDraw(jobId);
    await h.user.revealJobSecret({ jobId, jobSecret });
    const slashed = (await waitForValue(async () => (await events("JobSlashed", jobId))[0], {
      message: "the fault verdict",
      timeoutMs: 120_000,
    })) as unknown as {
      args: { collateralRecipient: Address; refund: bigint };
    };
    expect(slashed.args.collateralRecipient.toLowerCase()).to.equal(h.market.user.address.toLowerCase());
    expect(slashed.args.refund).to.equal(BigInt(MAX_TOKENS) * PRICE_PER_TOKEN);
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    const votes = (await events("DisputeVoted", jobId)) as unknown as {
      args: { validator: Address; providerAtFault: boolean };
    }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => v.args.providerAtFault)).to.equal(true);
  });
});
