// A whole market on a local chain, as `npm start` runs it and as the web app's, the gateway's and the indexer's tests
// need it: anvil with the contracts deployed (@octo/devnet), the model registered, one staked provider, and that
// provider's worker running the real llama.cpp engine. Exported as `@octo/worker/localMarket`.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bytesToHex, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_ROLES, startDevnet, type Devnet } from "@octo/devnet";
import type { ConfigInput } from "../config/configSchema.ts";
import { loadConfig } from "../config/loadConfig.ts";
import { deriveEncryptionKey } from "../daemon/deriveEncryptionKey.ts";
import { startWorker, type RunningWorker } from "../daemon/startWorker.ts";
import { createLogger } from "../ops/createLogger.ts";
import { localModel } from "./localModel.ts";

export type StartLocalMarketParameters = {
  /** "octo-tiny" (the trained default, answers "17 + 25" with "42") or "fixture" (random weights, fastest). */
  model?: "octo-tiny" | "fixture";
  /** The chain's port; a free one when omitted. */
  port?: number;
  /** The worker's data directory (store, deployments file); a fresh temporary one when omitted. */
  dataDir?: string;
  /** The provider's price in payment-token units per output token. */
  pricePerToken?: bigint;
  /** The model's context length: prompt + output tokens the engine serves. */
  contextSize?: number;
  /** Jobs the worker runs at once. */
  capacity?: number;
  /** The worker's log level ("warn" unless told). */
  logLevel?: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
};

export type StartLocalMarketReturnType = {
  devnet: Devnet;
  worker: RunningWorker;
  /** The deployments file every app reads (`parseDeployments` in @octo/sdk). */
  deploymentsPath: string;
  /** The provider's address and its X25519 public key as registered. */
  provider: { address: Hex; encryptionPublicKey: Hex; pricePerToken: bigint };
  modelPath: string;
  /** Stops the worker, then the chain. */
  stop(): Promise<void>;
};

/** Starts a chain, deploys the market, registers the model and a staked provider, and starts that provider's worker. */
export async function startLocalMarket(
  parameters: StartLocalMarketParameters = {},
): Promise<StartLocalMarketReturnType> {
  const {
    model = "octo-tiny",
    pricePerToken = 10n,
    contextSize = model === "octo-tiny" ? 64 : 512,
    capacity = 1,
    logLevel = "warn",
  } = parameters;
  const { path: modelPath, spec } = await localModel(model);
  const devnet = await startDevnet({
    model: spec,
    ...(parameters.port === undefined ? {} : { port: parameters.port }),
  });
  try {
    const dataDir = parameters.dataDir ?? mkdtempSync(join(tmpdir(), "octo-local-market-"));
    mkdirSync(dataDir, { recursive: true });
    const deploymentsPath = join(dataDir, `deployments-${devnet.chainId}.json`);
    devnet.writeDeployments(deploymentsPath);

    const account = privateKeyToAccount(DEV_ROLES.provider);
    const encryptionPublicKey = bytesToHex((await deriveEncryptionKey(account)).publicKey);
    await devnet.registerProvider({ account, encryptionPublicKey, pricePerToken, maxContext: contextSize });

    const config: ConfigInput = {
      chainId: devnet.chainId,
      rpcUrls: [devnet.rpcUrl],
      deployments: deploymentsPath,
      key: { env: "OCTO_LOCAL_PROVIDER_KEY" },
      confirmations: 0,
      pollIntervalMs: 200,
      dataDir: join(dataDir, "worker"),
      capacity,
      models: [
        {
          modelId: devnet.modelId!,
          name: spec.name,
          paymentToken: devnet.contracts.MockUSDC.address,
          engine: { kind: "llamaCpp", modelPath, threads: 1, contextSize, gpuLayers: 0 },
          pricePerToken: pricePerToken.toString(),
          maxContext: contextSize,
        },
      ],
      ops: { host: "127.0.0.1", port: 0 },
      stream: { host: "127.0.0.1", port: 0 },
      logLevel,
    };
    const configPath = join(dataDir, "worker-config.json");
    writeFileSync(configPath, JSON.stringify(config, null, 2));
    const env = { OCTO_LOCAL_PROVIDER_KEY: DEV_ROLES.provider };
    const worker = await startWorker({
      config: loadConfig({ path: configPath, env }),
      env,
      logger: createLogger({ level: logLevel }),
    });
    return {
      devnet,
      worker,
      deploymentsPath,
      provider: { address: account.address, encryptionPublicKey, pricePerToken },
      modelPath,
      async stop() {
        await worker.stop();
        await devnet.stop();
      },
    };
  } catch (error) {
    await devnet.stop();
    throw error;
  }
}
