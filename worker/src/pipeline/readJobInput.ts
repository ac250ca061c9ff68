// One way to open a job's input, for the pipeline (a job we serve) and the dispute duty (a job we revealed, or re-run
// as a committee member): find the wrap of the job secret meant for us, then open it (openJobInput).
//   - a committee member: the secret the accused or the user revealed to the committee, wrapped for us;
//   - a job that names us: the envelope's own wrap;
//   - any other job: the key its user delivered to us after our claim (JobKeyDelivered), read from the chain.
import type { ChatTemplate } from "@octo/sdk";
import { isAddressEqual, type Address, type Client, type Hex } from "viem";
import type { JobRequestData } from "./jobData.ts";
import { openJobInput, type OpenJobInputReturnType } from "./openJobInput.ts";
import { readDeliveredKey } from "./readDeliveredKey.ts";

export type ReadJobInputParameters = {
  client: Client;
  market: Address;
  /** This provider. */
  me: Address;
  jobId: bigint;
  job: Pick<
    JobRequestData,
    "provider" | "envelope" | "userPublicKey" | "keyCommitment" | "createdBlock" | "verifiable"
  >;
  providerPrivateKey: Uint8Array;
  /** The job's model's chat template, to render chat input as the provider did. */
  chatTemplate?: ChatTemplate | undefined;
  /** A secret revealed to a dispute committee, our member's wrap of it: opens the job with nothing else. */
  revealed?: { ephemeralPublicKey: Hex; wrappedSecret: Hex } | undefined;
};

/** The job's prompt and keys; throws InputFaultError (KeyNotDelivered, InputUndecryptable) as openJobInput does. */
export async function readJobInput(p: ReadJobInputParameters): Promise<OpenJobInputReturnType> {
  const namesUs = !p.revealed && isAddressEqual(p.job.provider, p.me);
  const delivered =
    p.revealed ??
    (namesUs
      ? undefined
      : await readDeliveredKey({
          client: p.client,
          market: p.market,
          jobId: p.jobId,
          provider: p.me,
          fromBlock: p.job.createdBlock,
        }));
  return openJobInput({
    envelope: p.job.envelope,
    namesUs,
    delivered,
    userPublicKey: p.job.userPublicKey,
    keyCommitment: BigInt(p.job.keyCommitment),
    providerPrivateKey: p.providerPrivateKey,
    chatTemplate: p.chatTemplate,
    verifiable: p.job.verifiable,
  });
}
