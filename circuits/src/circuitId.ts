import { keccak_256 } from "@noble/hashes/sha3.js";
import { bytesToHex } from "@noble/hashes/utils.js";

/** A verifier's circuitId: keccak256 of its verification key file's bytes (as written by the build or a ceremony). */
export function circuitIdOf(verificationKeyFile: Uint8Array): `0x${string}` {
  return `0x${bytesToHex(keccak_256(verificationKeyFile))}`;
}
