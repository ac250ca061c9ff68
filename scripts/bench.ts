// Runs every `*.bench.ts` in the workspace, each in its own process, and merges their figures into
// bench/results.json (flat dotted keys) plus a readable bench/results.md table.
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const roots = ["circuits", "contracts", "test", "worker", "indexer", "web", "gateway", "scripts"].map((d) =>
  join(root, d),
);
const only = process.argv.slice(2);

const files = roots.flatMap((d) => findBenches(d)).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
mkdirSync(join(root, "bench"), { recursive: true });
const resultsPath = join(root, "bench", "results.json");
const results: Record<string, number> =
  existsSync(resultsPath) && only.length > 0 ? JSON.parse(readFileSync(resultsPath, "utf8")) : {};
let failures = 0;

// The worker's and the scripts' benchmarks deploy the Hardhat build: build it first (a no-op when it is current), as
// `npm start` does, so that any one benchmark runs on a clean clone.
console.log("=== hardhat build ===");
if (spawnSync("pnpm", ["exec", "hardhat", "build", "--quiet"], { cwd: root, stdio: "inherit" }).status !== 0)
  process.exit(1);

for (const file of files) {
  const out = join(root, "bench", `.partial-${process.pid}.jsonl`);
  rmSync(out, { force: true });
  console.log(`\n=== ${relative(root, file)} ===`);
  const run = spawnSync(process.execPath, [file], {
    stdio: "inherit",
    env: { ...process.env, OCTO_BENCH_OUT: out },
    cwd: root,
  });
  if (run.status !== 0) {
    failures++;
    console.error(`benchmark failed: ${relative(root, file)}`);
  }
  if (existsSync(out)) {
    for (const line of readFileSync(out, "utf8").split("\n").filter(Boolean)) Object.assign(results, JSON.parse(line));
    rmSync(out);
  }
}

const sorted = Object.fromEntries(Object.entries(results).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(resultsPath, JSON.stringify(sorted, null, 2) + "\n");
const table = [
  "| figure | value |",
  "| --- | --- |",
  ...Object.entries(sorted).map(([k, v]) => `| ${k} | ${v} |`),
].join("\n");
writeFileSync(join(root, "bench", "results.md"), table + "\n");
console.log(`\n${table}\n\nwritten: bench/results.json, bench/results.md`);
process.exit(failures > 0 ? 1 : 0);

function findBenches(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name === "node_modules" || e.name.startsWith(".")) return [];
    const p = join(dir, e.name);
    return e.isDirectory() ? findBenches(p) : e.name.endsWith(".bench.ts") ? [p] : [];
  });
}
