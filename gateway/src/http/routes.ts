// The gateway's routes: GET /v1/models and POST /v1/chat/completions, /v1/completions behind an API key; /health and
// /metrics open (bind the gateway to an interface only operators reach, or put it behind a proxy that hides them).
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { authenticate, createRateLimiter } from "../keys/apiKeys.ts";
import { pendingJobs } from "../jobs/jobLedger.ts";
import type { Settler } from "../jobs/settler.ts";
import type { RunJobSettings } from "../jobs/runJob.ts";
import type { Market } from "../market/connectMarket.ts";
import { readOperatorFunds } from "../market/operatorFunds.ts";
import type { ModelCatalog } from "../market/modelCatalog.ts";
import type { Metrics } from "../ops/createMetrics.ts";
import type { Store } from "../store/openStore.ts";
import { GatewayError } from "../errors/GatewayError.ts";
import { toGatewayError } from "../errors/toGatewayError.ts";
import { sendError, sendJson } from "./httpIo.ts";
import { handleCompletion } from "./handleCompletion.ts";

export type GatewayContext = {
  market: Market;
  catalog: ModelCatalog;
  store: Store;
  settler: Settler;
  logger: Logger;
  metrics: Metrics;
  settings: RunJobSettings;
  attached: Set<bigint>;
  rateLimit: ReturnType<typeof createRateLimiter>;
};

export function createRequestHandler(ctx: GatewayContext) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    const route = ROUTES[path];
    const receivedAt = performance.now();
    res.on("finish", () => ctx.metrics.requests.inc({ route: route ? path : "other", status: String(res.statusCode) }));
    try {
      if (!route)
        throw new GatewayError(`no route ${req.method} ${path}`, {
          status: 404,
          type: "not_found_error",
          code: "not_found",
        });
      if (req.method !== route.method)
        throw new GatewayError(`${path} takes ${route.method}`, {
          status: 405,
          type: "invalid_request_error",
          code: "method_not_allowed",
        });
      await route.handle(ctx, req, res, receivedAt);
    } catch (caught) {
      const error = toGatewayError(caught);
      ctx.metrics.errors.inc({ code: error.code });
      const log = error.status >= 500 ? ctx.logger.error.bind(ctx.logger) : ctx.logger.info.bind(ctx.logger);
      log(
        { path, status: error.status, code: error.code, err: error.status >= 500 ? caught : undefined },
        error.shortMessage,
      );
      sendError(res, error);
    }
  };
}

type Route = {
  method: "GET" | "POST";
  handle(ctx: GatewayContext, req: IncomingMessage, res: ServerResponse, receivedAt: number): Promise<void>;
};

const withKey =
  (
    handle: (
      ctx: GatewayContext,
      req: IncomingMessage,
      res: ServerResponse,
      receivedAt: number,
      keyId: string,
    ) => Promise<void>,
  ): Route["handle"] =>
  async (ctx, req, res, receivedAt) => {
    const key = authenticate(ctx.store, req.headers.authorization);
    ctx.rateLimit(key);
    await handle(ctx, req, res, receivedAt, key.id);
  };

const ROUTES: Readonly<Record<string, Route>> = {
  "/v1/models": {
    method: "GET",
    handle: withKey(async (ctx, _req, res) => {
      const models = await ctx.catalog.list();
      sendJson(res, 200, {
        object: "list",
        data: models.map((m) => ({
          id: m.id,
          object: "model",
          created: 0,
          owned_by: "octo",
          octo: {
            model_id: m.modelId,
            spec: { name: m.name, weights_digest: m.weightsDigest, quantization: m.quantization, engine: m.engine },
            status: m.status,
            min_tier: m.minTier,
          },
        })),
      });
    }),
  },
  "/v1/chat/completions": {
    method: "POST",
    handle: withKey((ctx, req, res, receivedAt, keyId) => handleCompletion(ctx, "chat", req, res, receivedAt, keyId)),
  },
  "/v1/completions": {
    method: "POST",
    handle: withKey((ctx, req, res, receivedAt, keyId) => handleCompletion(ctx, "text", req, res, receivedAt, keyId)),
  },
  "/health": {
    method: "GET",
    async handle(ctx, _req, res) {
      const pending = pendingJobs(ctx.store).length;
      try {
        const [head, funds] = await Promise.all([
          ctx.market.client.getBlockNumber({ cacheTime: 0 }),
          readOperatorFunds(ctx.market),
        ]);
        sendJson(res, 200, {
          status: "ok",
          chain: { reachable: true, head: head.toString() },
          operator: {
            address: ctx.market.operator,
            paymentToken: ctx.market.paymentToken,
            // What pays each job's escrow and receives its refunds, and what tops it up.
            marketBalance: funds.market.toString(),
            walletBalance: funds.wallet.toString(),
            topUp: ctx.settings.topUp?.toString() ?? "wallet",
          },
          jobsPending: pending,
        });
      } catch (error) {
        sendJson(res, 503, {
          status: "down",
          chain: { reachable: false, error: error instanceof Error ? error.message.split("\n")[0] : String(error) },
          jobsPending: pending,
        });
      }
    },
  },
  "/metrics": {
    method: "GET",
    async handle(ctx, _req, res) {
      ctx.metrics.jobsPending.set(pendingJobs(ctx.store).length);
      res
        .writeHead(200, { "content-type": ctx.metrics.registry.contentType })
        .end(await ctx.metrics.registry.metrics());
    },
  },
};
