// Deterministic test vectors shared with the worker and web tests (test/vectors/*.json at the repo root).
// Everything is derived from fixed seeds, so regenerating must reproduce the committed files byte for byte.
import { x25519 } from "@noble/curves/ed25519.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { deriveJobKeys } from "../../src/deriveJobKeys.ts";
import { encryptOutput } from "../../src/encryptOutput.ts";
import { keyCommitment } from "../../src/keyCommitment.ts";
import { chunkKeystream } from "../../src/chunkKeystream.ts";
import { sealPrompt } from "../../src/sealPrompt.ts";
import { providerToBigInt, type Address } from "../../src/statement.ts";
import { wrapJobSecret } from "../../src/wrapJobSecret.ts";

const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
const str = (v: bigint) => v.toString();
/** Deterministic bytes: sha256(label ‖ counter) blocks. */
export function fixedBytes(label: string, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0, c = 0; i < n; c++) {
    const block = sha256(new TextEncoder().encode(`${label}/${c}`));
    out.set(block.subarray(0, Math.min(32, n - i)), i);
    i += 32;
  }
  return out;
}

export function keyVectors() {
  return [0, 1, 2].map((k) => {
    const jobSecret = fixedBytes(`job-secret-${k}`, 32);
    const { promptKey, outputKey } = deriveJobKeys({ jobSecret });
    const providerPrivateKey = fixedBytes(`provider-x25519-${k}`, 32);
    const providerPublicKey = x25519.getPublicKey(providerPrivateKey);
    const ephemeralPrivateKey = fixedBytes(`ephemeral-x25519-${k}`, 32);
    const wrapNonce = fixedBytes(`wrap-nonce-${k}`, 24);
    const wrap = wrapJobSecret({ jobSecret, providerPublicKey, ephemeralPrivateKey, nonce: wrapNonce });
    const prompt = new TextEncoder().encode(k === 0 ? "" : `Vector prompt ${k}: say hello in ${k * 7} words.`);
    const promptNonce = fixedBytes(`prompt-nonce-${k}`, 24);
    return {
      jobSecret: hex(jobSecret),
      promptKey: hex(promptKey),
      outputKey: str(outputKey),
      keyCommitment: str(keyCommitment({ outputKey })),
      wrap: {
        providerPrivateKey: hex(providerPrivateKey),
        providerPublicKey: hex(providerPublicKey),
        ephemeralPrivateKey: hex(ephemeralPrivateKey),
        ephemeralPublicKey: hex(wrap.ephemeralPublicKey),
        nonce: hex(wrapNonce),
        wrapped: hex(wrap.wrapped),
      },
      prompt: {
        plaintext: hex(prompt),
        nonce: hex(promptNonce),
        sealed: hex(sealPrompt({ promptKey, prompt, nonce: promptNonce })),
      },
    };
  });
}

export function outputCipherVectors() {
  const lengths = [0, 5, 31, 100, 1984, 5000];
  return lengths.map((byteLength, k) => {
    const { outputKey } = deriveJobKeys({ jobSecret: fixedBytes(`job-secret-${k}`, 32) });
    const jobId = BigInt(1000 + k);
    const provider: Address = hex(fixedBytes(`provider-address-${k}`, 20)) as Address;
    const output = fixedBytes(`output-${k}`, byteLength);
    const enc = encryptOutput({ output, outputKey, jobId, provider });
    return {
      outputKey: str(outputKey),
      keyCommitment: str(keyCommitment({ outputKey })),
      jobId: str(jobId),
      provider,
      byteLength,
      output: hex(output),
      keystreamChunk0: chunkKeystream({ outputKey, jobId, provider: providerToBigInt(provider), chunkIndex: 0 }).map(
        str,
      ),
      chunks: enc.chunks.map((c) => ({
        chunkIndex: c.chunkIndex,
        byteLength: c.byteLength,
        plaintext: c.plaintext.slice(0, c.postedCiphertext.length).map(str),
        postedCiphertext: c.postedCiphertext.map(str),
        outputCommitment: str(c.outputCommitment),
      })),
      outputRoot: enc.outputRoot,
      ciphertextHash: enc.ciphertextHash,
    };
  });
}

export function allVectors(): Record<string, unknown> {
  return {
    "output-cipher.json": {
      description:
        "Octo output cipher (circuits/README.md): per chunk, keystream, posted ciphertext elements, outputCommitment; per output, outputRoot and ciphertextHash. Decimal strings are field elements.",
      generatedBy: "node circuits/scripts/generateVectors.ts",
      vectors: outputCipherVectors(),
    },
    "job-keys.json": {
      description: "HKDF job keys, keyCommitment, X25519 + XChaCha20-Poly1305 job-secret wrap, and prompt sealing.",
      generatedBy: "node circuits/scripts/generateVectors.ts",
      vectors: keyVectors(),
    },
  };
}
