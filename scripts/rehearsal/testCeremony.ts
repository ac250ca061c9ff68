// A test ceremony for a deploy rehearsal: a real multi-contribution Groth16 phase 2 on the real circuit
// (circuits/src/main.circom), run with the project's own ceremony CLI (circuits/scripts/ceremony.ts) step by step as
// docs/ceremony.md says (init, two contributions, verify, finalize with a beacon), but written to a folder
// that git ignores, never to circuits/ceremonies/ or contracts/verifiers/. It is not a ceremony anyone may trust (one
// machine plays every part, and the phase-1 file is the committed development ptau, as no Perpetual Powers of Tau
// file can be downloaded here); it exists so that the Amoy and Polygon deploys can be rehearsed with a key that is
// not the development key (scripts/rehearseDeploy.ts).
//   node scripts/rehearsal/testCeremony.ts [--dir .data/rehearsal] [amoy] [polygon]
// A network whose finalized record is already in the folder is kept (≈ 15 min of CPU each on a quiet 2-core machine).
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

export type TestCeremonyPaths = {
  ceremoniesDir: string;
  verifiersDir: string;
  /** The provers' key: the final zkey. */
  finalZkey: string;
};

const ROOT = resolve(import.meta.dirname, "../..");
export const DEFAULT_REHEARSAL_DIR = join(ROOT, ".data", "rehearsal");
/** The phase-1 file: the committed development ptau stands in for a Perpetual Powers of Tau file. */
const PTAU = join(ROOT, "circuits", "keys", "dev_13.ptau");

export function testCeremonyPaths(network: string, dir: string = DEFAULT_REHEARSAL_DIR): TestCeremonyPaths {
  return {
    ceremoniesDir: join(dir, "ceremonies"),
    verifiersDir: join(dir, "verifiers"),
    finalZkey: join(dir, `${network}_final.zkey`),
  };
}

/** Whether `dir` holds a finalized test ceremony for `network`. */
export function hasTestCeremony(network: string, dir: string = DEFAULT_REHEARSAL_DIR): boolean {
  const { ceremoniesDir, finalZkey } = testCeremonyPaths(network, dir);
  const record = join(ceremoniesDir, `${network}.json`);
  return (
    existsSync(finalZkey) && existsSync(record) && JSON.parse(readFileSync(record, "utf8")).final?.verified === true
  );
}

/** Runs the whole ceremony for `network` into `dir` (replacing an unfinished one there). */
export function runTestCeremony(
  network: string,
  dir: string = DEFAULT_REHEARSAL_DIR,
  log = console.log,
): TestCeremonyPaths {
  const paths = testCeremonyPaths(network, dir);
  const { ceremoniesDir, verifiersDir, finalZkey } = paths;
  for (const f of [`${network}.json`, `${network}.verification_key.json`])
    rmSync(join(ceremoniesDir, f), { force: true });
  mkdirSync(ceremoniesDir, { recursive: true });
  mkdirSync(verifiersDir, { recursive: true });
  const zkey = (i: number) => join(dir, `${network}_000${i}.zkey`);
  const where = ["--ceremonies-dir", ceremoniesDir, "--verifiers-dir", verifiersDir];
  const step = (args: string[]) => {
    const started = Date.now();
    log(`ceremony ${args.join(" ")}`);
    const run = spawnSync(process.execPath, [join(ROOT, "circuits", "scripts", "ceremony.ts"), ...args], {
      cwd: ROOT,
      stdio: "inherit",
    });
    if (run.status !== 0) throw new Error(`ceremony ${args[0]} (${network}) failed with exit ${run.status}`);
    log(`ceremony ${args[0]} (${network}): ${((Date.now() - started) / 1000).toFixed(0)} s`);
  };
  // The ptau's header only: the committed dev ptau is verified in full by the circuits' own checks (checkArtifacts).
  step(["init", "--network", network, "--ptau", PTAU, "--out", zkey(0), "--ptau-check", "header", ...where]);
  step(["contribute", "--in", zkey(0), "--out", zkey(1), "--name", `${network} rehearsal contributor 1`]);
  step(["contribute", "--in", zkey(1), "--out", zkey(2), "--name", `${network} rehearsal contributor 2`]);
  // One verify after both contributions (the runbook verifies after each; the chain check is the same).
  step(["verify", "--network", network, "--ptau", PTAU, "--zkey", zkey(2), ...where]);
  // No public chain can be read here: the beacon is 32 fresh random bytes, named as such in the record.
  const beacon = randomBytes(32).toString("hex");
  step([
    "finalize",
    ...["--network", network, "--ptau", PTAU, "--zkey", zkey(2), "--out", finalZkey],
    ...["--beacon", beacon, "--beacon-source", "rehearsal: 32 random bytes (no public chain to name a block of)"],
    ...where,
  ]);
  // No `check`: it is the same `zkey verify` of the whole chain that finalize has just run (twice), and on a loaded
  // 2-core machine each takes about 20 minutes. The deploy modules' own record check runs at every deploy.
  for (const i of [0, 1, 2]) rmSync(zkey(i), { force: true });
  return paths;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { dir: { type: "string" } }, allowPositionals: true });
  const dir = resolve(values.dir ?? DEFAULT_REHEARSAL_DIR);
  for (const network of positionals.length > 0 ? positionals : ["amoy", "polygon"]) {
    if (hasTestCeremony(network, dir)) console.log(`${network}: finalized test ceremony already in ${dir}`);
    else runTestCeremony(network, dir);
  }
}
