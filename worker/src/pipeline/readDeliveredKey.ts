// The job secret a user delivered after the claim (JobKeyDelivered) for a job that named no provider: the last one
// for this provider wins, as the market accepts one delivery per claim.
import type { Address, Client, Hex } from "viem";
import { getContractEvents } from "viem/actions";
import { jobMarketAbi } from "../chain/abis.ts";

export type ReadDeliveredKeyParameters = {
  client: Client;
  market: Address;
  jobId: bigint;
  provider: Address;
  fromBlock: bigint | number;
};

export async function readDeliveredKey(
  p: ReadDeliveredKeyParameters,
): Promise<{ ephemeralPublicKey: Hex; wrappedSecret: Hex } | undefined> {
  const logs = await getContractEvents(p.client, {
    address: p.market,
    abi: jobMarketAbi,
    eventName: "JobKeyDelivered",
    args: { jobId: p.jobId, provider: p.provider },
    fromBlock: BigInt(p.fromBlock),
    strict: true,
  });
  const last = logs.at(-1)?.args;
  return last && { ephemeralPublicKey: last.ephemeralPublicKey, wrappedSecret: last.wrappedSecret };
}
