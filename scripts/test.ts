// Runs every test suite of the workspace in turn and prints one closing line: "N passed, N failed".
// Each suite is a real runner (Hardhat's Solidity + mocha tests, mocha in each package); this only adds up.
import { spawnSync } from "node:child_process";

type Suite = { name: string; command: string; args: string[] };

const suites: Suite[] = [
  { name: "contracts (hardhat: solidity + mocha)", command: "pnpm", args: ["exec", "hardhat", "test"] },
  { name: "circuits", command: "pnpm", args: ["--filter", "@octo/circuits", "test"] },
  { name: "worker", command: "pnpm", args: ["--filter", "@octo/worker", "test"] },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failedSuites: string[] = [];

for (const suite of suites.filter((s) => only.length === 0 || only.some((o) => s.name.startsWith(o)))) {
  console.log(`\n=== ${suite.name} ===`);
  const run = spawnSync(suite.command, suite.args, { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 28 });
  process.stdout.write(run.stdout ?? "");
  const counts = countResults(run.stdout ?? "");
  passed += counts.passed;
  failed += counts.failed;
  if (run.status !== 0) {
    failedSuites.push(suite.name);
    if (counts.failed === 0) failed += 1; // a suite that crashed before reporting still counts as a failure
  }
}

if (failedSuites.length > 0) console.log(`\nfailed suites: ${failedSuites.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedSuites.length > 0 ? 1 : 0);

/** Reads mocha's "N passing / N failing" and Hardhat's Solidity "N passing / N failing" summaries. */
function countResults(output: string): { passed: number; failed: number } {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const sum = (re: RegExp) => [...plain.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return { passed: sum(/^\s*(\d+) passing\b/gm), failed: sum(/^\s*(\d+) failing\b/gm) };
}
