// The cryptography the app runs in the browser (through @octo/sdk and @octo/circuits) against the shared test vectors
// every implementation is held to: job keys and commitments, the job-secret wrap, prompt sealing, the output cipher.
import { readFileSync } from "node:fs";
import { bytesToHex, hexToBytes, type Hex } from "viem";
import { describe, expect, it } from "vitest";
import { decryptOutput, deriveJobKeys, keyCommitment, openPrompt, sealPrompt, unwrapJobSecret } from "@octo/circuits";

const vectors = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../../test/vectors/${name}`, import.meta.url), "utf8")).vectors;

type KeyVector = {
  jobSecret: Hex;
  promptKey: Hex;
  outputKey: string;
  keyCommitment: string;
  wrap: { providerPrivateKey: Hex; ephemeralPublicKey: Hex; wrapped: Hex };
  prompt: { plaintext: Hex; nonce: Hex; sealed: Hex };
};
type OutputVector = {
  outputKey: string;
  jobId: string;
  provider: Hex;
  byteLength: number;
  output: Hex;
  chunks: { postedCiphertext: string[]; outputCommitment: string }[];
};

describe("encryption against test/vectors", () => {
  const keys = vectors("job-keys.json") as KeyVector[];
  const outputs = vectors("output-cipher.json") as OutputVector[];

  it("has vectors to check", () => {
    expect(keys.length).toBeGreaterThan(0);
    expect(outputs.length).toBeGreaterThan(0);
  });

  it.each(keys.map((v, i) => [i, v] as const))("job keys, commitment, wrap and prompt of vector %i", (_, v) => {
    const { promptKey, outputKey } = deriveJobKeys({ jobSecret: hexToBytes(v.jobSecret) });
    expect(bytesToHex(promptKey)).toBe(v.promptKey);
    expect(outputKey.toString()).toBe(v.outputKey);
    expect(keyCommitment({ outputKey }).toString()).toBe(v.keyCommitment);
    const unwrapped = unwrapJobSecret({
      wrapped: hexToBytes(v.wrap.wrapped),
      ephemeralPublicKey: hexToBytes(v.wrap.ephemeralPublicKey),
      providerPrivateKey: hexToBytes(v.wrap.providerPrivateKey),
    });
    expect(bytesToHex(unwrapped)).toBe(v.jobSecret);
    expect(bytesToHex(openPrompt({ promptKey, sealed: hexToBytes(v.prompt.sealed) }))).toBe(v.prompt.plaintext);
    // Sealing again with the vector's nonce gives the same bytes: the round trip is exact.
    expect(
      bytesToHex(sealPrompt({ promptKey, prompt: hexToBytes(v.prompt.plaintext), nonce: hexToBytes(v.prompt.nonce) })),
    ).toBe(v.prompt.sealed);
  });

  it.each(outputs.map((v, i) => [i, v] as const))(
    "output cipher of vector %i (%s bytes) decrypts to its output",
    (_, v) => {
      const bytes = decryptOutput({
        postedCiphertext: v.chunks.map((c) => c.postedCiphertext.map(BigInt)),
        byteLength: v.byteLength,
        outputKey: BigInt(v.outputKey),
        jobId: BigInt(v.jobId),
        provider: v.provider,
        chunkCommitments: v.chunks.map((c) => BigInt(c.outputCommitment)),
      });
      expect(bytesToHex(bytes)).toBe(v.output);
    },
  );

  it("refuses a ciphertext that does not match its proven commitment", () => {
    const v = outputs.find((o) => o.byteLength > 0)!;
    const tampered = v.chunks.map((c, i) =>
      c.postedCiphertext.map((x, j) => (i === 0 && j === 0 ? BigInt(x) + 1n : BigInt(x))),
    );
    expect(() =>
      decryptOutput({
        postedCiphertext: tampered,
        byteLength: v.byteLength,
        outputKey: BigInt(v.outputKey),
        jobId: BigInt(v.jobId),
        provider: v.provider,
        chunkCommitments: v.chunks.map((c) => BigInt(c.outputCommitment)),
      }),
    ).toThrow();
  });
});
