// Puts a test ceremony (scripts/rehearsal/testCeremony.ts) where the Amoy and Polygon deploy modules read a network's
// ceremony: the record and the verification key in circuits/ceremonies/, the verifier rendered from that key in
// contracts/verifiers/ (where Hardhat compiles it). The verifier is rendered again for its new place, exactly as
// `ceremony finalize` would have written it there, so the modules' own check (checkCeremonyRecord) is what accepts
// it, unchanged. Refuses to overwrite anything: a network with a real ceremony is not rehearsed over it. The returned
// function takes the files away again (they are never committed).
import { copyFileSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import {
  CEREMONIES_DIR,
  circuitIdOf,
  renderNetworkVerifier,
  type CeremonyRecord,
  type VerificationKeyJson,
} from "@octo/circuits/ceremony/testing";
import { testCeremonyPaths } from "./testCeremony.ts";

const ROOT = resolve(import.meta.dirname, "../..");
const VERIFIERS_DIR = join(ROOT, "contracts", "verifiers");

export type InstallCeremonyParameters = { network: string; dir?: string };
export type InstallCeremonyReturnType = { circuitId: `0x${string}`; contract: string; uninstall: () => void };

export function installCeremony({ network, dir }: InstallCeremonyParameters): InstallCeremonyReturnType {
  const from = testCeremonyPaths(network, dir);
  const record = JSON.parse(readFileSync(join(from.ceremoniesDir, `${network}.json`), "utf8")) as CeremonyRecord;
  if (!record.final?.verified) throw new Error(`the test ceremony for ${network} is not finalized`);
  const contract = record.final.verifier.contract;
  const targets = {
    record: join(CEREMONIES_DIR, `${network}.json`),
    vk: join(CEREMONIES_DIR, `${network}.verification_key.json`),
    verifier: join(VERIFIERS_DIR, `${contract}.sol`),
  };
  for (const path of Object.values(targets))
    if (existsSync(path))
      throw new Error(`${relative(ROOT, path)} exists: a rehearsal never overwrites a network's ceremony files`);

  const installed: string[] = [];
  const uninstall = () => {
    for (const path of installed) rmSync(path, { force: true });
  };
  try {
    copyFileSync(join(from.ceremoniesDir, `${network}.verification_key.json`), targets.vk);
    installed.push(targets.vk);
    const vkRaw = readFileSync(targets.vk);
    const circuitId = circuitIdOf(vkRaw);
    if (circuitId !== record.final.circuitId) throw new Error(`${network}'s test key is not the one its record names`);
    const vk = JSON.parse(vkRaw.toString("utf8")) as VerificationKeyJson;
    writeFileSync(targets.verifier, renderNetworkVerifier({ network, vk, circuitId, vkPath: targets.vk }));
    installed.push(targets.verifier);
    // The record's paths say where finalize would have put the files in place.
    const final = {
      ...record.final,
      verificationKey: relative(ROOT, targets.vk),
      verifier: { ...record.final.verifier, path: relative(ROOT, targets.verifier) },
    };
    writeFileSync(targets.record, JSON.stringify({ ...record, final }, null, 2) + "\n");
    installed.push(targets.record);
    return { circuitId, contract, uninstall };
  } catch (error) {
    uninstall();
    throw error;
  }
}
