// keys/artifacts.json: what scripts/build.ts made, its hashes, and the transcript of the development setup.
import { readFileSync } from "node:fs";
import { KEYS } from "./paths.ts";
import type { SetupContribution } from "./verifySetup.ts";

export type DevManifest = {
  circuit: string;
  constraints: number;
  /** keccak256 of keys/verification_key.json: the dev key's id, which the Amoy and Polygon deploys refuse. */
  circuitId: `0x${string}`;
  setup: {
    kind: string;
    /** The command that re-checks the setup. */
    check: string;
    ptau: { file: string; power: number; contributions: SetupContribution[] };
    zkey: { contributions: SetupContribution[] };
  };
  sha256: Record<string, string>;
};

export function readDevManifest(path: string = KEYS.manifest): DevManifest {
  return JSON.parse(readFileSync(path, "utf8")) as DevManifest;
}
