// The gateway's Prometheus metrics, in their own registry: requests and errors by code, time to first token, tokens,
// what the operator spent (payment-token units; a float, as Prometheus has no integers), jobs still pending, and the
// operator's funds: its market balance and wallet, read from the chain at each scrape, and the top-ups between them.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { OperatorFunds } from "../market/operatorFunds.ts";

export type CreateMetricsParameters = {
  /** The payment token, the funds gauges' and deposit counters' `token` label. */
  token: string;
  /** Reads the operator's funds for the gauges; a failed read (the chain unreachable) keeps their last values. */
  readFunds: () => Promise<OperatorFunds>;
};

export function createMetrics({ token, readFunds }: CreateMetricsParameters) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "octo_gateway_" });
  const registers = [registry];
  const metrics = {
    registry,
    requests: new Counter({
      name: "octo_gateway_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    errors: new Counter({
      name: "octo_gateway_errors_total",
      help: "Error responses by code",
      labelNames: ["code"] as const,
      registers,
    }),
    ttft: new Histogram({
      name: "octo_gateway_time_to_first_token_seconds",
      help: "Request received → first token sent to the client (streamed requests)",
      labelNames: ["model"] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    }),
    completionTokens: new Counter({
      name: "octo_gateway_completion_tokens_total",
      help: "Output tokens returned to clients, by model",
      labelNames: ["model"] as const,
      registers,
    }),
    spend: new Counter({
      name: "octo_gateway_spend_total",
      help: "Payment-token units paid for settled jobs",
      labelNames: ["token"] as const,
      registers,
    }),
    jobsSettled: new Counter({
      name: "octo_gateway_jobs_settled_total",
      help: "Jobs settled, by final status",
      labelNames: ["status"] as const,
      registers,
    }),
    jobsPending: new Gauge({ name: "octo_gateway_jobs_pending", help: "Jobs paid for and not yet settled", registers }),
  };
  // A scrape collects both gauges at once: they share one read of the chain.
  let reading: Promise<OperatorFunds | undefined> | undefined;
  const read = () =>
    (reading ??= readFunds()
      .catch(() => undefined)
      .finally(() => (reading = undefined)));
  new Gauge({
    name: "octo_gateway_market_balance",
    help: "The operator's prepaid balance in the market (payment-token units): what pays every job's escrow",
    labelNames: ["token"] as const,
    registers,
    async collect() {
      const funds = await read();
      if (funds) this.set({ token }, Number(funds.market));
    },
  });
  new Gauge({
    name: "octo_gateway_wallet_balance",
    help: "The operator's wallet (payment-token units): what tops the market balance up",
    labelNames: ["token"] as const,
    registers,
    async collect() {
      const funds = await read();
      if (funds) this.set({ token }, Number(funds.wallet));
    },
  });
  const deposits = new Counter({
    name: "octo_gateway_deposits_total",
    help: "Top-ups of the market balance from the wallet",
    labelNames: ["token"] as const,
    registers,
  });
  const deposited = new Counter({
    name: "octo_gateway_deposited_total",
    help: "Payment-token units deposited into the market balance",
    labelNames: ["token"] as const,
    registers,
  });
  return {
    ...metrics,
    recordDeposit(amount: bigint) {
      deposits.inc({ token });
      deposited.inc({ token }, Number(amount));
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
