// The whole gateway in one call, as the CLI, `npm start` and the tests run it: the market connection, the store, the
// settler (adopting and following every job the operator paid for), and the HTTP server.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { parseDeployments } from "@octo/sdk";
import type { Logger } from "pino";
import { createApiKey, createRateLimiter, type CreateApiKeyParameters } from "./keys/apiKeys.ts";
import { createSettler } from "./jobs/settler.ts";
import type { RunJobSettings } from "./jobs/runJob.ts";
import { connectMarket } from "./market/connectMarket.ts";
import { modelCatalog } from "./market/modelCatalog.ts";
import { readOperatorFunds } from "./market/operatorFunds.ts";
import { createLogger } from "./ops/createLogger.ts";
import { createMetrics } from "./ops/createMetrics.ts";
import { openStore } from "./store/openStore.ts";
import { createRequestHandler } from "./http/routes.ts";

export type StartGatewayParameters = {
  /** deployments/<chainId>.json of the market. */
  deploymentsPath: string;
  rpcUrl: string;
  /** The private key of the account that pays for every job (keep it in the environment, never in a file). */
  operatorKey: Hex;
  /** Default 0: a free port. */
  port?: number | undefined;
  /** Default 127.0.0.1. */
  host?: string | undefined;
  /** Where the store (gateway.sqlite: keys, pending jobs) lives. */
  dataDir: string;
  /** Default: the deployments' MockUSDC. */
  paymentToken?: Address | undefined;
  /** Providers' live-output servers by address (the registry does not publish them yet); a provider without one is
   *  answered from its on-chain result. */
  streamUrls?: Readonly<Record<string, string>> | undefined;
  /** Output tokens a request without max_tokens may use (capped by the provider's context). Default 256. */
  defaultMaxTokens?: number | undefined;
  /** Seconds from creation to a job's deadline, after which its escrow is reclaimed. Default 300. */
  deadlineSeconds?: number | undefined;
  /** Providers a request tries before answering 504. Default 2. */
  maxAttempts?: number | undefined;
  /** What one top-up deposits into the operator's market balance when it cannot cover a job's escrow: at least the
   *  shortfall, at most what the wallet holds. Default: the whole wallet (one deposit, many jobs). */
  topUp?: bigint | undefined;
  pollIntervalMs?: number | undefined;
  logger?: Logger | undefined;
  logLevel?: string | undefined;
};

export type StartGatewayReturnType = {
  /** The OpenAI base URL: `${url}/v1`. */
  url: string;
  baseURL: string;
  port: number;
  operator: Address;
  /** Creates an API key in this gateway's store and returns its secret (the CLI's `keys create`). */
  createApiKey(parameters?: Partial<CreateApiKeyParameters>): string;
  stop(): Promise<void>;
};

export async function startGateway(p: StartGatewayParameters): Promise<StartGatewayReturnType> {
  const logger = p.logger ?? createLogger({ level: p.logLevel ?? "info" });
  const deployments = parseDeployments(readFileSync(p.deploymentsPath, "utf8"));
  const pollIntervalMs = p.pollIntervalMs ?? 500;
  const market = connectMarket({
    deployments,
    rpcUrl: p.rpcUrl,
    operatorKey: p.operatorKey,
    paymentToken: p.paymentToken,
    pollingIntervalMs: pollIntervalMs,
  });
  const store = openStore({ path: join(p.dataDir, "gateway.sqlite") });
  const metrics = createMetrics({ token: market.paymentToken, readFunds: () => readOperatorFunds(market) });
  const attached = new Set<bigint>();
  const settler = createSettler({
    market,
    store,
    logger,
    attached,
    intervalMs: Math.max(pollIntervalMs, 1_000),
    onSettled: ({ status, cost }) => {
      metrics.jobsSettled.inc({ status });
      metrics.spend.inc({ token: market.paymentToken }, Number(cost));
    },
  });
  const settings: RunJobSettings = {
    defaultMaxTokens: p.defaultMaxTokens ?? 256,
    deadlineSeconds: p.deadlineSeconds ?? 300,
    maxAttempts: p.maxAttempts ?? 2,
    topUp: p.topUp,
    streamUrls: Object.fromEntries(Object.entries(p.streamUrls ?? {}).map(([a, u]) => [a.toLowerCase(), u])),
    pollIntervalMs,
  };
  try {
    await settler.start();
  } catch (error) {
    store.close();
    throw error;
  }
  const handler = createRequestHandler({
    market,
    catalog: modelCatalog(market),
    store,
    settler,
    logger,
    metrics,
    settings,
    attached,
    rateLimit: createRateLimiter(),
  });
  const server = createServer((req, res) => void handler(req, res));
  const host = p.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(p.port ?? 0, host, resolve);
  });
  const port = (server.address() as { port: number }).port;
  const url = `http://${host}:${port}`;
  logger.info(
    { url, operator: market.operator, chainId: deployments.chainId, paymentToken: market.paymentToken },
    "gateway listening",
  );
  return {
    url,
    baseURL: `${url}/v1`,
    port,
    operator: market.operator,
    createApiKey: ({ name = "dev", spendLimit, ratePerMinute } = {}) =>
      createApiKey(store, { name, spendLimit, ratePerMinute }).secret,
    async stop() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await settler.stop();
      store.close();
    },
  };
}
