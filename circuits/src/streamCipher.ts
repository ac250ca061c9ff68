// Live output while a job runs: each decoded piece is sealed for the user before it leaves the worker.
//   streamKey = HKDF-SHA256(ikm = promptKey, salt = "octo/v1", info = "octo/v1/stream", 32)
//   sealed    = XChaCha20-Poly1305(streamKey, nonce = index as 24-byte big-endian, aad = jobId as 32-byte big-endian)
// The nonce is the piece's index, unique per key (one key per job), so no nonce is ever reused; the aad binds a piece to
// its job. The stream is a preview: the on-chain, proven result remains the reference.
import { xchacha20poly1305 } from "@noble/ciphers/chacha.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { DecryptionError } from "./errors.ts";

const utf8 = (s: string) => new TextEncoder().encode(s);
const be = (value: bigint, bytes: number) => {
  const out = new Uint8Array(bytes);
  for (let i = bytes - 1, v = value; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
};

export function deriveStreamKey(promptKey: Uint8Array): Uint8Array {
  return hkdf(sha256, promptKey, utf8("octo/v1"), utf8("octo/v1/stream"), 32);
}

export type StreamPieceParameters = { streamKey: Uint8Array; jobId: bigint; index: number };

export function sealStreamPiece({
  streamKey,
  jobId,
  index,
  text,
}: StreamPieceParameters & { text: string }): Uint8Array {
  return xchacha20poly1305(streamKey, be(BigInt(index), 24), be(jobId, 32)).encrypt(utf8(text));
}

export function openStreamPiece({
  streamKey,
  jobId,
  index,
  sealed,
}: StreamPieceParameters & { sealed: Uint8Array }): string {
  try {
    return new TextDecoder().decode(xchacha20poly1305(streamKey, be(BigInt(index), 24), be(jobId, 32)).decrypt(sealed));
  } catch (e) {
    throw new DecryptionError(`stream piece ${index}`, e);
  }
}
