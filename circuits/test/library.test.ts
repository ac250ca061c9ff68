// The TypeScript library around the circuit: statement packing, keys, wrapping, sealing, the output cipher,
// error types, and generated-file freshness.
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { renderCircomConstants } from "../scripts/lib/renderCircomConstants.ts";
import { CONSTANTS_CIRCOM } from "../scripts/lib/paths.ts";
import {
  CHUNK_BYTES,
  DecryptionError,
  NonCanonicalElementError,
  OutOfRangeError,
  decryptOutput,
  deriveJobKeys,
  encryptOutput,
  formatProof,
  generateEncryptionKeyPair,
  generateJobSecret,
  openPrompt,
  outputCommitment,
  packBytes,
  packStatement,
  parseEvmProof,
  sealPrompt,
  unpackElements,
  unpackStatement,
  unwrapJobSecret,
  wrapJobSecret,
  wrapJobSecretForMany,
  FIELD_ORDER,
} from "../src/index.ts";

describe("statement", () => {
  const s = {
    jobId: 123n,
    provider: "0x00000000000000000000000000000000000000aa" as const,
    chunkIndex: 2,
    byteLength: 1984,
    tokenCount: 500,
    maxTokens: 1000,
  };
  it("packs into the documented layout and unpacks back", () => {
    const packed = packStatement(s);
    expect(packed).to.equal(123n | (0xaan << 40n) | (2n << 200n) | (1984n << 208n) | (500n << 219n) | (1000n << 230n));
    expect(packed < 1n << 250n).to.equal(true);
    expect(unpackStatement(packed)).to.deep.equal(s);
  });
  for (const [field, value] of [
    ["jobId", 1n << 40n],
    ["chunkIndex", 256],
    ["byteLength", 1985],
    ["tokenCount", 2048],
    ["maxTokens", 1 << 20],
  ] as const) {
    it(`rejects ${field} = ${value}`, () =>
      expect(() => packStatement({ ...s, [field]: value })).to.throw(OutOfRangeError));
  }
  it("rejects a malformed provider address", () =>
    expect(() => packStatement({ ...s, provider: "0x12" })).to.throw(OutOfRangeError));
});

describe("keys, wrap and prompt sealing", () => {
  it("derives a 32-byte prompt key and a field output key", () => {
    const { promptKey, outputKey } = deriveJobKeys({ jobSecret: generateJobSecret() });
    expect(promptKey.length).to.equal(32);
    expect(outputKey < FIELD_ORDER).to.equal(true);
  });
  it("wraps a job secret that only the provider's key unwraps", () => {
    const provider = generateEncryptionKeyPair();
    const jobSecret = generateJobSecret();
    const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey: provider.publicKey });
    expect(unwrapJobSecret({ wrapped, ephemeralPublicKey, providerPrivateKey: provider.privateKey })).to.deep.equal(
      jobSecret,
    );
    const other = generateEncryptionKeyPair();
    expect(() => unwrapJobSecret({ wrapped, ephemeralPublicKey, providerPrivateKey: other.privateKey })).to.throw(
      DecryptionError,
    );
    const tampered = wrapped.slice();
    tampered[30]! ^= 1;
    expect(() =>
      unwrapJobSecret({ wrapped: tampered, ephemeralPublicKey, providerPrivateKey: provider.privateKey }),
    ).to.throw(DecryptionError);
  });
  it("wraps one job secret to many recipients under one ephemeral key, each unwrapping only its own", () => {
    const jobSecret = generateJobSecret();
    const members = [generateEncryptionKeyPair(), generateEncryptionKeyPair(), generateEncryptionKeyPair()];
    const { ephemeralPublicKey, wrapped } = wrapJobSecretForMany({
      jobSecret,
      recipientPublicKeys: members.map((m) => m.publicKey),
    });
    expect(wrapped).to.have.length(3);
    members.forEach((m, i) =>
      expect(
        unwrapJobSecret({ wrapped: wrapped[i]!, ephemeralPublicKey, providerPrivateKey: m.privateKey }),
      ).to.deep.equal(jobSecret),
    );
    expect(() =>
      unwrapJobSecret({ wrapped: wrapped[0]!, ephemeralPublicKey, providerPrivateKey: members[1]!.privateKey }),
    ).to.throw(DecryptionError);
  });

  it("seals and opens a prompt; a wrong key or a flipped bit fails", () => {
    const { promptKey } = deriveJobKeys({ jobSecret: generateJobSecret() });
    const prompt = new TextEncoder().encode("hello, octo");
    const sealed = sealPrompt({ promptKey, prompt });
    expect(openPrompt({ promptKey, sealed })).to.deep.equal(prompt);
    expect(() => openPrompt({ promptKey: new Uint8Array(32), sealed })).to.throw(DecryptionError);
    const flipped = sealed.slice();
    flipped[40]! ^= 1;
    expect(() => openPrompt({ promptKey, sealed: flipped })).to.throw(DecryptionError);
  });
});

describe("output cipher", () => {
  const { outputKey } = deriveJobKeys({ jobSecret: new Uint8Array(32).fill(9) });
  const provider = "0x00000000000000000000000000000000000000bb" as const;
  it("packs 31 little-endian bytes per element", () => {
    expect(packBytes(Uint8Array.from([1, 2]))).to.deep.equal([0x0201n]);
    expect(packBytes(new Uint8Array(32).fill(255))).to.deep.equal([(1n << 248n) - 1n, 255n]);
    expect(unpackElements({ elements: [0x0201n], byteLength: 2 })).to.deep.equal(Uint8Array.from([1, 2]));
  });
  it("splits 32 KB into 17 chunks, all but the last of 1984 bytes, and round-trips", () => {
    const output = new Uint8Array(32768).map((_, i) => (i * 13) & 255);
    const enc = encryptOutput({ output, outputKey, jobId: 9n, provider });
    expect(enc.chunks.map((c) => c.byteLength)).to.deep.equal([
      ...new Array(16).fill(CHUNK_BYTES),
      32768 - 16 * CHUNK_BYTES,
    ]);
    expect(enc.chunks.at(-1)!.postedCiphertext.length).to.equal(Math.ceil((32768 - 16 * CHUNK_BYTES) / 31));
    const back = decryptOutput({
      postedCiphertext: enc.chunks.map((c) => c.postedCiphertext),
      byteLength: 32768,
      outputKey,
      jobId: 9n,
      provider,
    });
    expect(back).to.deep.equal(output);
  });
  it("gives different ciphertexts for another job, provider or key", () => {
    const output = new Uint8Array(100).fill(1);
    const c = (jobId: bigint, p: `0x${string}`, k: bigint) =>
      encryptOutput({ output, outputKey: k, jobId, provider: p }).chunks[0]!.outputCommitment;
    const ref = c(1n, provider, outputKey);
    expect(c(2n, provider, outputKey)).to.not.equal(ref);
    expect(c(1n, "0x00000000000000000000000000000000000000bc", outputKey)).to.not.equal(ref);
    expect(c(1n, provider, outputKey + 1n)).to.not.equal(ref);
  });
  it("a non-canonical element decodes as NonCanonicalElementError", () => {
    const enc = encryptOutput({ output: new Uint8Array(40).fill(7), outputKey, jobId: 1n, provider });
    const posted = enc.chunks[0]!.postedCiphertext.slice();
    posted[0] = (posted[0]! + (1n << 250n)) % FIELD_ORDER; // plaintext element 0 becomes >= 2^248
    expect(() =>
      decryptOutput({ postedCiphertext: [posted], byteLength: 40, outputKey, jobId: 1n, provider }),
    ).to.throw(NonCanonicalElementError);
  });
  it("zero-pads the digest input to 64 elements", () => {
    expect(outputCommitment({ ciphertext: [1n, 2n] })).to.equal(outputCommitment({ ciphertext: [1n, 2n, 0n, 0n] }));
  });
});

describe("proof format", () => {
  it("swaps the G2 limbs and round-trips", () => {
    const proof = {
      pi_a: ["1", "2", "1"],
      pi_b: [
        ["3", "4"],
        ["5", "6"],
        ["1", "0"],
      ],
      pi_c: ["7", "8", "1"],
      protocol: "groth16",
      curve: "bn128",
    };
    const evm = formatProof(proof);
    expect(evm).to.deep.equal([1n, 2n, 4n, 3n, 6n, 5n, 7n, 8n]);
    expect(parseEvmProof(evm)).to.deep.equal(proof);
  });
});

describe("generated files", () => {
  it("src/octo-constants.circom is rendered from src/constants.ts", () =>
    expect(readFileSync(CONSTANTS_CIRCOM, "utf8")).to.equal(renderCircomConstants()));
});
