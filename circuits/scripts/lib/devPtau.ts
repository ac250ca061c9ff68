// Development powers of tau: generated locally and deterministically (a fresh accumulator, one public beacon
// contribution with a fixed hash, then phase-2 preparation). Never downloaded. NOT for production: anyone can
// recompute the toxic waste from the beacon hash. The production ceremony is described in circuits/README.md.
import { existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import * as snarkjs from "snarkjs";

/** 2^13 = 8192 constraints, enough for the ~6.6k-constraint chunk circuit. */
export const PTAU_POWER = 13;
/** Fixed, public beacon: makes the file reproducible (and its trapdoor public: development only). */
export const PTAU_BEACON_HASH = "6f63746f2f76312f6465762d70746175000000000000000000000000000000aa";
export const PTAU_BEACON_ITERATIONS_EXP = 10;

/** Returns the path of the prepared phase-2 ptau under `dir`, building (and caching) it when missing. */
export async function ensureDevPtau(dir: string): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const final = join(dir, `dev_${PTAU_POWER}_final.ptau`);
  if (existsSync(final)) return final;
  const p0 = join(dir, `dev_${PTAU_POWER}_0000.ptau`);
  const p1 = join(dir, `dev_${PTAU_POWER}_beacon.ptau`);
  const tmp = `${final}.partial`;
  const curve = await snarkjs.curves.getCurveFromName("bn128");
  console.log(`ptau: new accumulator 2^${PTAU_POWER}`);
  await snarkjs.powersOfTau.newAccumulator(curve, PTAU_POWER, p0);
  console.log("ptau: beacon contribution");
  await snarkjs.powersOfTau.beacon(p0, p1, "octo dev beacon", PTAU_BEACON_HASH, PTAU_BEACON_ITERATIONS_EXP);
  console.log("ptau: prepare phase 2 (minutes)");
  const t = Date.now();
  await snarkjs.powersOfTau.preparePhase2(p1, tmp);
  renameSync(tmp, final);
  rmSync(p0);
  rmSync(p1);
  console.log(`ptau: ready in ${((Date.now() - t) / 1000).toFixed(0)} s -> ${final}`);
  return final;
}
