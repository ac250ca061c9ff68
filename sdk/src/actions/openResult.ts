import { decryptOutput, deriveJobKeys } from "@octo/circuits";
import { InvalidInputError } from "../errors/errors.ts";
import { splitCiphertext } from "../internal/splitCiphertext.ts";
import type { OctoClient, WithDeployments } from "../internal/client.ts";
import { getResult, type GetResultReturnType } from "./getResult.ts";

export type OpenResultParameters = WithDeployments & {
  jobId: bigint;
  jobSecret: Uint8Array;
  /** The result, when already read with getResult. */
  result?: GetResultReturnType | undefined;
};
export type OpenResultReturnType = { text: string; bytes: Uint8Array; result: GetResultReturnType };

/** Decrypts a job's on-chain result with the job secret. Each chunk is checked against the commitment its proof
 *  proved: a ciphertext that does not match throws (CommitmentMismatchError from @octo/circuits), since that is
 *  grounds for a fraud proof rather than an answer. */
export async function openResult(
  client: OctoClient,
  { deployments, jobId, jobSecret, result }: OpenResultParameters,
): Promise<OpenResultReturnType> {
  const posted = result ?? (await getResult(client, { deployments, jobId }));
  if (posted.ciphertextURI !== "") {
    throw new InvalidInputError(`job ${jobId}'s ciphertext is posted at ${posted.ciphertextURI}`, {
      details: "results posted at a URI are not read by the sdk yet",
    });
  }
  const { perChunk } = splitCiphertext(posted);
  const { outputKey } = deriveJobKeys({ jobSecret });
  const bytes = decryptOutput({
    postedCiphertext: perChunk,
    byteLength: Number(posted.byteLength),
    outputKey,
    jobId,
    provider: posted.provider,
    chunkCommitments: posted.chunks.map((c) => c.outputCommitment),
  });
  return { text: new TextDecoder().decode(bytes), bytes, result: posted };
}
