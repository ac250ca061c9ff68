// Disputes end to end on a real local chain: real contracts, three real workers (the llama.cpp engine on the fixture
// model) and a scripted provider that lies with a real proof. The committee re-runs the job and its votes decide.
import { expect } from "chai";
import { zeroAddress, type Address } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { postForgedResult } from "../helpers/postForgedResult.ts";
import { printIfFailed } from "../helpers/recordedLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { startDisputeHarness, type DisputeHarness } from "./disputeHarness.ts";
import { PRICE_PER_TOKEN, type Harness } from "./workerHarness.ts";

const MAX_TOKENS = 24;
/** IJobMarket.JobStatus */
const STATUS = { Submitted: 3, Disputed: 4, Finalized: 5, Slashed: 8 } as const;

describe("disputes end to end (three workers on the committee's side, a lying provider)", function () {
  this.timeout(300_000);
  let d: DisputeHarness;
  let h: Harness;
  let liar: DisputeHarness["liar"];
  let events: DisputeHarness["events"];
  let getJob: DisputeHarness["getJob"];
  let balance: DisputeHarness["balance"];
  let disputeAndDraw: DisputeHarness["disputeAndDraw"];

  before(async () => {
    d = await startDisputeHarness();
    ({ h, liar, events, getJob, balance, disputeAndDraw } = d);
  });
  afterEach(function () {
    printIfFailed(this, d?.logs ?? []);
  });
  after(async () => {
    await d?.stop();
  });

  it("settles an honest provider's disputed job at once: it reveals the secret and the committee votes it clean", async () => {
    const { jobId } = await h.createJob({
      prompt: "Tell me a story",
      provider: h.provider,
      maxOutputTokens: MAX_TOKENS,
      maxPricePerToken: PRICE_PER_TOKEN,
    });
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, {
      message: `job ${jobId} submitted`,
    });
    await disputeAndDraw(jobId);
    expect((await getJob(jobId)).status).to.equal(STATUS.Disputed);

    // No time passes: only the committee's quorum can settle it this early.
    await waitForValue(async () => (await events("JobFinalized", jobId))[0], {
      message: "the clean verdict",
      timeoutMs: 120_000,
    });
    expect((await getJob(jobId)).status).to.equal(STATUS.Finalized);
    expect(await events("JobSecretRevealed", jobId)).to.have.length(1);
    const votes = (await events("DisputeVoted", jobId)) as unknown as {
      args: { validator: Address; providerAtFault: boolean };
    }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => !v.args.providerAtFault)).to.equal(true);
    expect(votes.map((v) => v.args.validator.toLowerCase())).to.not.include(h.provider.toLowerCase());
  });

  it("samples a result with sampling on: the provider reads its coin, draws the committee and reveals; a clean verdict pays it", async () => {
    const setSampleBps = (bps: number) =>
      h.market.write(h.market.deployer, {
        address: h.market.contracts.JobMarket.address,
        abi: jobMarketAbi,
        functionName: "setSampleBps",
        args: [bps],
      });
    await setSampleBps(10_000);
    // The coin and the draw each read a later block's hash: blocks must keep coming, as on a real chain.
    const miner = setInterval(() => void h.market.testClient.mine({ blocks: 1 }).catch(() => {}), 500);
    try {
      const { jobId } = await h.createJob({
        prompt: "Name a colour",
        provider: h.provider,
        maxOutputTokens: MAX_TOKENS,
        maxPricePerToken: PRICE_PER_TOKEN,
      });
      const finalized = (await waitForValue(async () => (await events("JobFinalized", jobId))[0], {
        message: "the sampled job's clean verdict",
        timeoutMs: 180_000,
      })) as unknown as { args: { providerAmount: bigint } };
      const [read] = (await events("SampleCoinRead", jobId)) as unknown as {
        args: { sampled: boolean; lapsed: boolean };
      }[];
      expect([read!.args.sampled, read!.args.lapsed]).to.deep.equal([true, false]);
      const [opened] = (await events("DisputeOpened", jobId)) as unknown as { args: { disputer: Address } }[];
      expect(opened!.args.disputer).to.equal(zeroAddress);
      const [revealed] = (await events("JobSecretRevealed", jobId)) as unknown as { args: { revealer: Address } }[];
      expect(revealed!.args.revealer.toLowerCase()).to.equal(h.provider.toLowerCase());
      const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { providerAtFault: boolean } }[];
      expect(votes.length).to.be.at.least(2);
      expect(votes.every((v) => !v.args.providerAtFault)).to.equal(true);
      expect(finalized.args.providerAmount > 0n).to.equal(true);
    } finally {
      clearInterval(miner);
      await setSampleBps(0);
    }
  });

  it("settles a disputed job that is not verifiable on its bill: the committee opens the posted output and recounts it", async () => {
    const { jobId, jobSecret } = await h.createJob({
      prompt: "Count to three",
      provider: h.provider,
      maxOutputTokens: MAX_TOKENS,
      maxPricePerToken: PRICE_PER_TOKEN,
      verifiable: false,
    });
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, {
      message: `job ${jobId} submitted`,
    });
    const { tokenCount } = await getJob(jobId);
    await disputeAndDraw(jobId);
    await h.user.revealJobSecret({ jobId, jobSecret });

    const finalized = (await waitForValue(async () => (await events("JobFinalized", jobId))[0], {
      message: "the clean verdict on the bill",
      timeoutMs: 120_000,
    })) as unknown as {
      args: { tokenCount: bigint };
    };
    expect(finalized.args.tokenCount).to.equal(BigInt(tokenCount));
    const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { providerAtFault: boolean } }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => !v.args.providerAtFault)).to.equal(true);
  });

  it("slashes a provider that proved and posted another output: the user reveals, the committee re-runs and votes fault", async () => {
    const userBefore = await balance(h.market.user.address);
    const { jobId, jobSecret, outputKey } = await d.asLiar(() =>
      h.createJob({
        prompt: "What is two plus two?",
        provider: liar.address,
        maxOutputTokens: MAX_TOKENS,
        maxPricePerToken: PRICE_PER_TOKEN,
      }),
    );
    // Named: the liar's collateral was locked by the job's creation.
    // A valid proof for a made-up answer: the proof binds the ciphertext to the committed key, not to the model.
    await postForgedResult({ market: h.market, cheater: liar, jobId, outputKey, maxTokens: MAX_TOKENS });
    expect((await getJob(jobId)).status).to.equal(STATUS.Submitted);

    await disputeAndDraw(jobId);
    await h.user.revealJobSecret({ jobId: jobId, jobSecret: jobSecret });
    const slashed = (await waitForValue(async () => (await events("JobSlashed", jobId))[0], {
      message: "the fault verdict",
      timeoutMs: 120_000,
    })) as unknown as {
      args: { collateralRecipient: Address; refund: bigint };
    };
    expect(slashed.args.collateralRecipient.toLowerCase()).to.equal(h.market.user.address.toLowerCase());
    expect(slashed.args.refund).to.equal(BigInt(MAX_TOKENS) * PRICE_PER_TOKEN);
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { providerAtFault: boolean } }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => v.args.providerAtFault)).to.equal(true);
  });
});
