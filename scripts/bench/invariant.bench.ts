// The market's invariant suite at bench strength: 10,000 random sequences per invariant (`npm test` runs 1,000), each
// of `invariant.depth` handler calls (test/contracts/invariant/JobMarket.invariant.t.sol). Fails when any invariant
// breaks; records the sequences run per invariant, the invariants checked, and the wall time.
// Run: node scripts/bench/invariant.bench.ts (or `npm run bench`). OCTO_BENCH_INVARIANT_RUNS lowers it for a try.
import { spawnSync } from "node:child_process";
import { recordBench } from "@octo/devnet/bench";

const runs = Number(process.env.OCTO_BENCH_INVARIANT_RUNS ?? 10_000);
const started = performance.now();
const run = spawnSync(
  "pnpm",
  ["exec", "hardhat", "test", "solidity", "test/contracts/invariant/JobMarket.invariant.t.sol"],
  {
    env: { ...process.env, OCTO_INVARIANT_RUNS: String(runs) },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  },
);
const output = `${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, "");
process.stdout.write(output.slice(-4000));
const invariants = [...output.matchAll(/✔ (invariant_\w+)\(\) \(runs: (\d+)/g)].map((m) => ({
  name: m[1]!,
  runs: Number(m[2]),
}));
if (run.status !== 0 || invariants.length === 0) throw new Error(`the invariant suite failed (exit ${run.status})`);
const sequences = Math.min(...invariants.map((i) => i.runs));
if (sequences < runs) throw new Error(`an invariant ran ${sequences} sequences, fewer than the ${runs} asked`);
recordBench({
  "contracts.invariantSequences": sequences,
  "contracts.invariantsChecked": invariants.length,
  "contracts.invariantSeconds": Math.round((performance.now() - started) / 1000),
});
