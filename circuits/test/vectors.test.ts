// Shared vectors: regenerating reproduces test/vectors/*.json; the circuit accepts each vector chunk with its
// commitment (off-chain and in-circuit computations agree); circomlibjs's reference Poseidon agrees with the
// poseidon-lite keystream (PoseidonEx with 17 outputs).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "chai";
import { buildPoseidonReference } from "circomlibjs";
import { REPO_ROOT } from "../scripts/lib/paths.ts";
import { allVectors, outputCipherVectors } from "../scripts/lib/testVectors.ts";
import { DOMAIN_CIPHER } from "../src/constants.ts";
import { decryptOutput } from "../src/encryptOutput.ts";
import { packStatement, type Address } from "../src/statement.ts";
import { expectPass } from "./witness.ts";

describe("test vectors", () => {
  for (const [name, content] of Object.entries(allVectors())) {
    it(`test/vectors/${name} is what the generator produces`, () => {
      const committed: unknown = JSON.parse(readFileSync(join(REPO_ROOT, "test", "vectors", name), "utf8"));
      expect(committed).to.deep.equal(JSON.parse(JSON.stringify(content)));
    });
  }

  const vectors = outputCipherVectors();
  it("every vector chunk is accepted by the circuit with its outputCommitment", async () => {
    for (const v of vectors) {
      for (const c of v.chunks) {
        const statement = packStatement({
          jobId: BigInt(v.jobId),
          provider: v.provider,
          chunkIndex: c.chunkIndex,
          byteLength: c.byteLength,
          tokenCount: 0,
          maxTokens: 0,
        });
        await expectPass({
          outputCommitment: c.outputCommitment,
          keyCommitment: v.keyCommitment,
          statement: statement.toString(),
          outputKey: v.outputKey,
          plaintext: [...c.plaintext, ...new Array<string>(64 - c.plaintext.length).fill("0")],
        });
      }
    }
  });

  it("the keystream matches circomlibjs's reference Poseidon (17 outputs, out[0] dropped)", async () => {
    const poseidon = await buildPoseidonReference();
    const v = vectors[3]!;
    for (let j = 0; j < 4; j++) {
      const inputs = [
        DOMAIN_CIPHER,
        BigInt(v.outputKey),
        BigInt(v.jobId),
        BigInt(v.provider),
        0n,
        BigInt(j),
        ...new Array<bigint>(10).fill(0n),
      ];
      const out = (poseidon(inputs, 0, 17) as unknown[]).map((e) => poseidon.F.toObject(e) as bigint);
      expect(out.slice(1).map(String)).to.deep.equal(v.keystreamChunk0.slice(16 * j, 16 * j + 16));
    }
  });

  it("decrypting each vector's posted ciphertext gives its output", () => {
    for (const v of vectors) {
      const out = decryptOutput({
        postedCiphertext: v.chunks.map((c) => c.postedCiphertext.map(BigInt)),
        byteLength: v.byteLength,
        outputKey: BigInt(v.outputKey),
        jobId: BigInt(v.jobId),
        provider: v.provider as Address,
        chunkCommitments: v.chunks.map((c) => BigInt(c.outputCommitment)),
      });
      expect(`0x${Buffer.from(out).toString("hex")}`).to.equal(v.output);
    }
  });
});
