// Hex formatting of the hashes snarkjs returns (blake2b-512 contribution hashes as Uint8Array).
export function toHex(bytes: Uint8Array | ArrayBuffer): `0x${string}` {
  return `0x${Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString("hex")}`;
}
