// Gas of each lifecycle step with the real ResultVerifier and real proofs: a job that names its provider paid from the
// user's balance in the market (created claimed: create, submit, finalize), the same paid by transfer, an open job
// (create, claim, deliver the key, submit, finalize), 32 named jobs created one by one from a balance, submitted and
// finalized in batches, and a dispute (dispute, draw, votes until the quorum settles it). Also each contract's and
// linked library's deployed size.
// Run: node scripts/bench/gas.bench.ts (or `pnpm bench gas`), after `pnpm build`.
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { recordBench } from "@octo/devnet/bench";
import { deployMarket, ENVELOPE, jobRequest, MAX_TOKENS } from "../../test/contracts/helpers/deployMarket.ts";
import { proveOutput, releaseProver, testKeys } from "../../test/contracts/helpers/realProofs.ts";

const { ethers, networkHelpers } = await network.connect();
const sys = await deployMarket(ethers, { realVerifier: true });
const provider = sys.providers[0]!;
const { outputKey, keyCommitment } = testKeys(9);
const TEXT = "A short answer of about two hundred bytes, as a chat reply would be. ".repeat(3);
const gas = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
  Number((await (await tx).wait())!.gasUsed);

// The user prepays once; jobs paid from the balance then need no transfer and no approval.
await sys.market.connect(sys.user).deposit(sys.usdc.target, 10n ** 11n);

/** Creates a job: named (claimed by its creation) or open, paid from the user's balance or by transfer. */
async function create(named: boolean, fromBalance = true): Promise<{ jobId: bigint; create: number }> {
  const now = await networkHelpers.time.latest();
  const jobId = await sys.market.nextJobId();
  const request = jobRequest(sys, now, { keyCommitment, ...(named ? { provider: provider.address } : {}) });
  const market = sys.market.connect(sys.user);
  const create = await gas(
    fromBalance
      ? market.createJobFromBalance(request, ENVELOPE, "", ethers.ZeroHash)
      : market.createJob(request, ENVELOPE, "", ethers.ZeroHash),
  );
  return { jobId, create };
}
const prove = (jobId: bigint) =>
  proveOutput({ jobId, provider: provider.address, outputKey, text: TEXT, maxTokens: MAX_TOKENS, tokensPerChunk: 50 });
async function submitAndFinalize(jobId: bigint): Promise<{ submit: number; finalize: number }> {
  const proof = await prove(jobId);
  const submit = await gas(sys.market.connect(provider).submitResult(jobId, proof.result, proof.proofs));
  await networkHelpers.time.increase(3600);
  const finalize = await gas(sys.market.finalize(jobId));
  return { submit, finalize };
}

// Warm-up job so that first-touch storage (fee accumulator, provider balances) is not billed to the measured one.
await submitAndFinalize((await create(true)).jobId);

const named = await create(true);
const namedSteps = await submitAndFinalize(named.jobId);

const transfer = await create(true, false);
const transferSteps = await submitAndFinalize(transfer.jobId);

// A dispute of an honest result: dispute, draw (one block later), then votes until a quorum settles it.
const disputed = await create(true);
const disputedProof = await prove(disputed.jobId);
await sys.market.connect(provider).submitResult(disputed.jobId, disputedProof.result, disputedProof.proofs);
let disputeGas = await gas(sys.market.connect(sys.user).dispute(disputed.jobId));
await networkHelpers.mine(1);
disputeGas += await gas(sys.market.drawCommittee(disputed.jobId));
const [committee] = await sys.market.getDispute(disputed.jobId);
let votes = 0;
for (const member of committee) {
  if ((await sys.market.getJob(disputed.jobId)).status !== 4n) break; // settled by the quorum
  const signer = sys.providers.find((p) => p.address === member)!;
  disputeGas += await gas(sys.market.connect(signer).voteOnDispute(disputed.jobId, false));
  votes++;
}

const open = await create(false);
const claim = await gas(sys.market.connect(provider).claimJob(open.jobId));
const deliver = await gas(sys.market.connect(sys.user).deliverJobKey(open.jobId, ethers.id("ephemeral"), ENVELOPE));
const openSteps = await submitAndFinalize(open.jobId);

const N = 32;
let batchTotal = 0;
const ids: bigint[] = [];
for (let i = 0; i < N; i++) {
  const j = await create(true);
  ids.push(j.jobId);
  batchTotal += j.create;
}
const proven = [];
for (const id of ids) proven.push(await prove(id));
batchTotal += await gas(
  sys.market.connect(provider).submitResults(
    ids,
    proven.map((p) => p.result),
    proven.flatMap((p) => p.proofs),
  ),
);
await networkHelpers.time.increase(3600);
batchTotal += await gas(sys.market.finalizeBatch(ids));

const deployedSize = (source: string, name: string) => {
  const artifact = JSON.parse(readFileSync(`artifacts/contracts/${source}/${name}.json`, "utf8")) as {
    deployedBytecode: string;
  };
  return (artifact.deployedBytecode.length - 2) / 2;
};

recordBench({
  "gas.createJobNamed": named.create,
  "gas.createJobOpen": open.create,
  "gas.claimJob": claim,
  "gas.deliverJobKey": deliver,
  "gas.submitResult": namedSteps.submit,
  "gas.finalize": namedSteps.finalize,
  "gas.lifecycleSingle": named.create + namedSteps.submit + namedSteps.finalize,
  "gas.lifecycleOpenJob": open.create + claim + deliver + openSteps.submit + openSteps.finalize,
  "gas.lifecyclePerJobBatch32": Math.round(batchTotal / N),
  "gas.lifecycleTransfer": transfer.create + transferSteps.submit + transferSteps.finalize,
  "gas.createJobTransfer": transfer.create,
  "gas.dispute": disputeGas,
  "gas.disputeVotes": votes,
  "size.JobMarket": deployedSize("JobMarket.sol", "JobMarket"),
  "size.StakingRegistry": deployedSize("StakingRegistry.sol", "StakingRegistry"),
  "size.ModelRegistry": deployedSize("ModelRegistry.sol", "ModelRegistry"),
  "size.ResultVerifier": deployedSize("verifiers/ResultVerifier.sol", "ResultVerifier"),
  "size.JobResults": deployedSize("libraries/JobResults.sol", "JobResults"),
  "size.FraudProof": deployedSize("libraries/FraudProof.sol", "FraudProof"),
  "size.Committee": deployedSize("libraries/Committee.sol", "Committee"),
});
await releaseProver();
process.exit(0);
