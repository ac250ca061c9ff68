// The generated ResultVerifier on Hardhat's in-process chain, with real proofs from the circuits library:
// verifyProof accepts a real proof and rejects tampered ones; verifyBatch accepts 32 real proofs and rejects a batch
// with one forged, swapped or tampered proof.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { keccak256 } from "ethers";
import {
  BASE_FIELD_ORDER,
  CHUNK_BYTES,
  FIELD_ORDER,
  deriveJobKeys,
  proveChunk,
  type ProveChunkReturnType,
} from "@octo/circuits";
import { artifactPaths, loadProverArtifacts } from "@octo/circuits/node";

const { ethers } = await network.connect();
const BATCH = 32;
const provider = "0x00000000000000000000000000000000000000a1" as const;

describe("ResultVerifier (generated)", function () {
  this.timeout(300_000);
  let verifier: Awaited<ReturnType<typeof deploy>>;
  let proofs: ProveChunkReturnType[];

  async function deploy() {
    return ethers.deployContract("ResultVerifier");
  }
  const verifyProof = (proof: bigint[], signals: bigint[]) =>
    verifier.getFunction("verifyProof")(proof, signals) as Promise<boolean>;
  const verifyBatch = (proof: bigint[][], signals: bigint[][]) =>
    verifier.getFunction("verifyBatch")(proof, signals) as Promise<boolean>;
  const sig = (p: ProveChunkReturnType) => [...p.publicSignals] as bigint[];
  const prf = (p: ProveChunkReturnType) => [...p.proof] as bigint[];

  before(async () => {
    verifier = await deploy();
    const artifacts = loadProverArtifacts();
    const { outputKey } = deriveJobKeys({ jobSecret: new Uint8Array(32).fill(5) });
    proofs = [];
    for (let i = 0; i < BATCH; i++) {
      const chunk = new Uint8Array(i === 0 ? CHUNK_BYTES : 200 + i).map((_, k) => (k * 7 + i) & 255);
      proofs.push(
        await proveChunk({
          artifacts,
          chunk,
          chunkIndex: 0,
          outputKey,
          jobId: BigInt(100 + i),
          provider,
          tokenCount: 50,
          maxTokens: 64,
        }),
      );
    }
  });
  after(async () => {
    const curve = (globalThis as { curve_bn128?: { terminate(): Promise<void> } }).curve_bn128;
    if (curve) await curve.terminate();
  });

  it("circuitId is keccak256 of the committed verification key", async () => {
    expect(await verifier.getFunction("circuitId")()).to.equal(keccak256(readFileSync(artifactPaths.verificationKey)));
  });

  describe("verifyProof", () => {
    it("accepts a real proof", async () => {
      expect(await verifyProof(prf(proofs[0]!), sig(proofs[0]!))).to.equal(true);
      const gas = await verifier.getFunction("verifyProof").estimateGas(prf(proofs[0]!), sig(proofs[0]!));
      console.log(`      verifyProof gas (estimateGas, incl. 21k): ${gas}`);
    });
    it("rejects a tampered public signal (statement + 1, i.e. another job id)", async () => {
      const s = sig(proofs[0]!);
      s[2]! += 1n;
      expect(await verifyProof(prf(proofs[0]!), s)).to.equal(false);
    });
    it("rejects another proof's signals", async () =>
      expect(await verifyProof(prf(proofs[0]!), sig(proofs[1]!))).to.equal(false));
    it("rejects a tampered proof point (C := A)", async () => {
      const p = prf(proofs[0]!);
      [p[6], p[7]] = [p[0]!, p[1]!];
      expect(await verifyProof(p, sig(proofs[0]!))).to.equal(false);
    });
    it("rejects a point off the curve", async () => {
      const p = prf(proofs[0]!);
      p[1]! ^= 1n;
      expect(await verifyProof(p, sig(proofs[0]!))).to.equal(false);
    });
    it("rejects a signal >= r (aliased by the field order) and a coordinate >= q", async () => {
      const s = sig(proofs[0]!);
      s[0]! += FIELD_ORDER;
      expect(await verifyProof(prf(proofs[0]!), s)).to.equal(false);
      const p = prf(proofs[0]!);
      p[0]! += BASE_FIELD_ORDER;
      expect(await verifyProof(p, sig(proofs[0]!))).to.equal(false);
    });
  });

  describe("verifyBatch", () => {
    const all = () => ({ p: proofs.map(prf), s: proofs.map(sig) });
    it(`accepts ${BATCH} real proofs`, async () => {
      const { p, s } = all();
      expect(await verifyBatch(p, s)).to.equal(true);
      const gas = await verifier.getFunction("verifyBatch").estimateGas(p, s);
      console.log(`      verifyBatch(${BATCH}) gas (estimateGas, incl. 21k): ${gas}`);
    });
    it("accepts a batch of one", async () =>
      expect(await verifyBatch([prf(proofs[3]!)], [sig(proofs[3]!)])).to.equal(true));
    it("rejects a batch with one forged proof (signals of another job)", async () => {
      const { p, s } = all();
      s[17]![2]! += 1n;
      expect(await verifyBatch(p, s)).to.equal(false);
    });
    it("rejects a batch with two proofs swapped against their signals", async () => {
      const { p, s } = all();
      [p[4], p[9]] = [p[9]!, p[4]!];
      expect(await verifyBatch(p, s)).to.equal(false);
    });
    it("rejects a batch with one tampered proof point", async () => {
      const { p, s } = all();
      [p[31]![6], p[31]![7]] = [p[30]![6]!, p[30]![7]!];
      expect(await verifyBatch(p, s)).to.equal(false);
    });
    it("rejects two proofs whose C points are exchanged (which would cancel in an unweighted sum)", async () => {
      // Exchanging C between two proofs leaves Σ C_i unchanged, but not Σ ρ_i·C_i.
      const { p, s } = all();
      const cSwap = [p[1]![6]!, p[1]![7]!];
      [p[1]![6], p[1]![7]] = [p[2]![6]!, p[2]![7]!];
      [p[2]![6], p[2]![7]] = cSwap as [bigint, bigint];
      expect(await verifyBatch(p, s)).to.equal(false);
    });
    it("rejects an empty batch, mismatched lengths and out-of-range values", async () => {
      const { p, s } = all();
      expect(await verifyBatch([], [])).to.equal(false);
      expect(await verifyBatch(p, s.slice(1))).to.equal(false);
      s[0]![1]! += FIELD_ORDER;
      expect(await verifyBatch(p, s)).to.equal(false);
    });
  });
});
