// JobMarket with the real ResultVerifier and real Groth16 proofs from the circuits library (no mocks on the path
// that decides payment). Proofs are cached per (job, provider, output) for the whole file.
import { expect } from "chai";
import { network } from "hardhat";
import { deployMarket, ENVELOPE, jobRequest, MAX_TOKENS, PRICE, STATUS, type System } from "./helpers/deployMarket.ts";
import { proveOutput, releaseProver, testKeys } from "./helpers/realProofs.ts";

const { ethers, networkHelpers } = await network.create();
const { outputKey, keyCommitment } = testKeys(7);
const TEXT = "The answer is 42. Octo proves that this exact ciphertext encrypts a committed output.";
const TOKENS = 20;

async function fixture() {
  return deployMarket(ethers, { realVerifier: true });
}

async function openAndClaim(sys: System, provider = sys.providers[0]!) {
  const now = await networkHelpers.time.latest();
  const request = jobRequest(sys, now, { keyCommitment, provider: provider.address });
  const jobId = await sys.market.nextJobId();
  // A named job is claimed by its creation.
  await sys.market.connect(sys.user).createJob(request, ENVELOPE, "", ethers.ZeroHash);
  return jobId;
}

/** The ResultSubmitted events of a transaction, decoded. */
async function resultEvents(
  sys: System,
  tx: { wait(): Promise<{ logs: readonly { topics: readonly string[]; data: string }[] } | null> },
) {
  const receipt = await tx.wait();
  return receipt!.logs
    .map((log) => sys.market.interface.parseLog({ topics: [...log.topics], data: log.data }))
    .filter((e) => e?.name === "ResultSubmitted")
    .map((e) => e!);
}

const prove = (jobId: bigint, provider: string, text = TEXT) =>
  proveOutput({ jobId, provider, outputKey, text, maxTokens: MAX_TOKENS, tokensPerChunk: TOKENS });

describe("JobMarket with real proofs", function () {
  this.timeout(300_000);
  after(releaseProver);

  it("test_lifecycle_paysProviderForProvenTokensAndRefundsRest", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address);
    await expect(sys.market.connect(provider!).submitResult(jobId, result, proofs)).to.emit(
      sys.market,
      "ResultSubmitted",
    );
    const job = await sys.market.getJob(jobId);
    expect(job.status).to.equal(STATUS.Submitted);
    expect(job.tokenCount).to.equal(BigInt(TOKENS));
    expect(job.outputRoot).to.equal(
      ethers.solidityPackedKeccak256(["uint256[]"], [result.chunks.map((c) => c.outputCommitment)]),
    );
    expect(job.ciphertextHash).to.equal(ethers.solidityPackedKeccak256(["uint256[]"], [result.ciphertext]));

    await networkHelpers.time.increase(3600);
    const before = await sys.market.balanceOf(sys.usdc.target, provider!.address);
    const userBefore = await sys.usdc.balanceOf(sys.user.address);
    await sys.market.finalize(jobId);
    const payment = BigInt(TOKENS) * PRICE;
    const fee = (payment * 250n) / 10_000n;
    // Earnings are credited to the provider's balance in the market, withdrawn later in one transfer.
    expect(await sys.market.balanceOf(sys.usdc.target, provider!.address)).to.equal(before + payment - fee);
    expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(userBefore + 256n * 20n - payment);
    expect(await sys.market.accruedFees(sys.usdc.target)).to.equal(fee);
    const receipt = await sys.market.getReceipt(jobId);
    expect(receipt.providerAmount).to.equal(payment - fee);
    expect(receipt.job.status).to.equal(STATUS.Finalized);
  });

  it("test_submitResult_acceptsEmptyOutputAndFinalizeRefundsWholeEscrow", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address, "");
    expect(result.chunks).to.deep.equal([
      { outputCommitment: result.chunks[0]!.outputCommitment, byteLength: 0, tokenCount: 0 },
    ]);
    expect(result.ciphertext).to.deep.equal([]);
    await sys.market.connect(provider!).submitResult(jobId, result, proofs);
    const job = await sys.market.getJob(jobId);
    expect(job.status).to.equal(STATUS.Submitted);
    expect(job.ciphertextHash).to.equal(ethers.keccak256("0x"));

    await networkHelpers.time.increase(3600);
    const userBefore = await sys.usdc.balanceOf(sys.user.address);
    await sys.market.finalize(jobId);
    expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(userBefore + 256n * 20n);
    expect((await sys.market.getReceipt(jobId)).providerAmount).to.equal(0n);
  });

  it("test_submitResult_rejectsProofReplayedForAnotherJob", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const first = await openAndClaim(sys);
    const second = await openAndClaim(sys);
    const proven = await prove(first, provider!.address);
    await expect(
      sys.market.connect(provider!).submitResult(second, proven.result, proven.proofs),
    ).to.be.revertedWithCustomError(sys.market, "SubmitProofInvalid");
    // The same proof is still good for the job it was made for.
    await expect(sys.market.connect(provider!).submitResult(first, proven.result, proven.proofs)).to.emit(
      sys.market,
      "ResultSubmitted",
    );
  });

  it("test_submitResult_rejectsProofReplayedByAnotherProvider", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [honest, thief] = sys.providers;
    const stolenFrom = await openAndClaim(sys, honest);
    const target = await openAndClaim(sys, thief);
    const proven = await prove(stolenFrom, honest!.address);
    // The thief replays the honest provider's proof on its own job and on the honest provider's job.
    await expect(
      sys.market.connect(thief!).submitResult(target, proven.result, proven.proofs),
    ).to.be.revertedWithCustomError(sys.market, "SubmitProofInvalid");
    await expect(sys.market.connect(thief!).submitResult(stolenFrom, proven.result, proven.proofs))
      .to.be.revertedWithCustomError(sys.market, "JobNotProvider")
      .withArgs(stolenFrom, thief!.address);
  });

  it("test_submitResult_rejectsInflatedTokenCount", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address);
    const inflated = { ...result, chunks: result.chunks.map((c) => ({ ...c, tokenCount: c.tokenCount + 5 })) };
    await expect(sys.market.connect(provider!).submitResult(jobId, inflated, proofs)).to.be.revertedWithCustomError(
      sys.market,
      "SubmitProofInvalid",
    );
  });

  it("test_submitResults_verifiesManyJobsWithOneBatchAndSettlesThemInOneBatch", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const ids: bigint[] = [];
    for (let i = 0; i < 3; i++) ids.push(await openAndClaim(sys));
    const proven = await Promise.all(ids.map((id) => prove(id, provider!.address)));
    await expect(
      sys.market.connect(provider!).submitResults(
        ids,
        proven.map((p) => p.result),
        proven.flatMap((p) => p.proofs),
      ),
    ).to.emit(sys.market, "ResultSubmitted");
    // One forged proof in the batch sinks the batch.
    for (const id of ids) expect((await sys.market.getJob(id)).status).to.equal(STATUS.Submitted);
    await networkHelpers.time.increase(3600);
    await sys.market.finalizeBatch(ids);
    for (const id of ids) expect((await sys.market.getJob(id)).status).to.equal(STATUS.Finalized);
  });

  it("test_submitResult_eventCarriesTheChunkProofs", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address, "y".repeat(2500)); // two chunks
    const tx = await sys.market.connect(provider!).submitResult(jobId, result, proofs);
    const [event] = await resultEvents(sys, tx);
    expect(event!.args.jobId).to.equal(jobId);
    expect(event!.args.proofs.map((p: bigint[]) => [...p])).to.deep.equal(proofs);
    expect(event!.args.chunks.map((c: { outputCommitment: bigint }) => c.outputCommitment)).to.deep.equal(
      result.chunks.map((c) => c.outputCommitment),
    );
  });

  it("test_submitResults_eachEventCarriesItsOwnJobsProofs", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const ids: bigint[] = [];
    for (let i = 0; i < 3; i++) ids.push(await openAndClaim(sys));
    const proven = await Promise.all(ids.map((id) => prove(id, provider!.address)));
    const tx = await sys.market.connect(provider!).submitResults(
      ids,
      proven.map((p) => p.result),
      proven.flatMap((p) => p.proofs),
    );
    const events = await resultEvents(sys, tx);
    expect(events.map((e) => e.args.jobId)).to.deep.equal(ids);
    for (const [i, event] of events.entries())
      expect(event.args.proofs.map((p: bigint[]) => [...p])).to.deep.equal(proven[i]!.proofs);
  });

  it("test_submitResults_rejectsBatchWithOneProofForAnotherJob", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const ids = [await openAndClaim(sys), await openAndClaim(sys)];
    const good = await prove(ids[0]!, provider!.address);
    const replayed = good; // proof of job ids[0] offered again for ids[1]
    await expect(
      sys.market
        .connect(provider!)
        .submitResults(ids, [good.result, replayed.result], [...good.proofs, ...replayed.proofs]),
    ).to.be.revertedWithCustomError(sys.market, "SubmitProofInvalid");
  });

  it("test_submitResult_acceptsMultiChunkOutputUnderOneRoot", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider] = sys.providers;
    const jobId = await openAndClaim(sys);
    const text = "x".repeat(1984) + "tail of a two-chunk answer";
    const { result, proofs } = await prove(jobId, provider!.address, text);
    expect(result.chunks.length).to.equal(2);
    await sys.market.connect(provider!).submitResult(jobId, result, proofs);
    const job = await sys.market.getJob(jobId);
    expect(job.chunkCount).to.equal(2n);
    expect(job.tokenCount).to.equal(BigInt(2 * TOKENS));
  });

  it("test_proveCiphertextMismatch_slashesProviderWhoPostedOtherCiphertext_collateralToUser", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider, challenger] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address);
    // The proof is honest, but the posted ciphertext is not the one it commits to.
    const forged = { ...result, ciphertext: result.ciphertext.map((c, i) => (i === 0 ? c ^ 1n : c)) };
    await sys.market.connect(provider!).submitResult(jobId, forged, proofs);
    const commitments = result.chunks.map((c) => c.outputCommitment);
    // The honest chunk would not prove anything.
    await expect(
      sys.market.connect(challenger!).proveCiphertextMismatch(jobId, 0, result.ciphertext, commitments),
    ).to.be.revertedWithCustomError(sys.market, "FraudProofCiphertextMismatch");
    const userBefore = await sys.usdc.balanceOf(sys.user.address);
    const userOctoBefore = await sys.octo.balanceOf(sys.user.address);
    const octoBefore = await sys.octo.balanceOf(challenger!.address);
    // The collateral goes to the user whose output was withheld, not to whoever proves: the accused proving its own
    // fraud from a second account (the challenger here could be one) collects nothing.
    await expect(sys.market.connect(challenger!).proveCiphertextMismatch(jobId, 0, forged.ciphertext, commitments))
      .to.emit(sys.market, "JobSlashed")
      .withArgs(jobId, provider!.address, sys.user.address, 256n * 20n, 100n * 10n ** 18n);
    expect(await sys.usdc.balanceOf(sys.user.address)).to.equal(userBefore + 256n * 20n);
    expect(await sys.octo.balanceOf(sys.user.address)).to.equal(userOctoBefore + 100n * 10n ** 18n);
    expect(await sys.octo.balanceOf(challenger!.address)).to.equal(octoBefore);
    expect((await sys.staking.getProvider(provider!.address)).stake).to.equal(6_000n * 10n ** 18n - 100n * 10n ** 18n);
    await networkHelpers.time.increase(3600);
    await expect(sys.market.finalize(jobId)).to.be.revertedWithCustomError(sys.market, "JobNotInStatus");
  });

  it("test_proveCiphertextMismatch_failsForHonestCiphertext", async () => {
    const sys = await networkHelpers.loadFixture(fixture);
    const [provider, challenger] = sys.providers;
    const jobId = await openAndClaim(sys);
    const { result, proofs } = await prove(jobId, provider!.address);
    await sys.market.connect(provider!).submitResult(jobId, result, proofs);
    await expect(
      sys.market.connect(challenger!).proveCiphertextMismatch(
        jobId,
        0,
        result.ciphertext,
        result.chunks.map((c) => c.outputCommitment),
      ),
    ).to.be.revertedWithCustomError(sys.market, "FraudProofDigestMatches");
  });
});
