// circuits/ceremonies/<network>.json: the transcript of one network's phase-2 ceremony, written only by the ceremony
// commands (scripts/ceremony.ts), never by hand. It holds hashes and public values, no secret: the phase-1 file
// used, the circuit, every contribution's hash in chain order, the final beacon, and the verification key, its
// circuitId and the verifier rendered from it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SetupContribution } from "../verifySetup.ts";
import { CEREMONIES_DIR } from "../paths.ts";

export type CeremonyEvent = {
  at: string;
  step: "init" | "verify" | "finalize";
  /** sha256 of the zkey the step produced or checked. */
  zkeySha256: string;
  note: string;
};

export type CeremonyRecord = {
  network: string;
  circuit: { source: string; r1csSha256: string; constraints: number };
  ptau: {
    /** The file name the deployer gave (e.g. a Perpetual Powers of Tau file). */
    name: string;
    sha256: string;
    /** What the Perpetual Powers of Tau lists publish (b2sum). */
    blake2b512: string;
    power: number;
    /** "powersoftau verify" when the whole file was verified; "header" when only its curve and power were read. */
    checked: "powersoftau verify" | "header";
    /** Its phase-1 contributions, as powersoftau verify printed them (empty when only the header was read). */
    contributions: SetupContribution[];
  };
  initialZkeySha256: string;
  /** Phase-2 contributions, in chain order, as the last `verify` checked them (beacon excluded until finalize). */
  contributions: (SetupContribution & { zkeySha256: string })[];
  final?: {
    beacon: { hash: `0x${string}`; iterationsExp: number; source: string };
    contributionHash: `0x${string}`;
    zkeySha256: string;
    /** true once `snarkjs zkey verify` accepted the final zkey against the circuit and the ptau. */
    verified: boolean;
    /** Repo-relative paths. */
    verificationKey: string;
    circuitId: `0x${string}`;
    verifier: { contract: string; path: string; sha256: string };
  };
  events: CeremonyEvent[];
};

export function ceremonyRecordPath(network: string, dir: string = CEREMONIES_DIR): string {
  return join(dir, `${network}.json`);
}

export function verificationKeyPath(network: string, dir: string = CEREMONIES_DIR): string {
  return join(dir, `${network}.verification_key.json`);
}

/** "amoy" → "AmoyResultVerifier": the generated contract a network deploys. */
export function verifierContractName(network: string): string {
  return `${network.replace(/(^|[-_])([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}ResultVerifier`;
}

export function readCeremonyRecord(path: string): CeremonyRecord | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as CeremonyRecord) : undefined;
}

export function writeCeremonyRecord(path: string, record: CeremonyRecord): void {
  writeFileSync(path, JSON.stringify(record, null, 2) + "\n");
}

export const NETWORK_NAME = /^[a-z][a-z0-9-]{0,31}$/;
