// Anyone's full re-check of a finalized ceremony: the final zkey is the recorded one, `snarkjs zkey verify` accepts
// it against the circuit and the ptau, its chain is exactly the recorded contributions and then the recorded beacon,
// the committed verification key is the one it exports, and the deploy-time checks pass (checkCeremonyRecord).
import { readFileSync } from "node:fs";
import * as snarkjs from "snarkjs";
import { CEREMONIES_DIR } from "../paths.ts";
import { sha256File } from "../sha256File.ts";
import { CeremonyError } from "./CeremonyError.ts";
import { ceremonyRecordPath, verificationKeyPath, type CeremonyRecord } from "./ceremonyRecord.ts";
import { checkCeremonyRecord, type CheckCeremonyRecordParameters } from "./checkCeremonyRecord.ts";
import { checkChain, loadRecord } from "./verifyCeremony.ts";

export type CheckCeremonyParameters = CheckCeremonyRecordParameters & { r1cs: string; ptau: string; zkey: string };

export async function checkCeremony(p: CheckCeremonyParameters): Promise<CeremonyRecord> {
  const { network, r1cs, ptau, zkey, ceremoniesDir = CEREMONIES_DIR } = p;
  const record = loadRecord(network, ceremonyRecordPath(network, ceremoniesDir));
  const final = record.final;
  if (!final) throw new CeremonyError("notFinalized", `${network}'s ceremony is not finalized`);
  const sha = sha256File(zkey);
  if (sha !== final.zkeySha256)
    throw new CeremonyError(
      "transcriptMismatch",
      `${zkey} is not the final zkey`,
      `sha256 ${sha}, recorded ${final.zkeySha256}`,
    );
  const chain = await checkChain({ record, r1cs, ptau, zkey });
  const last = chain[chain.length - 1];
  if (
    chain.length !== record.contributions.length + 1 ||
    last?.hash !== final.contributionHash ||
    last.beacon?.hash !== final.beacon.hash ||
    last.beacon.iterationsExp !== final.beacon.iterationsExp
  ) {
    throw new CeremonyError(
      "transcriptMismatch",
      "the final zkey's chain is not the recorded contributions followed by the recorded beacon",
    );
  }
  const exported = JSON.stringify(await snarkjs.zKey.exportVerificationKey(zkey), null, 1) + "\n";
  if (exported !== readFileSync(verificationKeyPath(network, ceremoniesDir), "utf8")) {
    throw new CeremonyError("keyMismatch", "the committed verification key is not the final zkey's");
  }
  checkCeremonyRecord(p);
  return record;
}
