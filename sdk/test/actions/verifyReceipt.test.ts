// An auditor's check of a result from public data alone, for the ways a result reaches the chain: alone, inside a
// batch of three (submitResults), and from a provider that is a contract account. None of them can be re-verified
// from the transaction's input in general (a batch mixes jobs; a contract's call is an internal one): the proofs come
// from the ResultSubmitted event.
import { expect } from "chai";
import { DEV_KEYS, type Devnet } from "@octo/devnet";
import type { VerificationKey } from "@octo/circuits";
import { startTestMarket, userClient } from "../helpers/devnet.ts";
import { addProvider, type TestProvider } from "../helpers/provider.ts";
import verificationKey from "@octo/circuits/keys/verification_key.json" with { type: "json" };

describe("verifyReceipt", () => {
  let devnet: Devnet;
  let user: ReturnType<typeof userClient>;
  let provider: TestProvider;
  let contractProvider: TestProvider;
  const job = (p: TestProvider, prompt: string) => ({
    modelId: devnet.modelId!,
    paymentToken: devnet.contracts.MockUSDC.address,
    maxOutputTokens: 40,
    maxPricePerToken: 10n,
    provider: p.address,
    input: { prompt },
  });
  const names = (checks: { name: string }[]) => checks.map((c) => c.name);

  before(async () => {
    ({ devnet, user } = await startTestMarket());
    provider = await addProvider(devnet);
    contractProvider = await addProvider(devnet, { key: DEV_KEYS[3], viaContract: true });
  });
  after(async () => devnet?.stop());

  it("verifyReceipt_singleSubmission_passesEveryNamedCheck", async () => {
    const { jobId } = await user.createJob(job(provider, "alone"));
    await provider.claim(jobId);
    await provider.submit(await provider.prove(jobId, "a single result"));
    const receipt = await user.verifyReceipt({ jobId });
    expect(receipt.ok).to.equal(true);
    expect(names(receipt.checks)).to.deep.equal([
      "outputRoot",
      "tokenCount",
      "proofCount",
      "ciphertextLength",
      "ciphertextHash",
      "chunk[0].ciphertextDigest",
      "chunk[0].proof",
    ]);
  });

  it("verifyReceipt_jobInsideABatchOfThree_verifiesWithItsOwnProofs", async () => {
    const jobIds: bigint[] = [];
    for (const prompt of ["first", "second", "third"]) jobIds.push((await user.createJob(job(provider, prompt))).jobId);
    for (const jobId of jobIds) await provider.claim(jobId);
    const batch = [];
    for (const [i, jobId] of jobIds.entries()) batch.push(await provider.prove(jobId, `answer number ${i}`));
    await provider.submitBatch(batch);
    for (const jobId of jobIds) {
      const receipt = await user.verifyReceipt({ jobId });
      expect(receipt.ok, JSON.stringify(receipt.checks.filter((c) => !c.ok))).to.equal(true);
      expect(receipt.result.proofs).to.have.length(1);
    }
    // The middle job's proofs are its own, not the first job's nor the whole batch's.
    const middle = await user.getResult({ jobId: jobIds[1]! });
    expect(middle.proofs[0]).to.deep.equal(batch[1]!.proofs[0]);
  });

  it("verifyReceipt_providerIsAContractAccount_verifiesFromTheEventAlone", async () => {
    const { jobId, jobSecret } = await user.createJob(job(contractProvider, "via a contract"));
    await contractProvider.claim(jobId);
    await contractProvider.submit(await contractProvider.prove(jobId, "submitted by a contract"));
    const result = await user.getResult({ jobId });
    expect(result.provider).to.equal(contractProvider.address);
    const tx = await devnet.publicClient.getTransaction({ hash: result.transactionHash });
    expect(tx.to?.toLowerCase()).to.equal(contractProvider.address.toLowerCase()); // the proofs were never calldata to the market
    expect((await user.verifyReceipt({ jobId })).ok).to.equal(true);
    expect((await user.openResult({ jobId, jobSecret })).text).to.equal("submitted by a contract");
  });

  it("verifyReceipt_wrongVerificationKey_failsEachProofCheckByName", async () => {
    const { jobId } = await user.createJob(job(provider, "audit me"));
    await provider.claim(jobId);
    await provider.submit(await provider.prove(jobId, "x".repeat(2100))); // two chunks
    // Another circuit's key: the same shape with a different delta.
    const vk = verificationKey as VerificationKey & { vk_delta_2: string[][] };
    const other = { ...vk, vk_delta_2: [vk.vk_delta_2[1]!, vk.vk_delta_2[0]!, vk.vk_delta_2[2]!] };
    const receipt = await user.verifyReceipt({ jobId, verificationKey: other });
    expect(receipt.ok).to.equal(false);
    expect(receipt.checks.filter((c) => !c.ok).map((c) => c.name)).to.deep.equal(["chunk[0].proof", "chunk[1].proof"]);
    expect((await user.verifyReceipt({ jobId })).ok).to.equal(true);
  });

  it("verifyReceipt_tamperedCopyOfTheResult_failsTheChecksItBreaks", async () => {
    const { jobId } = await user.createJob(job(provider, "a copy"));
    await provider.claim(jobId);
    await provider.submit(await provider.prove(jobId, "the proven answer"));
    const result = await user.getResult({ jobId });
    const failed = async (copy: typeof result) =>
      (await user.verifyReceipt({ jobId, result: copy })).checks.filter((c) => !c.ok).map((c) => c.name);
    expect(await failed(result)).to.deep.equal([]);
    expect(
      await failed({ ...result, ciphertext: [result.ciphertext[0]! + 1n, ...result.ciphertext.slice(1)] }),
    ).to.deep.equal(["ciphertextHash", "chunk[0].ciphertextDigest"]);
    const [first, ...others] = result.proofs;
    const forgedProof = [first![0] + 1n, ...first!.slice(1)] as unknown as (typeof result.proofs)[number];
    expect(await failed({ ...result, proofs: [forgedProof, ...others] })).to.deep.equal(["chunk[0].proof"]);
    // Each check says how long it took.
    expect((await user.verifyReceipt({ jobId })).checks.every((c) => c.ms >= 0)).to.equal(true);
  });
});
