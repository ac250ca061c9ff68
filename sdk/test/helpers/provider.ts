// The provider's half of a job, played by the test itself so that the sdk's actions meet real results: claim the job,
// open its input with the provider's X25519 key, "generate" a given output, prove every chunk with the committed
// circuit keys, and submit (alone, in a batch, or through a contract account). Only the model is replaced by a fixed
// answer; everything the chain and the auditor see is real.
import {
  bytesToHex,
  encodeFunctionData,
  getAddress,
  hexToBytes,
  isAddressEqual,
  type Address,
  type Hex,
  zeroHash,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  CHUNK_BYTES,
  decodeJobEnvelope,
  deriveJobKeys,
  generateEncryptionKeyPair,
  openPrompt,
  proveChunk,
  unwrapJobSecret,
  type EvmProof,
  type ProverArtifacts,
} from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import { DEV_KEYS, readArtifact, type Devnet } from "@octo/devnet";
import { decodeJobInput, JobStatus, jobMarketAbi, octoTokenAbi, renderJobInput, stakingRegistryAbi } from "@octo/sdk";
import { mockProviderAccountAbi } from "@octo/sdk/testing";
import { getContractEvents } from "viem/actions";

let artifacts: ProverArtifacts | undefined;

export type TestProvider = Awaited<ReturnType<typeof addProvider>>;
type Submission = {
  jobId: bigint;
  result: {
    chunks: { outputCommitment: bigint; byteLength: number; tokenCount: number }[];
    ciphertext: bigint[];
    ciphertextURI: string;
    ciphertextHash: Hex;
  };
  proofs: EvmProof[];
};

/**
 * Registers a provider on the devnet. With `viaContract`, the provider is a MockProviderAccount owned by the key: the
 * contract registers, stakes, claims and submits, so no transaction to the market carries the proofs.
 */
export async function addProvider(
  devnet: Devnet,
  {
    key = DEV_KEYS[2],
    pricePerToken = 10n,
    viaContract = false,
  }: { key?: Hex; pricePerToken?: bigint; viaContract?: boolean } = {},
) {
  const owner = privateKeyToAccount(key);
  const encryption = generateEncryptionKeyPair();
  const encryptionPublicKey = bytesToHex(encryption.publicKey);
  const market = devnet.contracts.JobMarket.address;
  let address: Address = owner.address;
  /** A call to the market (or registry) from the provider: direct, or forwarded by its contract account. */
  let call: (target: Address, data: Hex) => Promise<unknown>;
  if (!viaContract) {
    await devnet.registerProvider({ account: owner, encryptionPublicKey, pricePerToken, maxContext: 4096 });
    call = async (target, data) => {
      const hash = await devnet.walletClient(owner).sendTransaction({ to: target, data });
      const receipt = await devnet.publicClient.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error("provider call reverted");
    };
  } else {
    const hash = await devnet.walletClient(devnet.deployer).sendTransaction({ to: owner.address, value: 10n ** 19n });
    await devnet.publicClient.waitForTransactionReceipt({ hash });
    const { bytecode } = readArtifact("mocks/MockProviderAccount.sol", "MockProviderAccount");
    const deploy = await devnet
      .walletClient(owner)
      .deployContract({ abi: mockProviderAccountAbi, bytecode, args: [owner.address] });
    address = getAddress((await devnet.publicClient.waitForTransactionReceipt({ hash: deploy })).contractAddress!);
    call = async (target, data) => {
      await devnet.write(owner, {
        address: address,
        abi: mockProviderAccountAbi,
        functionName: "execute",
        args: [target, data],
      });
    };
    const stake = 2_000n * 10n ** 18n;
    const staking = devnet.contracts.StakingRegistry.address;
    await devnet.write(devnet.deployer, {
      address: devnet.contracts.OctoToken.address,
      abi: octoTokenAbi,
      functionName: "transfer",
      args: [address, stake],
    });
    await call(
      devnet.contracts.OctoToken.address,
      encodeFunctionData({ abi: octoTokenAbi, functionName: "approve", args: [staking, stake] }),
    );
    await call(
      staking,
      encodeFunctionData({ abi: stakingRegistryAbi, functionName: "register", args: [0, encryptionPublicKey, ""] }),
    );
    await call(staking, encodeFunctionData({ abi: stakingRegistryAbi, functionName: "setAccepting", args: [true] }));
    await call(staking, encodeFunctionData({ abi: stakingRegistryAbi, functionName: "stake", args: [stake] }));
    await call(
      staking,
      encodeFunctionData({
        abi: stakingRegistryAbi,
        functionName: "setOffer",
        args: [devnet.modelId!, devnet.contracts.MockUSDC.address, pricePerToken, 4096, 16, zeroHash],
      }),
    );
  }

  /** The job's input as the provider opens it: from the envelope's wrap, or from a delivered key. */
  async function openInput(jobId: bigint) {
    const range = { address: market, abi: jobMarketAbi, fromBlock: 0n, args: { jobId }, strict: true } as const;
    const [created] = await getContractEvents(devnet.publicClient, { ...range, eventName: "JobCreated" });
    const delivered = (await getContractEvents(devnet.publicClient, { ...range, eventName: "JobKeyDelivered" })).at(-1);
    const envelope = decodeJobEnvelope(hexToBytes(created!.args.envelope));
    const wrap = delivered
      ? {
          wrapped: hexToBytes(delivered.args.wrappedSecret),
          ephemeralPublicKey: hexToBytes(delivered.args.ephemeralPublicKey),
        }
      : { wrapped: envelope.wrappedSecret!, ephemeralPublicKey: hexToBytes(created!.args.request.userPublicKey) };
    const jobSecret = unwrapJobSecret({ ...wrap, providerPrivateKey: encryption.privateKey });
    const { promptKey, outputKey } = deriveJobKeys({ jobSecret });
    return {
      text: renderJobInput(decodeJobInput(openPrompt({ promptKey, sealed: envelope.sealedPrompt }))),
      outputKey,
    };
  }

  /** Proves `output` for the job (one token per byte, up to the job's limit per chunk). */
  async function prove(jobId: bigint, output: string): Promise<Submission> {
    artifacts ??= loadProverArtifacts();
    const { outputKey } = await openInput(jobId);
    const job = await devnet.publicClient.readContract({
      address: market,
      abi: jobMarketAbi,
      functionName: "getJob",
      args: [jobId],
    });
    const bytes = new TextEncoder().encode(output);
    const submission: Submission = {
      jobId,
      result: { chunks: [], ciphertext: [], ciphertextURI: "", ciphertextHash: `0x${"00".repeat(32)}` },
      proofs: [],
    };
    let tokensLeft = job.maxOutputTokens;
    for (let i = 0; i * CHUNK_BYTES < Math.max(bytes.length, 1); i++) {
      const chunk = bytes.slice(i * CHUNK_BYTES, (i + 1) * CHUNK_BYTES);
      const tokenCount = Math.min(chunk.length, tokensLeft);
      tokensLeft -= tokenCount;
      const proven = await proveChunk({
        artifacts,
        chunk,
        chunkIndex: i,
        outputKey,
        jobId,
        provider: address,
        tokenCount,
        maxTokens: job.maxOutputTokens,
      });
      submission.result.chunks.push({
        outputCommitment: proven.publicSignals[0],
        byteLength: chunk.length,
        tokenCount,
      });
      submission.result.ciphertext.push(...proven.encrypted.postedCiphertext);
      submission.proofs.push(proven.proof);
    }
    return submission;
  }

  return {
    address,
    encryptionPublicKey,
    openInput,
    prove,
    /** Claims an open job; a job that names this provider is claimed by its creation already. */
    async claim(jobId: bigint) {
      const job = await devnet.publicClient.readContract({
        address: market,
        abi: jobMarketAbi,
        functionName: "getJob",
        args: [jobId],
      });
      if (job.status === JobStatus.Claimed && isAddressEqual(job.provider, address)) return;
      await call(market, encodeFunctionData({ abi: jobMarketAbi, functionName: "claimJob", args: [jobId] }));
    },
    async submit(s: Submission) {
      await call(
        market,
        encodeFunctionData({ abi: jobMarketAbi, functionName: "submitResult", args: [s.jobId, s.result, s.proofs] }),
      );
    },
    async submitBatch(batch: Submission[]) {
      const data = encodeFunctionData({
        abi: jobMarketAbi,
        functionName: "submitResults",
        args: [batch.map((s) => s.jobId), batch.map((s) => s.result), batch.flatMap((s) => s.proofs)],
      });
      await call(market, data);
    },
  };
}
