// Step 1 of a network's phase-2 ceremony: check the deployer's phase-1 file (a Perpetual Powers of Tau file, which
// cannot be downloaded here), then `groth16 setup` the circuit over it and open the network's record.
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import { basename, dirname } from "node:path";
import * as snarkjs from "snarkjs";
import { CEREMONIES_DIR } from "../paths.ts";
import { sha256File } from "../sha256File.ts";
import { readPtauHeader, verifyPtau, type SetupContribution } from "../verifySetup.ts";
import { CeremonyError } from "./CeremonyError.ts";
import { ceremonyRecordPath, NETWORK_NAME, writeCeremonyRecord, type CeremonyRecord } from "./ceremonyRecord.ts";

export type InitCeremonyParameters = {
  network: string;
  /** The deployer's prepared phase-1 file (bn128, power ≥ what the circuit needs). */
  ptau: string;
  /** The circuit's r1cs (the CLI compiles circuits/src/main.circom and checks it against keys/artifacts.json). */
  r1cs: string;
  /** Where the initial zkey (no contribution yet) is written. */
  zkeyOut: string;
  /** "full": `snarkjs powersoftau verify` (minutes for a large file); "header": curve and power only. */
  checkPtau?: "full" | "header";
  ceremoniesDir?: string;
  circuitSource?: string;
  log?: (message: string) => void;
};

export async function initCeremony(p: InitCeremonyParameters): Promise<CeremonyRecord> {
  const { network, ptau, r1cs, zkeyOut, checkPtau = "full", ceremoniesDir = CEREMONIES_DIR, log = () => {} } = p;
  if (!NETWORK_NAME.test(network))
    throw new CeremonyError("badNetworkName", `bad network name "${network}"`, `expected ${NETWORK_NAME}`);
  const recordPath = ceremonyRecordPath(network, ceremoniesDir);
  if (existsSync(recordPath)) {
    throw new CeremonyError(
      "recordExists",
      `${network} already has a ceremony record`,
      `${recordPath}: a network's ceremony is opened once; remove it by a reviewed commit to restart`,
    );
  }

  const info = await snarkjs.r1cs.info(r1cs);
  const needed = Math.ceil(Math.log2(info.nConstraints + info.nPubInputs + info.nOutputs + 1));
  const header = readPtauHeader(ptau);
  if (header.curve !== "bn128") throw new CeremonyError("badPtau", `${ptau} is not a bn128 ptau`);
  if (header.power < needed)
    throw new CeremonyError("badPtau", `${ptau} has power ${header.power}`, `the circuit needs 2^${needed}`);
  if (!header.prepared)
    throw new CeremonyError(
      "badPtau",
      `${ptau} is not prepared for phase 2`,
      "run snarkjs powersoftau prepare phase2 (or take the file's _final/prepared version)",
    );

  let contributions: SetupContribution[] = [];
  if (checkPtau === "full") {
    log(`powersoftau verify ${ptau} (2^${header.power})`);
    const checked = await verifyPtau({ ptau });
    if (!checked.valid)
      throw new CeremonyError(
        "badPtau",
        `${ptau} fails powersoftau verify`,
        checked.log.filter((l) => l.startsWith("error")).join("; "),
      );
    contributions = checked.contributions;
  }

  log("groth16 setup");
  mkdirSync(dirname(zkeyOut), { recursive: true });
  await snarkjs.zKey.newZKey(r1cs, ptau, zkeyOut);
  const zkeySha256 = sha256File(zkeyOut);
  const record: CeremonyRecord = {
    network,
    circuit: {
      source: p.circuitSource ?? basename(r1cs),
      r1csSha256: sha256File(r1cs),
      constraints: info.nConstraints,
    },
    ptau: {
      name: basename(ptau),
      sha256: sha256File(ptau),
      blake2b512: await blake2b512File(ptau),
      power: header.power,
      checked: checkPtau === "full" ? "powersoftau verify" : "header",
      contributions,
    },
    initialZkeySha256: zkeySha256,
    contributions: [],
    events: [{ at: new Date().toISOString(), step: "init", zkeySha256, note: `groth16 setup over ${basename(ptau)}` }],
  };
  mkdirSync(ceremoniesDir, { recursive: true });
  writeCeremonyRecord(recordPath, record);
  return record;
}

async function blake2b512File(path: string): Promise<string> {
  const hash = createHash("blake2b512");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}
