// A gateway on a whole local market (chain, contracts, a staked provider and its worker on octo-tiny), paid by a
// fresh operator account funded from the devnet faucet, with an API key and the official OpenAI client pointed at it.
// The operator's own view of the market (its user key, the sdk's actions) is returned so tests can check answers
// against what the chain holds.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import OpenAI from "openai";
import { createWalletClient, http, publicActions, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fundAccount } from "@octo/devnet";
import { octoActions } from "@octo/sdk";
import { startLocalMarket, type StartLocalMarketParameters } from "@octo/worker/localMarket";
import { startGateway, type StartGatewayParameters } from "../../src/index.ts";
import { createLogger } from "../../src/ops/createLogger.ts";

export async function startGatewayOnLocalMarket(
  options: { market?: StartLocalMarketParameters; gateway?: Partial<StartGatewayParameters>; usdc?: number } = {},
) {
  const market = await startLocalMarket({ model: "octo-tiny", ...options.market });
  const operatorKey: Hex = generatePrivateKey();
  const operator = privateKeyToAccount(operatorKey);
  await fundAccount({
    rpcUrl: market.devnet.rpcUrl,
    deployments: market.devnet.deployments,
    address: operator.address,
    pol: 10,
    octo: 0,
    usdc: options.usdc ?? 100,
  });
  const dataDir = mkdtempSync(join(tmpdir(), "octo-gateway-test-"));
  const parameters: StartGatewayParameters = {
    deploymentsPath: market.deploymentsPath,
    rpcUrl: market.devnet.rpcUrl,
    operatorKey,
    dataDir,
    streamUrls: { [market.provider.address]: market.worker.stream.url },
    pollIntervalMs: 200,
    logger: createLogger({ level: process.env.OCTO_GATEWAY_LOG ?? "silent" }),
    ...options.gateway,
  };
  let gateway = await startGateway(parameters);
  const apiKey = gateway.createApiKey({ name: "test" });
  const openai = (key = apiKey) =>
    new OpenAI({ baseURL: gateway.baseURL, apiKey: key, maxRetries: 0, timeout: 240_000 });
  const operatorClient = createWalletClient({
    chain: market.devnet.chain,
    transport: http(market.devnet.rpcUrl),
    account: operator,
    pollingInterval: 200,
  })
    .extend(publicActions)
    .extend(octoActions({ deployments: market.devnet.deployments }));
  const userKey = await operatorClient.getUserKey();
  return {
    market,
    operator,
    operatorKey,
    operatorClient,
    apiKey,
    dataDir,
    get gateway() {
      return gateway;
    },
    openai,
    /** Stops the gateway and starts it again on the same store (a restart). */
    async restartGateway(overrides: Partial<StartGatewayParameters> = {}) {
      await gateway.stop();
      gateway = await startGateway({ ...parameters, ...overrides });
      return gateway;
    },
    /** What the operator decrypts on-chain for the job. */
    async onChain(jobId: bigint) {
      const jobSecret = await operatorClient.recoverJobSecret({ jobId, userKey });
      const { text } = await operatorClient.openResult({ jobId, jobSecret });
      const job = await operatorClient.getJob({ jobId });
      return { text, job };
    },
    nonce: () => operatorClient.getTransactionCount({ address: operator.address, blockTag: "pending" }),
    async stop() {
      await gateway.stop().catch(() => undefined);
      await market.stop();
    },
  };
}

export type GatewayOnLocalMarket = Awaited<ReturnType<typeof startGatewayOnLocalMarket>>;
