// Gas of each lifecycle step with the real ResultVerifier and real proofs: a job that names its provider (created
// claimed: create, submit, finalize), an open job (create, claim, deliver the key, submit, finalize), and 32 named
// jobs created one by one, submitted and finalized in batches. Also each contract's deployed size.
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

/** Creates a job: named (claimed by its creation) or open. */
async function create(named: boolean): Promise<{ jobId: bigint; create: number }> {
  const now = await networkHelpers.time.latest();
  const jobId = await sys.market.nextJobId();
  const request = jobRequest(sys, now, { keyCommitment, ...(named ? { provider: provider.address } : {}) });
  const create = await gas(sys.market.connect(sys.user).createJob(request, ENVELOPE, "", ethers.ZeroHash));
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
  "size.JobMarket": deployedSize("JobMarket.sol", "JobMarket"),
  "size.StakingRegistry": deployedSize("StakingRegistry.sol", "StakingRegistry"),
  "size.ModelRegistry": deployedSize("ModelRegistry.sol", "ModelRegistry"),
  "size.ResultVerifier": deployedSize("verifiers/ResultVerifier.sol", "ResultVerifier"),
});
await releaseProver();
process.exit(0);
