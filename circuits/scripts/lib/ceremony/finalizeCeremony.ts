// The last step: a public beacon (a value nobody could know when the last contribution was made, named in advance,
// e.g. a future block hash) so that the last contributor cannot choose the final key; then `zkey verify` of the
// whole chain, the verification key, its circuitId and the network's verifier contract, all recorded.
// The beacon's randomness is public by design: the secrecy comes from the contributions before it.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import * as snarkjs from "snarkjs";
import { circuitIdOf } from "../circuitId.ts";
import { CEREMONIES_DIR, REPO_ROOT, VERIFIERS_DIR } from "../paths.ts";
import type { VerificationKeyJson } from "../renderResultVerifier.ts";
import { sha256File } from "../sha256File.ts";
import { toHex } from "../transcript.ts";
import { CeremonyError } from "./CeremonyError.ts";
import {
  ceremonyRecordPath,
  verificationKeyPath,
  verifierContractName,
  writeCeremonyRecord,
  type CeremonyRecord,
} from "./ceremonyRecord.ts";
import { MIN_CONTRIBUTIONS, renderNetworkVerifier } from "./networkVerifier.ts";
import { checkChain, loadRecord } from "./verifyCeremony.ts";

export type FinalizeCeremonyParameters = {
  network: string;
  r1cs: string;
  ptau: string;
  /** The last verified zkey. */
  zkey: string;
  /** Where the final zkey is written (the provers' key: publish it with its sha256). */
  zkeyOut: string;
  /** 32 bytes of hex (0x optional): the public value named in advance. */
  beaconHash: string;
  /** What the value is, e.g. "Polygon PoS block 71234567 hash". */
  beaconSource: string;
  /** 2^iterationsExp sha256 rounds over the beacon (10–63). */
  iterationsExp?: number;
  ceremoniesDir?: string;
  verifiersDir?: string;
  minContributions?: number;
};

export async function finalizeCeremony(p: FinalizeCeremonyParameters): Promise<CeremonyRecord> {
  const {
    network,
    r1cs,
    ptau,
    zkey,
    zkeyOut,
    beaconSource,
    iterationsExp = 10,
    ceremoniesDir = CEREMONIES_DIR,
    verifiersDir = VERIFIERS_DIR,
  } = p;
  const minContributions = p.minContributions ?? MIN_CONTRIBUTIONS;
  const path = ceremonyRecordPath(network, ceremoniesDir);
  const record = loadRecord(network, path);
  if (record.final) throw new CeremonyError("alreadyFinalized", `${network}'s ceremony is finalized`);
  const beaconHash = p.beaconHash.replace(/^0x/, "").toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(beaconHash))
    throw new CeremonyError("badBeacon", "the beacon must be 32 bytes of hex", p.beaconHash);
  if (beaconSource.trim() === "") throw new CeremonyError("badBeacon", "name the beacon's public source");
  if (!Number.isInteger(iterationsExp) || iterationsExp < 10 || iterationsExp > 63)
    throw new CeremonyError("badBeacon", `iterationsExp ${iterationsExp}`, "10 to 63");

  // The input must be exactly the chain that was verified and recorded: nothing unrecorded slips in before the beacon.
  const before = await checkChain({ record, r1cs, ptau, zkey });
  if (before.length !== record.contributions.length) {
    throw new CeremonyError(
      "transcriptMismatch",
      `${zkey} has ${before.length} contributions, the record ${record.contributions.length}`,
      "run `ceremony verify` on it first",
    );
  }
  if (record.contributions.length < minContributions) {
    throw new CeremonyError(
      "tooFewContributions",
      `${record.contributions.length} contribution(s), at least ${minContributions} needed`,
    );
  }

  const name = `final beacon: ${beaconSource}`;
  const hash = await snarkjs.zKey.beacon(zkey, zkeyOut, name, beaconHash, iterationsExp);
  if (hash === false) throw new CeremonyError("badBeacon", "snarkjs refused the beacon parameters");
  const after = await checkChain({ record, r1cs, ptau, zkey: zkeyOut });
  const last = after[after.length - 1];
  if (
    after.length !== record.contributions.length + 1 ||
    last?.hash !== toHex(hash) ||
    last.beacon?.hash !== `0x${beaconHash}` ||
    last.beacon.iterationsExp !== iterationsExp
  ) {
    throw new CeremonyError("transcriptMismatch", "the final zkey's last contribution is not the beacon just applied");
  }

  const vkPath = verificationKeyPath(network, ceremoniesDir);
  const vk = (await snarkjs.zKey.exportVerificationKey(zkeyOut)) as VerificationKeyJson;
  writeFileSync(vkPath, JSON.stringify(vk, null, 1) + "\n");
  const circuitId = circuitIdOf(readFileSync(vkPath));
  const contract = verifierContractName(network);
  mkdirSync(verifiersDir, { recursive: true });
  const verifierPath = join(verifiersDir, `${contract}.sol`);
  writeFileSync(verifierPath, renderNetworkVerifier({ network, vk, circuitId, vkPath }));

  const zkeySha256 = sha256File(zkeyOut);
  record.final = {
    beacon: { hash: `0x${beaconHash}`, iterationsExp, source: beaconSource },
    contributionHash: toHex(hash),
    zkeySha256,
    verified: true,
    verificationKey: relative(REPO_ROOT, vkPath),
    circuitId,
    verifier: { contract, path: relative(REPO_ROOT, verifierPath), sha256: sha256File(verifierPath) },
  };
  record.events.push({
    at: new Date().toISOString(),
    step: "finalize",
    zkeySha256,
    note: `${name}; zkey verify of the whole chain passed`,
  });
  writeCeremonyRecord(path, record);
  return record;
}
