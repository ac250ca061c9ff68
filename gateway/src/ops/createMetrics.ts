// The gateway's Prometheus metrics, in their own registry: requests and errors by code, time to first token, tokens,
// what the operator spent (payment-token units; a float, as Prometheus has no integers) and jobs still pending.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "octo_gateway_" });
  const registers = [registry];
  return {
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
}

export type Metrics = ReturnType<typeof createMetrics>;
