// On-chain verification gas on Hardhat's in-process chain (estimateGas of a transaction to the generated
// ResultVerifier, so the 21k base cost and calldata are included): verify.singleGas (verifyProof of one 2 KB chunk
// proof) and verify.batch32Gas (verifyBatch of 32 such proofs). Run from the repo root (Hardhat's config is there).
import type {} from "@nomicfoundation/hardhat-toolbox-mocha-ethers"; // types of network.connect().ethers
import hre from "hardhat";
import { recordBench } from "@octo/devnet/bench";
import { CHUNK_BYTES, deriveJobKeys, proveChunk, type ProveChunkReturnType } from "../src/index.ts";
import { loadProverArtifacts } from "../src/node.ts";

await hre.tasks.getTask("build").run({ quiet: true, noTests: true, files: ["contracts/verifiers/ResultVerifier.sol"] });
const { ethers } = await hre.network.connect();

const artifacts = loadProverArtifacts();
const { outputKey } = deriveJobKeys({ jobSecret: new Uint8Array(32).fill(3) });
const proofs: ProveChunkReturnType[] = [];
for (let i = 0; i < 32; i++) {
  const chunk = new Uint8Array(CHUNK_BYTES).map((_, k) => (k * 17 + i) & 255);
  proofs.push(
    await proveChunk({
      artifacts,
      chunk,
      chunkIndex: 0,
      outputKey,
      jobId: BigInt(500 + i),
      provider: "0x00000000000000000000000000000000000000c1",
      tokenCount: 300,
      maxTokens: 1024,
    }),
  );
}
const verifier = await ethers.deployContract("ResultVerifier");
const verifyProof = verifier.getFunction("verifyProof");
const verifyBatch = verifier.getFunction("verifyBatch");
const p = proofs.map((x) => [...x.proof]);
const s = proofs.map((x) => [...x.publicSignals]);
if (!(await verifyProof(p[0]!, s[0]!)) || !(await verifyBatch(p, s))) throw new Error("proofs do not verify");
const single = await verifyProof.estimateGas(p[0]!, s[0]!);
const batch = await verifyBatch.estimateGas(p, s);
const batch8 = await verifyBatch.estimateGas(p.slice(0, 8), s.slice(0, 8));
// estimateGas is inflated by EIP-150: forwarding gas() to the 181k pairing precompile needs 64/63 of it available.
// The gas a mined transaction actually uses is lower; report it alongside.
const [signer] = await ethers.getSigners();
const tx = await signer!.sendTransaction({
  to: await verifier.getAddress(),
  data: verifier.interface.encodeFunctionData("verifyProof", [p[0]!, s[0]!]),
});
const used = (await tx.wait())!.gasUsed;
console.log(
  `verifyProof: ${single} gas estimated, ${used} gas used by a mined transaction; verifyBatch(8): ${batch8} gas; verifyBatch(32): ${batch} gas (${Number(batch) / 32} per proof)`,
);
recordBench({ "verify.singleGas": Number(single), "verify.batch32Gas": Number(batch) });
process.exit(0);
