// Gas of each lifecycle step with the real ResultVerifier and real proofs, single and in batches of 32.
// Run: node scripts/bench/gas.bench.ts (or `pnpm bench`), after `pnpm build`.
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

async function createAndClaim(): Promise<{ jobId: bigint; create: number; claim: number }> {
  const now = await networkHelpers.time.latest();
  const jobId = await sys.market.nextJobId();
  const create = await gas(
    sys.market
      .connect(sys.user)
      .createJob(jobRequest(sys, now, { keyCommitment, provider: provider.address }), ENVELOPE, "", ethers.ZeroHash),
  );
  const claim = await gas(sys.market.connect(provider).claimJob(jobId));
  return { jobId, create, claim };
}
const prove = (jobId: bigint) =>
  proveOutput({ jobId, provider: provider.address, outputKey, text: TEXT, maxTokens: MAX_TOKENS, tokensPerChunk: 50 });

// Warm-up job so that first-touch storage (fee accumulator, provider balances) is not billed to the measured one.
{
  const { jobId } = await createAndClaim();
  const p = await prove(jobId);
  await sys.market.connect(provider).submitResult(jobId, p.result, p.proofs);
  await networkHelpers.time.increase(3600);
  await sys.market.finalize(jobId);
}

const single = await createAndClaim();
const proof = await prove(single.jobId);
const submit = await gas(sys.market.connect(provider).submitResult(single.jobId, proof.result, proof.proofs));
await networkHelpers.time.increase(3600);
const finalize = await gas(sys.market.finalize(single.jobId));

const N = 32;
let batchTotal = 0;
const ids: bigint[] = [];
for (let i = 0; i < N; i++) {
  const j = await createAndClaim();
  ids.push(j.jobId);
  batchTotal += j.create + j.claim;
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

recordBench({
  "gas.createJob": single.create,
  "gas.claimJob": single.claim,
  "gas.submitResult": submit,
  "gas.finalize": finalize,
  "gas.lifecycleSingle": single.create + single.claim + submit + finalize,
  "gas.lifecyclePerJobBatch32": Math.round(batchTotal / N),
});
await releaseProver();
process.exit(0);
