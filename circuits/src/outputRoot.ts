// Job-level commitments over all chunks (computed the same way on-chain):
//   outputRoot     = keccak256(abi.encodePacked(uint256[] chunkOutputCommitments))
//   ciphertextHash = keccak256 over every posted ciphertext element, as 32-byte big-endian words, chunk after chunk
//                    (a chunk posts its first nElems = ceil(byteLength / 31) elements).
import { keccak_256 } from "@noble/hashes/sha3.js";
import { concatBytes, toWord } from "./field.ts";

export type Hex = `0x${string}`;

function hex(bytes: Uint8Array): Hex {
  return `0x${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function outputRoot({ chunkCommitments }: { chunkCommitments: readonly bigint[] }): Hex {
  return hex(keccak_256(concatBytes(...chunkCommitments.map(toWord))));
}

export function ciphertextHash({ postedCiphertext }: { postedCiphertext: readonly (readonly bigint[])[] }): Hex {
  return hex(keccak_256(concatBytes(...postedCiphertext.flat().map(toWord))));
}
