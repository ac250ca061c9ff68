/**
 * The worker's Prometheus metrics, in their own registry (plus Node process metrics).
 *
 * API: createMetrics(): Metrics — { registry, jobsByState, tokensPerSecond, tokensGenerated, proofSeconds,
 *   gasUsed, gasSpentWei, earnings, engineRestarts, watcherLagBlocks, watcherHeadBlock, rpcErrors, txSent,
 *   senderOldestUnminedSeconds, senderNonceGaps, selfTestPassed, setJobCounts(counts), setDisputeDutyCounts(counts),
 *   setSenderHealth(health) }
 * Amounts are floats (Prometheus has no integers): gas in gas units, fees in wei, earnings in whole tokens.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { SenderHealth } from "../sender/createSender.ts";
import { DISPUTE_ROLES, DUTY_STEPS, type DisputeRole, type DutyStep } from "../store/disputeDuties.ts";
import { JOB_ENDS, JOB_STEPS, type JobStep } from "../store/jobSteps.ts";

export type Metrics = ReturnType<typeof createMetrics>;

export function createMetrics({ defaultMetrics = true }: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (defaultMetrics) collectDefaultMetrics({ register: registry, prefix: "octo_" });
  const registers = [registry];
  const jobsByState = new Gauge({
    name: "octo_jobs",
    help: "Jobs by pipeline step",
    labelNames: ["state"] as const,
    registers,
  });
  const disputeDutiesByState = new Gauge({
    name: "octo_dispute_duties",
    help: "Disputes this provider owes a reveal (accused) or a vote (member), by state",
    labelNames: ["role", "state"] as const,
    registers,
  });
  const metrics = {
    registry,
    jobsByState,
    tokensPerSecond: new Gauge({
      name: "octo_tokens_per_second",
      help: "Output tokens per second of the last finished inference, by model",
      labelNames: ["model"] as const,
      registers,
    }),
    tokensGenerated: new Counter({
      name: "octo_tokens_generated_total",
      help: "Output tokens generated",
      labelNames: ["model"] as const,
      registers,
    }),
    proofSeconds: new Histogram({
      name: "octo_proof_seconds",
      help: "Time to prove a job or batch",
      labelNames: ["batch"] as const,
      buckets: [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64, 128],
      registers,
    }),
    gasUsed: new Counter({
      name: "octo_gas_used_total",
      help: "Gas used by mined transactions",
      labelNames: ["action"] as const,
      registers,
    }),
    gasSpentWei: new Counter({
      name: "octo_gas_spent_wei_total",
      help: "Fees paid for mined transactions (wei)",
      labelNames: ["action"] as const,
      registers,
    }),
    earnings: new Counter({
      name: "octo_earnings_total",
      help: "Payments received for finalized jobs (whole tokens)",
      labelNames: ["token"] as const,
      registers,
    }),
    engineRestarts: new Counter({
      name: "octo_engine_restarts_total",
      help: "Engine process restarts",
      labelNames: ["model"] as const,
      registers,
    }),
    queueSeconds: new Gauge({
      name: "octo_queue_seconds",
      help: "Seconds a job claimed now would wait behind those already taken (engine, then prover), at their recent pace",
      registers,
    }),
    watcherLagBlocks: new Gauge({
      name: "octo_watcher_lag_blocks",
      help: "Blocks between head − confirmations and the last processed block",
      registers,
    }),
    watcherHeadBlock: new Gauge({ name: "octo_watcher_head_block", help: "Chain head seen by the watcher", registers }),
    rpcErrors: new Counter({ name: "octo_rpc_errors_total", help: "Failed watcher ticks (RPC errors)", registers }),
    txSent: new Counter({
      name: "octo_tx_sent_total",
      help: "Transactions broadcast, replacements included",
      labelNames: ["replacement"] as const,
      registers,
    }),
    senderOldestUnminedSeconds: new Gauge({
      name: "octo_sender_oldest_unmined_seconds",
      help: "Age of the oldest transaction of the provider key not yet mined (0 when none): a stuck sender grows it",
      registers,
    }),
    selfTestPassed: new Gauge({
      name: "octo_selftest_passed",
      help: "Last determinism self-test of a verifiable offer: 1 passed, 0 failed (verifiable jobs are not taken)",
      labelNames: ["model"] as const,
      registers,
    }),
    senderNonceGaps: new Gauge({
      name: "octo_sender_nonce_gaps",
      help: "Nonces below owed transactions with nothing in flight",
      registers,
    }),
    /** Sets the sender gauges from `sender.health()`. */
    setSenderHealth(health: SenderHealth): void {
      metrics.senderOldestUnminedSeconds.set((health.oldestUnminedAgeMs ?? 0) / 1000);
      metrics.senderNonceGaps.set(health.gaps.length);
    },
    /** Sets the jobs gauge from `store.countJobsByStep()`; every step is reported, 0 when empty. */
    setJobCounts(counts: Partial<Record<JobStep, number>>): void {
      for (const step of [...JOB_STEPS, ...JOB_ENDS]) jobsByState.set({ state: step }, counts[step] ?? 0);
    },
    /** Sets the dispute-duty gauge from `duties.countByRoleAndStep()`; every pair is reported, 0 when empty. */
    setDisputeDutyCounts(counts: readonly { role: DisputeRole; step: DutyStep; n: number }[]): void {
      for (const role of DISPUTE_ROLES) {
        for (const state of DUTY_STEPS)
          disputeDutiesByState.set({ role, state }, counts.find((c) => c.role === role && c.step === state)?.n ?? 0);
      }
    },
  };
  return metrics;
}
