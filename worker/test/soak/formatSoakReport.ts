// The soak's closing table: jobs by terminal state, faults injected, disputes, slashes, wall time and throughput.
import type { RunSoakReturnType } from "./runSoak.ts";

/** The p-th percentile (0..100) of a sample, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function formatSoakReport(r: RunSoakReturnType): string {
  const rows: [string, string][] = [
    ["jobs", String(r.check.jobs)],
    ...Object.entries(r.check.byStatus).map(([status, n]): [string, string] => [`  ${status}`, String(n)]),
    ["lost jobs (not terminal)", String(r.check.lostJobs.length)],
    ["paid twice / over escrow", String(r.check.doublePaid.length)],
    ...Object.entries(r.faults).map(([fault, n]): [string, string] => [`fault: ${fault}`, String(n)]),
    ["disputes opened", String(r.check.disputes)],
    ...[...r.check.slashes].map(([who, s]): [string, string] => [
      `slashed ${who}${who === r.cheater.toLowerCase() ? " (cheater)" : ""}`,
      `${s.count}× (${s.amount / 10n ** 18n} OCTO)`,
    ]),
    ["accounting", r.check.accounting.length === 0 ? "balances" : r.check.accounting.join("; ")],
    ["waves", String(r.wavesRun)],
    ["wall time", `${r.wallSeconds.toFixed(1)} s`],
    ["jobs per minute", r.jobsPerMinute.toFixed(1)],
    [
      "create → submitted p50 / p95",
      `${percentile(r.jobSeconds, 50).toFixed(1)} s / ${percentile(r.jobSeconds, 95).toFixed(1)} s`,
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n");
}
