// The chunk circuit: honest witnesses and proofs verify; every forgery fails, either because no witness exists
// (witness calculation hits an unsatisfied constraint) or because the proof does not verify for altered signals.
import { expect } from "chai";
import { CHUNK_BYTES } from "../src/constants.ts";
import { chunkCircuitInput } from "../src/chunkCircuitInput.ts";
import { deriveJobKeys } from "../src/deriveJobKeys.ts";
import { FIELD_ORDER } from "../src/constants.ts";
import { keyCommitment } from "../src/keyCommitment.ts";
import { packBytes } from "../src/packBytes.ts";
import { proveChunk, type ProveChunkReturnType } from "../src/proveChunk.ts";
import { loadProverArtifacts, loadVerificationKey } from "../src/node.ts";
import { packStatement, unpackStatement, type Address } from "../src/statement.ts";
import { verifyChunk } from "../src/verifyChunk.ts";
import { expectFail, expectPass, rawInput } from "./witness.ts";

const { outputKey } = deriveJobKeys({ jobSecret: new Uint8Array(32).fill(42) });
const provider: Address = "0x1234567890abcdef1234567890abcdef12345678";
const jobId = 77n;
const bytes = (n: number, seed = 1) => new Uint8Array(n).map((_, i) => ((i * 31 + seed * 17) % 255) + 1); // never 0
const base = { outputKey, jobId, provider, chunkIndex: 3, tokenCount: 10, maxTokens: 100 };
const honest = (len: number, over: Partial<typeof base> = {}) =>
  chunkCircuitInput({ ...base, ...over, chunk: bytes(len) }).input;
const raw = (elements: bigint[], byteLength: number, over: Partial<typeof base> = {}) =>
  rawInput({ ...base, ...over, elements, byteLength });

describe("ResultChunk circuit: honest witnesses", () => {
  for (const len of [0, 1, 30, 31, 32, 62, 100, 1953, 1983, CHUNK_BYTES]) {
    it(`accepts a ${len}-byte chunk`, async () => expectPass(honest(len, { tokenCount: Math.min(10, len) })));
  }
  it("accepts tokenCount = byteLength = maxTokens", async () =>
    expectPass(honest(50, { tokenCount: 50, maxTokens: 50 })));
  it("accepts the widest statement (40-bit jobId, 0xff… provider, chunk 255, 2^20−1 maxTokens)", async () =>
    expectPass(
      honest(64, {
        jobId: (1n << 40n) - 1n,
        provider: `0x${"ff".repeat(20)}`,
        chunkIndex: 255,
        maxTokens: (1 << 20) - 1,
      }),
    ));
});

describe("ResultChunk circuit: forgeries without a witness", () => {
  const p = packBytes(bytes(100)); // 4 elements, the last holds 100 − 93 = 7 bytes
  it("rejects the wrong key (keyCommitment of another key)", async () =>
    expectFail(
      rawInput({ ...base, elements: p, byteLength: 100, keyCommitmentOverride: honestKeyCommitmentOf(outputKey + 1n) }),
    ));
  it("rejects an altered ciphertext element (digest of a changed ciphertext)", async () =>
    expectFail(
      rawInput({ ...base, elements: p, byteLength: 100, ciphertextEdit: (c) => (c[1] = (c[1]! + 1n) % FIELD_ORDER) }),
    ));
  it("rejects an altered plaintext under the honest commitment", async () => {
    const input = raw(p, 100);
    input.plaintext[2] = (BigInt(input.plaintext[2]!) + 1n).toString();
    await expectFail(input);
  });
  it("rejects a wrong (shorter) length for the same plaintext", async () => expectFail(raw(p, 99)));
  it("rejects a wrong (longer) length under the honest commitment", async () => {
    const input = raw(p, 100);
    input.statement = raw(p, 125).statement;
    await expectFail(input);
  });
  it("rejects a length over 1984", async () => expectFail(raw(packBytes(bytes(CHUNK_BYTES)), CHUNK_BYTES + 1)));
  it("rejects tokenCount > byteLength", async () => expectFail(raw(p, 100, { tokenCount: 101, maxTokens: 1000 })));
  it("rejects tokenCount > maxTokens", async () => expectFail(raw(p, 100, { tokenCount: 11, maxTokens: 10 })));
  it("rejects an output one byte too long in the boundary element", async () => {
    const long = packBytes(bytes(101)); // byte 100 sits in element 3 at position 7
    expect(long.length).to.equal(4);
    await expectFail(raw(long, 100));
  });
  it("rejects an output one byte too long as an extra element", async () => {
    const long = packBytes(bytes(94)); // 93 bytes = 3 full elements; byte 93 starts element 3
    expect(long.length).to.equal(4);
    await expectFail(raw(long, 93));
  });
  it("rejects a nonzero element past the output (full chunk claimed shorter by 31 bytes)", async () =>
    expectFail(raw(packBytes(bytes(CHUNK_BYTES)), CHUNK_BYTES - 31)));
  it("rejects a statement >= 2^250", async () => {
    const input = raw(p, 100);
    input.statement = (BigInt(input.statement) + (1n << 250n)).toString();
    await expectFail(input);
  });
});

describe("ResultChunk circuit: proofs", () => {
  let proof: ProveChunkReturnType;
  const vk = loadVerificationKey();
  before(async () => {
    proof = await proveChunk({
      ...base,
      chunk: bytes(CHUNK_BYTES),
      tokenCount: 400,
      maxTokens: 512,
      artifacts: loadProverArtifacts(),
    });
  });
  const withStatement = (edit: Partial<ReturnType<typeof unpackStatement>>) => {
    const s = { ...unpackStatement(proof.publicSignals[2]), ...edit };
    return [proof.publicSignals[0], proof.publicSignals[1], packStatement(s)] as const;
  };
  const verify = (publicSignals: readonly bigint[], p: readonly bigint[] = proof.proof) =>
    verifyChunk({ verificationKey: vk, proof: p, publicSignals });

  it("verifies an honest proof of a full chunk", async () => expect(await verify(proof.publicSignals)).to.equal(true));
  it("public signals are [outputCommitment, keyCommitment, statement]", () => {
    expect(proof.publicSignals[0]).to.equal(proof.encrypted.outputCommitment);
    expect(unpackStatement(proof.publicSignals[2])).to.deep.equal({
      jobId,
      provider: provider.toLowerCase(),
      chunkIndex: 3,
      byteLength: CHUNK_BYTES,
      tokenCount: 400,
      maxTokens: 512,
    });
  });
  it("does not verify for another job id", async () =>
    expect(await verify(withStatement({ jobId: jobId + 1n }))).to.equal(false));
  it("does not verify for another provider", async () =>
    expect(await verify(withStatement({ provider: "0x1234567890abcdef1234567890abcdef12345679" }))).to.equal(false));
  it("does not verify for another chunk index", async () =>
    expect(await verify(withStatement({ chunkIndex: 4 }))).to.equal(false));
  it("does not verify for another token count or length", async () => {
    expect(await verify(withStatement({ tokenCount: 401 }))).to.equal(false);
    expect(await verify(withStatement({ byteLength: 1983 }))).to.equal(false);
  });
  it("does not verify for another outputCommitment or keyCommitment", async () => {
    expect(await verify([proof.publicSignals[0] + 1n, proof.publicSignals[1], proof.publicSignals[2]])).to.equal(false);
    expect(await verify([proof.publicSignals[0], proof.publicSignals[1] + 1n, proof.publicSignals[2]])).to.equal(false);
  });
  it("does not verify a signal aliased by the field order (x + r)", async () =>
    expect(
      await verify([proof.publicSignals[0] + FIELD_ORDER, proof.publicSignals[1], proof.publicSignals[2]]),
    ).to.equal(false));
  it("does not verify a tampered proof", async () => {
    const p = [...proof.proof];
    p[6] = proof.proof[0]; // C := A
    p[7] = proof.proof[1];
    expect(await verify(proof.publicSignals, p)).to.equal(false);
  });
});

function honestKeyCommitmentOf(k: bigint): bigint {
  return keyCommitment({ outputKey: k });
}
