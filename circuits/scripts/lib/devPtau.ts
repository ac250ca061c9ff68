// Development powers of tau: a fresh accumulator, ONE contribution whose entropy comes from crypto.randomBytes (and
// snarkjs's own randomness) and is never written anywhere, then phase-2 preparation. τ, α and β are therefore known
// to nobody, unless the one machine that ran this kept its memory. No beacon: a public beacon as the only
// contribution would make τ recomputable. Production uses a public Perpetual Powers of Tau instead (docs/ceremony.md).
import { randomBytes } from "node:crypto";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import * as snarkjs from "snarkjs";
import { toHex } from "./transcript.ts";

/** 2^13 = 8192 constraints, enough for the 6,210-constraint chunk circuit. */
export const DEV_PTAU_POWER = 13;
export const DEV_PTAU_CONTRIBUTOR = "octo dev ptau (fresh entropy, discarded)";

export type MakeDevPtauParameters = {
  /** Where the prepared (phase-2 ready) ptau is written. */
  path: string;
  power?: number;
  log?: (message: string) => void;
};
export type MakeDevPtauReturnType = {
  path: string;
  power: number;
  name: string;
  /** blake2b-512 of the response snarkjs prints for the contribution ("Contribution Response Hash"). */
  contributionHash: `0x${string}`;
};

export async function makeDevPtau({
  path,
  power = DEV_PTAU_POWER,
  log = () => {},
}: MakeDevPtauParameters): Promise<MakeDevPtauReturnType> {
  mkdirSync(dirname(path), { recursive: true });
  const p0 = `${path}.0000`;
  const p1 = `${path}.0001`;
  const tmp = `${path}.partial`;
  try {
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    log(`ptau: new accumulator 2^${power}`);
    await snarkjs.powersOfTau.newAccumulator(curve, power, p0);
    log("ptau: contribution with fresh entropy (not stored)");
    const hash = await snarkjs.powersOfTau.contribute(p0, p1, DEV_PTAU_CONTRIBUTOR, randomBytes(64).toString("hex"));
    log("ptau: prepare phase 2 (minutes)");
    await snarkjs.powersOfTau.preparePhase2(p1, tmp);
    renameSync(tmp, path);
    return { path, power, name: DEV_PTAU_CONTRIBUTOR, contributionHash: toHex(hash) };
  } finally {
    for (const f of [p0, p1, tmp]) rmSync(f, { force: true });
  }
}
