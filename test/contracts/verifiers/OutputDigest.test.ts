// OutputDigest (the fraud-proof path) computes on-chain the same outputCommitment as the circuits library, on the
// shared vectors of test/vectors/output-cipher.json; the generated Poseidon permutations match poseidon-lite.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { network } from "hardhat";
import { createRequire } from "node:module";
import { FIELD_ORDER } from "@octo/circuits";

const { ethers } = await network.connect();
// poseidon-lite is a dependency of the circuits package, not of the root.
const { poseidon16 } = createRequire(new URL("../../../circuits/package.json", import.meta.url))(
  "poseidon-lite/poseidon16",
) as {
  poseidon16: (inputs: bigint[], nOuts: number) => bigint[];
};

type CipherVector = { chunks: { postedCiphertext: string[]; outputCommitment: string }[] };
const vectors = (
  JSON.parse(readFileSync(new URL("../../vectors/output-cipher.json", import.meta.url), "utf8")) as {
    vectors: CipherVector[];
  }
).vectors;

/** Deploys the Poseidon libraries (PoseidonT17 links its three constant parts) and the harness linked to them. */
export async function deployOutputDigest() {
  const parts: Record<string, string> = {};
  for (let k = 0; k < 3; k++) {
    parts[`PoseidonT17Constants${k}`] = await (await ethers.deployContract(`PoseidonT17Constants${k}`)).getAddress();
  }
  const t17 = await ethers.deployContract("PoseidonT17", { libraries: parts });
  const t5 = await ethers.deployContract("PoseidonT5");
  const libraries = { PoseidonT17: await t17.getAddress(), PoseidonT5: await t5.getAddress() };
  const harness = await ethers.deployContract("OutputDigestHarness", { libraries });
  return { t17, t5, harness };
}

describe("OutputDigest (fraud-proof digest)", function () {
  this.timeout(300_000);
  let d: Awaited<ReturnType<typeof deployOutputDigest>>;
  before(async () => {
    d = await deployOutputDigest();
  });

  it("PoseidonT17.permute matches poseidon-lite's poseidon16 with 17 outputs", async () => {
    const inputs = Array.from({ length: 16 }, (_, i) => BigInt(i * 1000 + 7));
    const expected = poseidon16(inputs, 17);
    expect((await d.t17.getFunction("permute")([0n, ...inputs])).map(BigInt)).to.deep.equal(expected);
  });

  it("matches every chunk commitment of test/vectors/output-cipher.json", async () => {
    let n = 0;
    for (const v of vectors) {
      for (const c of v.chunks) {
        expect(await d.harness.getFunction("digest")(c.postedCiphertext.map(BigInt))).to.equal(
          BigInt(c.outputCommitment),
        );
        n++;
      }
    }
    expect(n).to.be.greaterThan(5);
  });

  it("detects one altered element", async () => {
    const c = vectors[3]!.chunks[0]!;
    const altered = c.postedCiphertext.map(BigInt);
    altered[2] = (altered[2]! + 1n) % FIELD_ORDER;
    expect(await d.harness.getFunction("digest")(altered)).to.not.equal(BigInt(c.outputCommitment));
  });

  it("returns NOT_CANONICAL (2^256 − 1) for an element >= the field order", async () => {
    const posted = vectors[3]!.chunks[0]!.postedCiphertext.map(BigInt);
    posted[0] = posted[0]! + FIELD_ORDER;
    expect(await d.harness.getFunction("digest")(posted)).to.equal(2n ** 256n - 1n);
  });

  it("reverts with OutputDigestTooManyElements for 65 elements", async () => {
    await expect(d.harness.getFunction("digest")(new Array<bigint>(65).fill(0n))).to.be.revertedWithCustomError(
      d.harness,
      "OutputDigestTooManyElements",
    );
  });

  it("fits one transaction: a full chunk's digest stays under the 2^24 per-transaction gas cap", async () => {
    const full = vectors.find((v) => v.chunks[0]!.postedCiphertext.length === 64)!.chunks[0]!;
    const gas = await d.harness.getFunction("digest").estimateGas(full.postedCiphertext.map(BigInt));
    console.log(`      OutputDigest.digest(64 elements) gas: ${gas}`);
    expect(gas < 16_777_216n).to.equal(true);
  });
});
