// Runs every test suite of the workspace in turn and prints one closing line: "N passed, N failed".
// Each suite is a real runner (Hardhat's Solidity + mocha tests, mocha in each package); this only adds up.
import { spawn } from "node:child_process";

type Suite = { name: string; command: string; args: string[] };

const suites: Suite[] = [
  {
    name: "package imports (no package reaches into another by relative path)",
    command: "node",
    args: ["scripts/checkPackageImports.ts"],
  },
  { name: "solhint", command: "pnpm", args: ["run", "lint:sol"] },
  // One formatter for the TypeScript (biome.json); `pnpm exec biome format --write .` fixes what this reports.
  { name: "format (biome)", command: "pnpm", args: ["exec", "biome", "format", "."] },
  { name: "contracts (hardhat: solidity + mocha)", command: "pnpm", args: ["exec", "hardhat", "test"] },
  // After the contracts: `hardhat test` builds the typed contract bindings the contract tests import.
  { name: "typecheck (tsc, strict)", command: "pnpm", args: ["run", "typecheck"] },
  { name: "circuits", command: "pnpm", args: ["--filter", "@octo/circuits", "test"] },
  { name: "sdk", command: "pnpm", args: ["--filter", "@octo/sdk", "test"] },
  { name: "devnet", command: "pnpm", args: ["--filter", "@octo/devnet", "test"] },
  { name: "worker", command: "pnpm", args: ["--filter", "@octo/worker", "test"] },
  // The whole market under load and faults, short (worker/test/soak; the long run is `npm run bench`).
  { name: "soak", command: "pnpm", args: ["--filter", "@octo/worker", "run", "test:soak"] },
  { name: "indexer", command: "pnpm", args: ["--filter", "@octo/indexer", "test"] },
  { name: "gateway", command: "pnpm", args: ["--filter", "@octo/gateway", "test"] },
  // vitest: unit tests, then the app in headless Chromium (apt's `chromium`) against a local market and its build.
  { name: "web", command: "pnpm", args: ["--filter", "@octo/web", "test"] },
];

const only = process.argv.slice(2);
let passed = 0;
let failed = 0;
const failedSuites: string[] = [];

for (const suite of suites.filter((s) => only.length === 0 || only.some((o) => s.name.startsWith(o)))) {
  console.log(`\n=== ${suite.name} ===`);
  const { status, output } = await run(suite);
  const counts = countResults(output);
  passed += counts.passed;
  failed += counts.failed;
  if (status !== 0) {
    failedSuites.push(suite.name);
    if (counts.failed === 0) failed += 1; // a suite that crashed before reporting still counts as a failure
  }
}

/** Runs a suite with its output shown as it comes (CI logs show progress) and kept for the summary. */
function run(suite: Suite): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(suite.command, suite.args, { stdio: ["ignore", "pipe", "inherit"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    child.on("close", (status) => resolve({ status, output }));
  });
}

if (failedSuites.length > 0) console.log(`\nfailed suites: ${failedSuites.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedSuites.length > 0 ? 1 : 0);

/** Reads mocha's "N passing / N failing", Hardhat's Solidity "N passing / N failing" and vitest's
 *  "Tests  N failed | N passed (N)" summaries. */
function countResults(output: string): { passed: number; failed: number } {
  const plain = output.replace(/\x1b\[[0-9;]*m/g, "");
  const sum = (re: RegExp) => [...plain.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  // Hardhat prints each runner's summary and then a total ("104 passing (12 solidity, 92 mocha)"): count the total.
  const total = (word: string) => new RegExp(`^\\s*(\\d+) ${word} \\(\\d+ solidity, \\d+ mocha\\)`, "gm");
  if (total("passing").test(plain)) return { passed: sum(total("passing")), failed: sum(total("failing")) };
  const vitest = [...plain.matchAll(/^\s*Tests\s+(.*)\(\d+\)\s*$/gm)].map((m) => m[1]!);
  if (vitest.length > 0) {
    const count = (word: string) =>
      vitest.reduce((n, line) => n + Number(new RegExp(`(\\d+) ${word}`).exec(line)?.[1] ?? 0), 0);
    return { passed: count("passed"), failed: count("failed") };
  }
  return { passed: sum(/^\s*(\d+) passing\b/gm), failed: sum(/^\s*(\d+) failing\b/gm) };
}
