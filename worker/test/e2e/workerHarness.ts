// A local market plus a provider worker configured against it, for end-to-end tests and the worker benchmark.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { createWalletClient, http, publicActions, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, startDevnet, type Devnet } from "@octo/devnet";
import { octoActions, type CreateJobParameters } from "@octo/sdk";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";
import { localModel } from "../../src/localMarket/localModel.ts";
import type { ConfigInput } from "../../src/config/configSchema.ts";

export const PROVIDER_KEY = DEV_ROLES.provider;
export const PRICE_PER_TOKEN = 10n;

/** The devnet user's wallet, with the sdk's actions bound to the devnet's market. */
export function userClient(market: Devnet) {
  return createWalletClient({
    chain: market.chain,
    transport: http(market.rpcUrl),
    account: market.user,
    pollingInterval: 100,
  })
    .extend(publicActions)
    .extend(octoActions({ deployments: market.deployments }));
}
export type UserClient = ReturnType<typeof userClient>;

export type Harness = {
  market: Devnet;
  /** The user's side of every job, through @octo/sdk. */
  user: UserClient;
  /** Creates a job for the fixture model in USDC, as the user (createJob with the harness's model and token). */
  createJob(p: {
    prompt: string;
    provider?: Address;
    maxOutputTokens: number;
    maxPricePerToken: bigint;
    verifiable?: boolean;
  }): ReturnType<UserClient["createJob"]>;
  /** The decrypted result of a job created with `createJob`. */
  readResult(jobId: bigint): Promise<string>;
  dir: string;
  configPath: string;
  config: ConfigInput;
  env: Record<string, string>;
  modelPath: string;
  providerEncryptionKey: Hex;
  provider: `0x${string}`;
};

/**
 * Starts anvil, deploys, registers the model (the random-weights fixture unless told "octo-tiny", the trained default
 * model) and a staked provider, and writes the worker's config.
 */
export async function startHarness({
  capacity = 1,
  confirmations = 0,
  engineCpus,
  stake,
  model = "fixture",
}: {
  capacity?: number;
  confirmations?: number /** Pin the engine process (benchmarks). */;
  engineCpus?: string /** OCTO the provider stakes (see registerProvider). */;
  stake?: bigint;
  model?: "fixture" | "octo-tiny";
} = {}): Promise<Harness> {
  const { path: modelPath, spec } = await localModel(model);
  const market = await startDevnet({ model: spec });
  const account = privateKeyToAccount(PROVIDER_KEY);
  const { publicKey } = await deriveEncryptionKey(account);
  const providerEncryptionKey = `0x${Buffer.from(publicKey).toString("hex")}` as Hex;
  await market.registerProvider({
    account,
    encryptionPublicKey: providerEncryptionKey,
    pricePerToken: PRICE_PER_TOKEN,
    maxContext: 512,
    ...(stake === undefined ? {} : { stake }),
  });
  const dir = mkdtempSync(join(tmpdir(), "octo-worker-"));
  const deployments = join(dir, "deployments.json");
  market.writeDeployments(deployments);
  const config: ConfigInput = {
    chainId: market.chainId,
    rpcUrls: [market.rpcUrl],
    deployments,
    key: { env: "OCTO_TEST_PROVIDER_KEY" },
    confirmations,
    pollIntervalMs: 100,
    dataDir: join(dir, "data"),
    capacity,
    models: [
      {
        modelId: market.modelId!,
        paymentToken: market.contracts.MockUSDC.address,
        engine: {
          kind: "llamaCpp",
          modelPath,
          threads: 1,
          contextSize: 512,
          gpuLayers: 0,
          ...(engineCpus === undefined ? {} : { cpus: engineCpus }),
        },
        pricePerToken: PRICE_PER_TOKEN.toString(),
        maxContext: 512,
      },
    ],
    ops: { host: "127.0.0.1", port: 0 },
    stream: { host: "127.0.0.1", port: 0 },
    fees: { maxFeePerGasGwei: 500, maxPriorityFeePerGasGwei: 50, replaceAfterMs: 5_000, receiptTimeoutMs: 60_000 },
    logLevel: "warn",
  };
  const configPath = join(dir, "config.json");
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const user = userClient(market);
  const secrets = new Map<bigint, Uint8Array>();
  const createJob: Harness["createJob"] = async ({ prompt, ...rest }) => {
    const request: Omit<CreateJobParameters, "deployments"> = {
      ...rest,
      input: { prompt },
      modelId: market.modelId!,
      paymentToken: market.contracts.MockUSDC.address,
    };
    const created = await user.createJob(request);
    secrets.set(created.jobId, created.jobSecret);
    return created;
  };
  const readResult = async (jobId: bigint) => (await user.openResult({ jobId, jobSecret: secrets.get(jobId)! })).text;
  return {
    market,
    user,
    createJob,
    readResult,
    dir,
    configPath,
    config,
    env: { OCTO_TEST_PROVIDER_KEY: PROVIDER_KEY },
    modelPath,
    providerEncryptionKey,
    provider: account.address,
  };
}

export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
