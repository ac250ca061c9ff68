// The coordinator's (or anyone's) check after each contribution: `snarkjs zkey verify` of the latest zkey against
// the circuit and the ceremony's ptau, and the chain it prints must extend the chain already recorded (no one may
// rewrite history). Records the new contributions.
import { basename } from "node:path";
import { CEREMONIES_DIR } from "../paths.ts";
import { sha256File } from "../sha256File.ts";
import { verifyZkey, type SetupContribution } from "../verifySetup.ts";
import { CeremonyError } from "./CeremonyError.ts";
import { ceremonyRecordPath, readCeremonyRecord, writeCeremonyRecord, type CeremonyRecord } from "./ceremonyRecord.ts";

export type VerifyCeremonyParameters = {
  network: string;
  r1cs: string;
  ptau: string;
  zkey: string;
  ceremoniesDir?: string;
};

export async function verifyCeremony({
  network,
  r1cs,
  ptau,
  zkey,
  ceremoniesDir = CEREMONIES_DIR,
}: VerifyCeremonyParameters): Promise<CeremonyRecord> {
  const path = ceremonyRecordPath(network, ceremoniesDir);
  const record = loadRecord(network, path);
  if (record.final)
    throw new CeremonyError(
      "alreadyFinalized",
      `${network}'s ceremony is finalized`,
      "check the final zkey with `ceremony check`",
    );
  const chain = await checkChain({ record, r1cs, ptau, zkey });
  if (chain.some((c) => c.beacon))
    throw new CeremonyError(
      "transcriptMismatch",
      "a beacon before finalize",
      "the beacon is the last step: `ceremony finalize`",
    );
  const zkeySha256 = sha256File(zkey);
  const known = record.contributions.length;
  record.contributions = [
    ...record.contributions,
    ...chain
      .slice(known)
      .map((c, i, added) => ({ ...c, zkeySha256: i === added.length - 1 ? zkeySha256 : "(not checked separately)" })),
  ];
  record.events.push({
    at: new Date().toISOString(),
    step: "verify",
    zkeySha256,
    note: `zkey verify ${basename(zkey)}: ${chain.length} contribution(s)`,
  });
  writeCeremonyRecord(path, record);
  return record;
}

export function loadRecord(network: string, path: string): CeremonyRecord {
  const record = readCeremonyRecord(path);
  if (!record)
    throw new CeremonyError(
      "recordMissing",
      `no ceremony record for ${network}`,
      `${path}: run \`ceremony init\` first`,
    );
  return record;
}

/** zkey verify, with the ptau and r1cs the record names, and a chain that starts with the recorded one. */
export async function checkChain({
  record,
  r1cs,
  ptau,
  zkey,
}: {
  record: CeremonyRecord;
  r1cs: string;
  ptau: string;
  zkey: string;
}): Promise<SetupContribution[]> {
  const ptauSha = sha256File(ptau);
  if (ptauSha !== record.ptau.sha256)
    throw new CeremonyError(
      "ptauMismatch",
      `${ptau} is not the ceremony's ptau`,
      `sha256 ${ptauSha}, recorded ${record.ptau.sha256}`,
    );
  const r1csSha = sha256File(r1cs);
  if (r1csSha !== record.circuit.r1csSha256)
    throw new CeremonyError(
      "circuitMismatch",
      `${r1cs} is not the ceremony's circuit`,
      `sha256 ${r1csSha}, recorded ${record.circuit.r1csSha256}`,
    );
  const result = await verifyZkey({ r1cs, ptau, zkey });
  if (!result.valid)
    throw new CeremonyError(
      "invalidZkey",
      `snarkjs zkey verify rejects ${zkey}`,
      result.log.filter((l) => l.startsWith("error")).join("; "),
    );
  record.contributions.forEach((c, i) => {
    const got = result.contributions[i];
    if (got?.hash !== c.hash) {
      throw new CeremonyError(
        "transcriptMismatch",
        `contribution #${i + 1} differs from the record`,
        `recorded ${c.name} ${c.hash}, zkey has ${got ? `${got.name} ${got.hash}` : "nothing"}`,
      );
    }
  });
  return result.contributions;
}
