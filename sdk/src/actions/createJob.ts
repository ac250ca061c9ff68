import {
  bytesToHex,
  erc20Abi,
  hexToBytes,
  parseEventLogs,
  zeroAddress,
  zeroHash,
  type Address,
  type Hash,
  type Hex,
  type TransactionReceipt,
} from "viem";
import { getBlock, readContract } from "viem/actions";
import {
  deriveJobKeys,
  encodeJobEnvelope,
  generateEncryptionKeyPair,
  generateJobSecret,
  keyCommitment,
  sealPrompt,
  wrapJobSecret,
} from "@octo/circuits";
import { jobMarketAbi, stakingRegistryAbi } from "../generated/abis.ts";
import { signPermit } from "../internal/signPermit.ts";
import { assertDecodingFits, encodeJobInput, type JobInput } from "../job/jobInput.ts";
import { deriveJobSecret, generateJobNonce, type UserKey } from "../job/userKey.ts";
import {
  accountAddress,
  requireAccount,
  writeAndWait,
  type OctoClient,
  type WithAccount,
  type WithDeployments,
} from "../internal/client.ts";

export type CreateJobParameters = WithDeployments &
  WithAccount & {
    input: JobInput;
    modelId: Hex;
    paymentToken: Address;
    maxOutputTokens: number;
    maxPricePerToken: bigint;
    /** A named provider (its registered encryption key receives the job secret in the envelope), or none: the job is
     *  open to any eligible provider and the secret goes to the claimant with deliverJobKey (watchJob does it). */
    provider?: Address | undefined;
    minTier?: number;
    /** Deterministic decoding, open to sampling and committee re-execution (default true). A verifiable job's input
     *  must decode greedily: sampled decoding (temperature > 0) throws SamplingNotVerifiableError. */
    verifiable?: boolean;
    /** Seconds from the latest block to the result deadline (default one day). */
    deadlineSeconds?: number;
    /** The user key the job secret is derived from (recoverable later from it and the chain); a random secret when
     *  omitted (then keep the returned `jobSecret`). */
    userKey?: UserKey | undefined;
    /** How the escrow is paid: `approve` sends an approval first when the allowance is short (default), `permit`
     *  signs an EIP-2612 permit and pays in the same transaction, `allowance` relies on an existing approval,
     *  `balance` pays from the caller's prepaid balance in the market (`deposit`): one transaction, no approval, and
     *  the job's refunds return to that balance. */
    payment?: "approve" | "permit" | "allowance" | "balance";
  };

export type CreateJobReturnType = {
  jobId: bigint;
  /** The job secret: it opens the prompt, the stream and the result. Derivable again from `userKey` when given. */
  jobSecret: Uint8Array;
  promptKey: Uint8Array;
  outputKey: bigint;
  hash: Hash;
  receipt: TransactionReceipt;
};

/**
 * Creates a job: derives (or draws) the job secret, seals the input with it, wraps the secret for a named provider,
 * commits to the output key, escrows maxOutputTokens × maxPricePerToken, and returns the new job's id with its keys.
 */
export async function createJob(client: OctoClient, parameters: CreateJobParameters): Promise<CreateJobReturnType> {
  const { deployments, input, modelId, paymentToken, maxOutputTokens, maxPricePerToken, provider, userKey } =
    parameters;
  const account = requireAccount(client, parameters.account, "createJob");
  const verifiable = parameters.verifiable ?? true;
  assertDecodingFits({ input, verifiable });
  const market = deployments.contracts.JobMarket.address;

  const nonce = generateJobNonce();
  const jobSecret = userKey ? deriveJobSecret({ userKey, nonce }) : generateJobSecret();
  const { promptKey, outputKey } = deriveJobKeys({ jobSecret });
  const sealedPrompt = sealPrompt({ promptKey, prompt: encodeJobInput(input), nonce });
  let wrap: { ephemeralPublicKey: Uint8Array; wrapped: Uint8Array | undefined };
  if (provider === undefined) {
    wrap = { ephemeralPublicKey: generateEncryptionKeyPair().publicKey, wrapped: undefined };
  } else {
    const { encryptionKey } = await readContract(client, {
      address: deployments.contracts.StakingRegistry.address,
      abi: stakingRegistryAbi,
      functionName: "getProvider",
      args: [provider],
    });
    wrap = wrapJobSecret({ jobSecret, providerPublicKey: hexToBytes(encryptionKey) });
  }
  const envelope = bytesToHex(
    encodeJobEnvelope({ ...(wrap.wrapped ? { wrappedSecret: wrap.wrapped } : {}), sealedPrompt }),
  );
  const { timestamp } = await getBlock(client);
  const request = {
    modelId,
    paymentToken,
    maxOutputTokens,
    maxPricePerToken,
    minTier: parameters.minTier ?? 0,
    verifiable,
    callback: false,
    deadline: Number(timestamp) + (parameters.deadlineSeconds ?? 24 * 3600),
    provider: provider ?? zeroAddress,
    userPublicKey: bytesToHex(wrap.ephemeralPublicKey),
    keyCommitment: keyCommitment({ outputKey }),
  } as const;

  const escrow = BigInt(maxOutputTokens) * maxPricePerToken;
  const payment = parameters.payment ?? "approve";
  const send = async () => {
    if (payment === "permit") {
      const { v, r, s, deadline } = await signPermit(client, {
        account,
        token: paymentToken,
        spender: market,
        value: escrow,
      });
      return writeAndWait(client, {
        account,
        address: market,
        abi: jobMarketAbi,
        functionName: "createJobWithPermit",
        args: [request, envelope, "", zeroHash, deadline, v, r, s],
      });
    }
    if (payment === "balance")
      return writeAndWait(client, {
        account,
        address: market,
        abi: jobMarketAbi,
        functionName: "createJobFromBalance",
        args: [request, envelope, "", zeroHash],
      });
    if (payment === "approve") {
      const allowance = await readContract(client, {
        address: paymentToken,
        abi: erc20Abi,
        functionName: "allowance",
        args: [accountAddress(account), market],
      });
      if (allowance < escrow)
        await writeAndWait(client, {
          account,
          address: paymentToken,
          abi: erc20Abi,
          functionName: "approve",
          args: [market, escrow],
        });
    }
    return writeAndWait(client, {
      account,
      address: market,
      abi: jobMarketAbi,
      functionName: "createJob",
      args: [request, envelope, "", zeroHash],
    });
  };
  const { hash, receipt } = await send();
  const [created] = parseEventLogs({ abi: jobMarketAbi, logs: receipt.logs, eventName: "JobCreated" });
  return { jobId: created!.args.jobId, jobSecret, promptKey, outputKey, hash, receipt };
}
