import { bytesToHex, hexToBytes, type Address, type Hex } from "viem";
import { readContract } from "viem/actions";
import { wrapJobSecretForMany } from "@octo/circuits";
import { stakingRegistryAbi } from "../generated/abis.ts";
import type { OctoClient } from "../internal/client.ts";

export type WrapJobSecretForCommitteeParameters = {
  stakingRegistry: Address;
  /** The dispute committee, in the order the market drew it (getDispute / JobDisputed). */
  committee: readonly Address[];
  jobSecret: Uint8Array;
};
/** The arguments of `revealJobSecret` after the job id. */
export type WrapJobSecretForCommitteeReturnType = { ephemeralPublicKey: Hex; wrappedSecrets: Hex[] };

/** Wraps a job secret to each committee member's registered X25519 key under one ephemeral key, in committee order:
 *  what either party of a dispute posts with revealJobSecret (the user through the sdk, the provider's worker through
 *  its own sender). */
export async function wrapJobSecretForCommittee(
  client: OctoClient,
  { stakingRegistry, committee, jobSecret }: WrapJobSecretForCommitteeParameters,
): Promise<WrapJobSecretForCommitteeReturnType> {
  const recipientPublicKeys: Uint8Array[] = [];
  for (const member of committee) {
    const { encryptionKey } = await readContract(client, {
      address: stakingRegistry,
      abi: stakingRegistryAbi,
      functionName: "getProvider",
      args: [member],
    });
    recipientPublicKeys.push(hexToBytes(encryptionKey));
  }
  const { ephemeralPublicKey, wrapped } = wrapJobSecretForMany({ jobSecret, recipientPublicKeys });
  return { ephemeralPublicKey: bytesToHex(ephemeralPublicKey), wrappedSecrets: wrapped.map((w) => bytesToHex(w)) };
}
