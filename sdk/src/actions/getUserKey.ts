import { signMessage } from "viem/actions";
import { userKeyFromSignature, userKeyMessage, type UserKey } from "../job/userKey.ts";
import {
  accountAddress,
  requireAccount,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type GetUserKeyParameters = WithDeployments & WithAccount;
export type GetUserKeyReturnType = UserKey;

/** Asks the wallet for the one signature every job secret of this user on this market is derived from. */
export async function getUserKey(
  client: OctoClient,
  { deployments, account }: GetUserKeyParameters,
): Promise<GetUserKeyReturnType> {
  const signer = requireAccount(client, account, "getUserKey");
  const message = userKeyMessage({ chainId: deployments.chainId, jobMarket: deployments.contracts.JobMarket.address });
  const signature = await signMessage(client, { account: signer, message });
  return userKeyFromSignature({ signature, address: accountAddress(signer) });
}
