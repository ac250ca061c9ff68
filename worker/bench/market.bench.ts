// The whole market, long: the soak (worker/test/soak/runSoak.ts) with at least OCTO_MARKET_JOBS jobs (300 by default)
// in waves of 30, every fault striking again and again, then the chain checked alone. Records:
//   market.jobs             jobs the run created and the chain settled (what did run: fewer than asked when the
//                           wall-time budget ran out first; never the target)
//   market.waves            waves run (30 jobs each, plus the users' 3 fault jobs every fourth wave)
//   market.wallSeconds      first wave to last settlement
//   market.jobsPerMinute    jobs settled per wall minute, faults and time jumps included
//   market.lostJobs         jobs not in a terminal state at the end (goal 0)
//   market.doublePaid       jobs settled more than once or paid out beyond their escrow (goal 0)
//   market.p50JobSeconds    create → result submitted, median over every submitted job (wall seconds)
//   market.p95JobSeconds    the same, 95th percentile
// OCTO_MARKET_BUDGET_MINUTES (default none) stops starting waves once another would end past it: on a loaded 2-core
// machine 300 jobs take over an hour (bench/notes/market-soak.md). Fails (after recording) when a chain check fails:
// a benchmark of a market that loses money is no benchmark.
// Run: node worker/bench/market.bench.ts (or `npm run bench market`).
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { recordBench } from "@octo/devnet/bench";
import { formatSoakReport, percentile } from "../test/soak/formatSoakReport.ts";
import { runSoak } from "../test/soak/runSoak.ts";

const JOBS_PER_WAVE = 30;
const jobs = Number(process.env.OCTO_MARKET_JOBS ?? 300);
const budgetMinutes = Number(process.env.OCTO_MARKET_BUDGET_MINUTES ?? Number.POSITIVE_INFINITY);
const t0 = Date.now();
const r = await runSoak({
  jobsPerWave: JOBS_PER_WAVE,
  waves: Math.ceil(jobs / JOBS_PER_WAVE),
  budgetMs: budgetMinutes * 60_000,
  log: (line) => console.log(`[${((Date.now() - t0) / 1000).toFixed(0)} s] ${line}`),
}).catch((error: unknown) => {
  // Every worker's whole log goes to a file: a stuck job's story is rarely in the last few hundred lines.
  const logs = (error as { logs?: string[] }).logs ?? [];
  const path = join(tmpdir(), `octo-market-bench-${process.pid}.log`);
  writeFileSync(path, logs.join("\n") + "\n");
  for (const line of logs.slice(-100)) console.log(line);
  console.log(`every worker's log (${logs.length} lines): ${path}`);
  throw error;
});
console.log(formatSoakReport(r));
if (r.check.jobs < jobs)
  console.log(`PARTIAL: ${r.check.jobs} of the ${jobs} jobs asked ran within the ${budgetMinutes}-minute budget`);
const round = (x: number) => Math.round(x * 10) / 10;
recordBench({
  "market.jobs": r.check.jobs,
  "market.waves": r.wavesRun,
  "market.wallSeconds": Math.round(r.wallSeconds),
  "market.jobsPerMinute": round(r.jobsPerMinute),
  "market.lostJobs": r.check.lostJobs.length,
  "market.doublePaid": r.check.doublePaid.length,
  "market.p50JobSeconds": round(percentile(r.jobSeconds, 50)),
  "market.p95JobSeconds": round(percentile(r.jobSeconds, 95)),
});
const honestSlashed = r.honest.filter((p) => r.check.slashes.has(p.toLowerCase()));
const failures = [
  ...(r.check.lostJobs.length > 0 ? [`lost jobs: ${r.check.lostJobs.join(", ")}`] : []),
  ...(r.check.doublePaid.length > 0 ? [`paid twice: ${r.check.doublePaid.join(", ")}`] : []),
  ...r.check.accounting,
  ...(honestSlashed.length > 0 ? [`honest providers slashed: ${honestSlashed.join(", ")}`] : []),
  ...(r.check.slashes.has(r.cheater.toLowerCase()) ? [] : ["the cheater was never slashed"]),
];
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
// Something the run leaves behind keeps the event loop alive after every provider, the proxy and anvil are stopped
// (the short soak hides it under mocha's --exit; not yet found): the 276-job run hung here after recording.
process.exit(0);
