/**
 * The embedded local default: a real local chain (anvil), the whole contract system deployed from the Hardhat build,
 * a registered model, a funded user and a staked provider with an offer. Used by `npm start`, the worker's end-to-end
 * tests and the worker benchmark.
 *
 * API:
 *   startLocalMarket({ model?, port? }): Promise<LocalMarket>   model: octo-tiny's spec, derived from its GGUF, by default
 *   market.registerProvider({ account, encryptionPublicKey, price, maxContext, stake? })  stake, register, offer
 *   market.createJob({ prompt, provider?, providerEncryptionKey, maxOutputTokens, maxPricePerToken })  the user's side
 *   market.readResult(jobId, provider): the decrypted output, from the ResultSubmitted event
 *   market.dispute(jobId) / market.revealJobSecret(jobId, jobSecret)  the user disputes, then lets the committee in
 *   market.passChallengeWindow()   moves chain time past the challenge window
 *   market.writeDeployments(path)  deployments/<chainId>.json as the worker reads it
 *   market.stop()
 * Deployment on real networks goes through the Ignition modules (ignition/modules); this file only serves a fresh
 * local chain, where Ignition's persisted journal would describe a chain that no longer exists.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  createPublicClient,
  createTestClient,
  createWalletClient,
  http,
  parseEventLogs,
  parseUnits,
  bytesToHex,
  hexToBytes,
  zeroAddress,
  type Abi,
  type Address,
  type Hex,
  type PrivateKeyAccount,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { startAnvil } from "./startAnvil.ts";
import { modelSpecFromGguf } from "../../worker/src/models/modelSpecFromGguf.ts";
import { OCTO_TINY_PATH } from "../../worker/src/models/octoTiny.ts";
export { freePort } from "./startAnvil.ts";
import {
  decryptOutput,
  deriveJobKeys,
  encodeJobEnvelope,
  generateEncryptionKeyPair,
  generateJobSecret,
  keyCommitment,
  sealPrompt,
  wrapJobSecret,
  wrapJobSecretForMany,
} from "@octo/circuits";

const root = new URL("../..", import.meta.url).pathname;

/** anvil's well-known development keys (public; never use them on a real network). */
export const DEV_KEYS = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a8d4cab8fc6a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
  "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
  "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
] as const satisfies readonly Hex[];

type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;
type Artifact = { abi: Abi; bytecode: Hex; linkReferences?: LinkReferences };
function artifact(name: string, dir = ""): Artifact {
  return artifactAt(join(root, "artifacts", "contracts", dir, `${name}.sol`, `${name}.json`));
}
/** `project/contracts/x/Y.sol` + `Y` → the artifact Hardhat wrote for it. */
function libraryArtifact(source: string, name: string): Artifact {
  return artifactAt(join(root, "artifacts", source.replace(/^project\//, ""), `${name}.json`));
}
function artifactAt(path: string): Artifact {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as Artifact;
  } catch {
    throw new Error(`missing build artifact ${path}: run \`pnpm exec hardhat build\` first`);
  }
}

export type StartLocalMarketParameters = {
  /**
   * The model the market lists: its spec, with the sha256 of its GGUF as the weights digest. Default: octo-tiny, the
   * project's trained default model (worker/models/octo-tiny), its spec derived from the committed file.
   */
  model?: { name: string; weightsDigest: Hex; quantization: string; engine: string };
  port?: number;
};

export async function startLocalMarket({ model: listed, port }: StartLocalMarketParameters = {}) {
  const model = listed ?? (await modelSpecFromGguf({ path: OCTO_TINY_PATH })).spec;
  const anvil = await startAnvil(port === undefined ? {} : { port });
  const rpcUrl = anvil.url;
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 100 });
  const testClient = createTestClient({ chain: foundry, transport, mode: "anvil" });
  const [deployer, user] = [privateKeyToAccount(DEV_KEYS[0]), privateKeyToAccount(DEV_KEYS[1])];
  const wallet = (account: PrivateKeyAccount) => createWalletClient({ chain: foundry, transport, account });
  const admin = wallet(deployer);

  // External libraries (the on-chain Poseidon behind the fraud proof) are deployed once and linked by offset.
  const libraries = new Map<string, Address>();
  const link = async ({ bytecode, linkReferences = {} }: Artifact): Promise<Hex> => {
    let code = bytecode.slice(2);
    for (const [source, libs] of Object.entries(linkReferences)) {
      for (const [name, refs] of Object.entries(libs)) {
        const key = `${source}:${name}`;
        if (!libraries.has(key)) {
          const lib = libraryArtifact(source, name);
          const hash = await admin.deployContract({ abi: lib.abi, bytecode: await link(lib), args: [] });
          libraries.set(key, (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!);
        }
        const address = libraries.get(key)!.slice(2).toLowerCase();
        for (const { start, length } of refs) code = code.slice(0, start * 2) + address + code.slice((start + length) * 2);
      }
    }
    return `0x${code}`;
  };
  const deploy = async (name: string, args: readonly unknown[], dir = "") => {
    const built = artifact(name, dir);
    const { abi } = built;
    const hash = await admin.deployContract({ abi, bytecode: await link(built), args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return { address: receipt.contractAddress!, abi, deployedOnBlock: Number(receipt.blockNumber) };
  };
  const write = async (account: PrivateKeyAccount, c: { address: Address; abi: Abi }, functionName: string, args: readonly unknown[]) => {
    // The estimate is also the simulation (a call that would revert throws, its error decoded with the ABI). A margin
    // over it, as wallets add: some calls cost more in the block that mines them than in the one they were estimated
    // against (a dispute's committee draw is seeded by the block).
    const estimate = await publicClient.estimateContractGas({ account, address: c.address, abi: c.abi, functionName, args });
    const hash = await wallet(account).writeContract({ address: c.address, abi: c.abi, functionName, args, gas: (estimate * 5n) / 4n });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    return receipt;
  };
  const read = <T>(c: { address: Address; abi: Abi }, functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({ address: c.address, abi: c.abi, functionName, args }) as Promise<T>;

  const octo = await deploy("OctoToken", [deployer.address, parseUnits("10000000", 18)]);
  const usdc = await deploy("MockUSDC", [], "mocks");
  const verifier = await deploy("ResultVerifier", [], "verifiers");
  const staking = await deploy("StakingRegistry", [octo.address, deployer.address, 10n ** 18n]);
  const models = await deploy("ModelRegistry", [deployer.address]);
  const market = await deploy("JobMarket", [verifier.address, staking.address, models.address, deployer.address, deployer.address]);
  await write(deployer, staking, "bindJobMarket", [market.address]);
  await write(deployer, market, "setPaymentToken", [usdc.address, true]);
  await write(deployer, models, "registerModel", [model, 0]);
  const modelId = await read<Hex>(models, "computeModelId", [model]);
  await write(deployer, usdc, "mint", [user.address, parseUnits("1000", 6)]);
  await write(user, usdc, "approve", [market.address, 2n ** 255n]);
  const [, challengeWindow] = await read<readonly [number, number]>(market, "parameters");

  const contracts = { OctoToken: octo, MockUSDC: usdc, ResultVerifier: verifier, StakingRegistry: staking, ModelRegistry: models, JobMarket: market };

  return {
    rpcUrl,
    chainId: foundry.id,
    publicClient,
    testClient,
    contracts,
    modelId,
    deployer,
    user,

    writeDeployments(path: string) {
      mkdirSync(dirname(path), { recursive: true });
      const out = Object.fromEntries(Object.entries(contracts).map(([k, c]) => [k, { address: c.address, deployedOnBlock: c.deployedOnBlock }]));
      writeFileSync(path, JSON.stringify({ chainId: foundry.id, contracts: out }, null, 2) + "\n");
    },

    /** Stakes `stake` OCTO (2,000 unless told: twenty claims at the default collateral), registers the encryption key
     *  and offers the model in USDC. */
    async registerProvider({ account, encryptionPublicKey, pricePerToken, maxContext, stake = 2_000n }: { account: PrivateKeyAccount; encryptionPublicKey: Hex; pricePerToken: bigint; maxContext: number; stake?: bigint }) {
      const amount = parseUnits(stake.toString(), 18);
      await admin.sendTransaction({ to: account.address, value: parseUnits("10", 18) });
      await write(deployer, octo, "transfer", [account.address, amount]);
      await write(account, octo, "approve", [staking.address, amount]);
      await write(account, staking, "register", [0, encryptionPublicKey, ""]);
      await write(account, staking, "setAccepting", [true]);
      await write(account, staking, "stake", [amount]);
      await write(account, staking, "setOffer", [modelId, usdc.address, pricePerToken, maxContext]);
    },

    /**
     * The user's side of a job: a fresh job secret, the sealed prompt, the escrow. A job that names a provider carries
     * the secret wrapped for that provider's key; one that names none (`provider` omitted) is open to any provider,
     * and the user delivers the secret to whoever claims it (deliverJobKey).
     */
    async createJob({ prompt, provider, providerEncryptionKey, maxOutputTokens, maxPricePerToken, deadlineSeconds = 7 * 24 * 3600, envelopeOverride }: { prompt: string; maxOutputTokens: number; maxPricePerToken: bigint; deadlineSeconds?: number; /** Test hook: post these bytes instead of the real envelope. */ envelopeOverride?: Hex } & ({ provider: Address; providerEncryptionKey: Hex } | { provider?: undefined; providerEncryptionKey?: undefined })) {
      const jobSecret = generateJobSecret();
      const keys = deriveJobKeys({ jobSecret });
      // Named: the envelope's wrap, under a fresh ephemeral key. Open: no wrap yet, and an ephemeral key of its own.
      const { ephemeralPublicKey, wrapped } = providerEncryptionKey === undefined
        ? { ephemeralPublicKey: generateEncryptionKeyPair().publicKey, wrapped: undefined }
        : wrapJobSecret({ jobSecret, providerPublicKey: hexToBytes(providerEncryptionKey) });
      const sealedPrompt = sealPrompt({ promptKey: keys.promptKey, prompt: new TextEncoder().encode(prompt) });
      const now = (await publicClient.getBlock()).timestamp;
      const request = {
        modelId,
        paymentToken: usdc.address,
        maxOutputTokens,
        maxPricePerToken,
        minTier: 0,
        verifiable: true,
        callback: false,
        deadline: Number(now) + deadlineSeconds,
        provider: provider ?? zeroAddress,
        userPublicKey: bytesToHex(ephemeralPublicKey),
        keyCommitment: keyCommitment({ outputKey: keys.outputKey }),
      };
      const envelope = envelopeOverride ?? bytesToHex(encodeJobEnvelope({ ...(wrapped ? { wrappedSecret: wrapped } : {}), sealedPrompt }));
      const receipt = await write(user, market, "createJob", [request, envelope, "", `0x${"00".repeat(32)}`]);
      const [created] = parseEventLogs({ abi: market.abi, logs: receipt.logs, eventName: "JobCreated" }) as unknown as { args: { jobId: bigint } }[];
      return { jobId: created!.args.jobId, jobSecret, outputKey: keys.outputKey, promptKey: keys.promptKey, receipt };
    },

    /** The user delivers an open job's secret to the provider that claimed it, wrapped for that provider's key. */
    async deliverJobKey(jobId: bigint, jobSecret: Uint8Array) {
      const { provider } = await read<{ provider: Address }>(market, "getJob", [jobId]);
      const { encryptionKey } = await read<{ encryptionKey: Hex }>(staking, "getProvider", [provider]);
      const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey: hexToBytes(encryptionKey) });
      return write(user, market, "deliverJobKey", [jobId, bytesToHex(ephemeralPublicKey), bytesToHex(wrapped)]);
    },

    /** Decrypts a submitted result from its ResultSubmitted event, checking each chunk against its proven commitment. */
    async readResult(jobId: bigint, outputKey: bigint) {
      const logs = await publicClient.getContractEvents({ address: market.address, abi: market.abi, eventName: "ResultSubmitted", args: { jobId }, fromBlock: 0n });
      const event = logs.at(-1) as unknown as { args: { provider: Address; chunks: readonly { outputCommitment: bigint; byteLength: number }[]; ciphertext: readonly bigint[]; byteLength: bigint } } | undefined;
      if (!event) return undefined;
      const { chunks, ciphertext, provider } = event.args;
      const posted: bigint[][] = [];
      let at = 0;
      for (const c of chunks) {
        const n = Math.ceil(Number(c.byteLength) / 31);
        posted.push(ciphertext.slice(at, at + n));
        at += n;
      }
      const bytes = decryptOutput({ postedCiphertext: posted, byteLength: Number(event.args.byteLength), outputKey, jobId, provider, chunkCommitments: chunks.map((c) => c.outputCommitment) });
      return new TextDecoder().decode(bytes);
    },

    /** The user disputes a verifiable job's result within its challenge window; a committee is drawn. */
    async dispute(jobId: bigint) {
      return write(user, market, "dispute", [jobId]);
    },

    /** The user wraps the job secret to each committee member's registered key, so the members can re-run the job. */
    async revealJobSecret(jobId: bigint, jobSecret: Uint8Array) {
      const [committee] = await read<readonly [readonly Address[], number, number]>(market, "getDispute", [jobId]);
      const recipientPublicKeys = [];
      for (const member of committee) recipientPublicKeys.push(hexToBytes((await read<{ encryptionKey: Hex }>(staking, "getProvider", [member])).encryptionKey));
      const { ephemeralPublicKey, wrapped } = wrapJobSecretForMany({ jobSecret, recipientPublicKeys });
      return write(user, market, "revealJobSecret", [jobId, bytesToHex(ephemeralPublicKey), wrapped.map((w) => bytesToHex(w))]);
    },

    async passChallengeWindow() {
      await testClient.increaseTime({ seconds: Number(challengeWindow) + 1 });
      await testClient.mine({ blocks: 1 });
    },

    read,
    write,

    stop: () => anvil.stop(),
  };
}

export type LocalMarket = Awaited<ReturnType<typeof startLocalMarket>>;
