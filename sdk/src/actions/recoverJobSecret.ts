import { hexToBytes } from "viem";
import { getContractEvents } from "viem/actions";
import { decodeJobEnvelope, deriveJobKeys, keyCommitment } from "@octo/circuits";
import { jobMarketAbi } from "../generated/abis.ts";
import { InvalidInputError, JobKeyMismatchError, JobNotFoundError } from "../errors/errors.ts";
import { deriveJobSecret, JOB_NONCE_BYTES, type UserKey } from "../job/userKey.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";

export type RecoverJobSecretParameters = WithDeployments & { jobId: bigint; userKey: UserKey };
export type RecoverJobSecretReturnType = Uint8Array;

/** Re-derives a past job's secret from the user key and the job's nonce (its sealed prompt's, in JobCreated), and
 *  checks it against the job's key commitment. Works on any device with the same wallet (or key file). */
export async function recoverJobSecret(
  client: OctoClient,
  { deployments, jobId, userKey }: RecoverJobSecretParameters,
): Promise<RecoverJobSecretReturnType> {
  const market = deployments.contracts.JobMarket;
  const [created] = await getContractEvents(client, {
    address: market.address,
    abi: jobMarketAbi,
    eventName: "JobCreated",
    args: { jobId },
    fromBlock: market.deployedOnBlock,
    strict: true,
  });
  if (!created) throw new JobNotFoundError(jobId);
  if (created.args.envelope === "0x")
    throw new InvalidInputError(`job ${jobId}'s envelope is at ${created.args.envelopeURI}`, {
      details: "envelopes posted at a URI are not read by the sdk yet",
    });
  const { sealedPrompt } = decodeJobEnvelope(hexToBytes(created.args.envelope));
  const jobSecret = deriveJobSecret({ userKey, nonce: sealedPrompt.subarray(0, JOB_NONCE_BYTES) });
  if (keyCommitment({ outputKey: deriveJobKeys({ jobSecret }).outputKey }) !== created.args.request.keyCommitment)
    throw new JobKeyMismatchError(jobId);
  return jobSecret;
}
