// One contributor's step: a new zkey from the previous one, with entropy from crypto.randomBytes and snarkjs's own
// randomness, held only in this process's memory and never written. Runs on the contributor's own machine; needs
// nothing but the previous zkey.
import { randomBytes } from "node:crypto";
import * as snarkjs from "snarkjs";
import { sha256File } from "../sha256File.ts";
import { toHex } from "../transcript.ts";

export type ContributeCeremonyParameters = { zkeyIn: string; zkeyOut: string; name: string };
export type ContributeCeremonyReturnType = {
  /** blake2b-512 contribution hash: publish it; `verify` lists it in the chain. */
  contributionHash: `0x${string}`;
  zkeySha256: string;
};

export async function contributeCeremony({
  zkeyIn,
  zkeyOut,
  name,
}: ContributeCeremonyParameters): Promise<ContributeCeremonyReturnType> {
  const hash = await snarkjs.zKey.contribute(zkeyIn, zkeyOut, name, randomBytes(64).toString("hex"));
  return { contributionHash: toHex(hash), zkeySha256: sha256File(zkeyOut) };
}
