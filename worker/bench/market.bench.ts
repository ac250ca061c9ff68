// The whole market, long: the soak (worker/test/soak/runSoak.ts) with at least 300 jobs in waves of 30, every fault
// striking again and again, then the chain checked alone. Records:
//   market.jobsPerMinute    jobs settled per wall minute, faults and time jumps included
//   market.lostJobs         jobs not in a terminal state at the end (goal 0)
//   market.doublePaid       jobs settled more than once or paid out beyond their escrow (goal 0)
//   market.p50JobSeconds    create → result submitted, median over every submitted job (wall seconds)
//   market.p95JobSeconds    the same, 95th percentile
// Fails (after recording) when a check fails: a benchmark of a market that loses money is no benchmark.
import { recordBench } from "@octo/devnet/bench";
import { formatSoakReport, percentile } from "../test/soak/formatSoakReport.ts";
import { runSoak } from "../test/soak/runSoak.ts";

const waves = Number(process.env.OCTO_SOAK_WAVES ?? 10);
const r = await runSoak({ jobsPerWave: 30, waves, log: (line) => console.log(line) }).catch((error: unknown) => {
  for (const line of (error as { logs?: string[] }).logs?.slice(-400) ?? []) console.log(line);
  throw error;
});
console.log(formatSoakReport(r));
recordBench({
  "market.jobsPerMinute": Math.round(r.jobsPerMinute * 10) / 10,
  "market.lostJobs": r.check.lostJobs.length,
  "market.doublePaid": r.check.doublePaid.length,
  "market.p50JobSeconds": Math.round(percentile(r.jobSeconds, 50) * 10) / 10,
  "market.p95JobSeconds": Math.round(percentile(r.jobSeconds, 95) * 10) / 10,
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
