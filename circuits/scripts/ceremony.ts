// The phase-2 ceremony of a public network (docs/ceremony.md is the runbook):
//   node circuits/scripts/ceremony.ts init       --network amoy --ptau <ppot.ptau> --out amoy_0000.zkey [--ptau-check header]
//   node circuits/scripts/ceremony.ts contribute --in amoy_0000.zkey --out amoy_0001.zkey --name "<who>"
//   node circuits/scripts/ceremony.ts verify     --network amoy --ptau <ppot.ptau> --zkey amoy_0001.zkey
//   node circuits/scripts/ceremony.ts finalize   --network amoy --ptau <ppot.ptau> --zkey amoy_000N.zkey --out amoy_final.zkey
//                                                --beacon <32-byte hex> --beacon-source "<what the value is>" [--iterations 10]
//   node circuits/scripts/ceremony.ts check      --network amoy --ptau <ppot.ptau> --zkey amoy_final.zkey
// init, verify, finalize and check compile circuits/src/main.circom and require the r1cs keys/artifacts.json records
// (or take --r1cs). The record is circuits/ceremonies/<network>.json; finalize also writes
// circuits/ceremonies/<network>.verification_key.json and contracts/verifiers/<Network>ResultVerifier.sol.
// --ceremonies-dir and --verifiers-dir put the record, the key and the verifier elsewhere (a rehearsal's test
// ceremony, kept out of git: scripts/rehearsal/testCeremony.ts).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  checkCeremony,
  contributeCeremony,
  finalizeCeremony,
  initCeremony,
  verifyCeremony,
} from "./lib/ceremony/index.ts";
import { CeremonyError } from "./lib/ceremony/CeremonyError.ts";
import { compileCircuit } from "./lib/compileCircuit.ts";
import { readDevManifest } from "./lib/devManifest.ts";
import { MAIN_CIRCOM } from "./lib/paths.ts";
import { sha256File } from "./lib/sha256File.ts";

const [command, ...rest] = process.argv.slice(2);
const { values: o } = parseArgs({
  args: rest,
  options: {
    network: { type: "string" },
    ptau: { type: "string" },
    "ptau-check": { type: "string", default: "full" },
    r1cs: { type: "string" },
    in: { type: "string" },
    out: { type: "string" },
    zkey: { type: "string" },
    name: { type: "string" },
    beacon: { type: "string" },
    "beacon-source": { type: "string" },
    iterations: { type: "string", default: "10" },
    "ceremonies-dir": { type: "string" },
    "verifiers-dir": { type: "string" },
  },
});
const need = (key: keyof typeof o): string => {
  const v = o[key];
  if (typeof v !== "string" || v === "") usage(`--${key} is required`);
  return v as string;
};
const log = (m: string) => console.log(`ceremony: ${m}`);
// Only the folders given: the library's defaults (circuits/ceremonies, contracts/verifiers) stand otherwise.
const dirs = {
  ...(o["ceremonies-dir"] ? { ceremoniesDir: o["ceremonies-dir"] } : {}),
  ...(o["verifiers-dir"] ? { verifiersDir: o["verifiers-dir"] } : {}),
};

const tmp = mkdtempSync(join(tmpdir(), "octo-ceremony-"));
try {
  switch (command) {
    case "init": {
      const check = o["ptau-check"];
      if (check !== "full" && check !== "header") usage("--ptau-check is full or header");
      const record = await initCeremony({
        network: need("network"),
        ptau: need("ptau"),
        r1cs: await r1cs(),
        zkeyOut: need("out"),
        checkPtau: check,
        circuitSource: "circuits/src/main.circom",
        ...dirs,
        log,
      });
      log(
        `opened ${record.network}: ptau ${record.ptau.name} (2^${record.ptau.power}, ${record.ptau.checked}), initial zkey sha256 ${record.initialZkeySha256}`,
      );
      break;
    }
    case "contribute": {
      log(
        "contributing with fresh entropy (crypto.randomBytes + snarkjs); it is never written and is gone when this process exits",
      );
      const { contributionHash, zkeySha256 } = await contributeCeremony({
        zkeyIn: need("in"),
        zkeyOut: need("out"),
        name: need("name"),
      });
      console.log(`contribution hash (publish it): ${contributionHash}\nnew zkey sha256: ${zkeySha256}`);
      break;
    }
    case "verify": {
      const record = await verifyCeremony({
        network: need("network"),
        r1cs: await r1cs(),
        ptau: need("ptau"),
        zkey: need("zkey"),
        ...dirs,
      });
      for (const c of record.contributions) log(`#${c.index} ${c.name}: ${c.hash}`);
      log(`zkey verify OK: ${record.contributions.length} contribution(s) recorded`);
      break;
    }
    case "finalize": {
      const record = await finalizeCeremony({
        network: need("network"),
        r1cs: await r1cs(),
        ptau: need("ptau"),
        zkey: need("zkey"),
        zkeyOut: need("out"),
        beaconHash: need("beacon"),
        beaconSource: need("beacon-source"),
        iterationsExp: Number(o.iterations),
        ...dirs,
      });
      log(
        `finalized ${record.network}: circuitId ${record.final?.circuitId}; verifier ${record.final?.verifier.path}; final zkey sha256 ${record.final?.zkeySha256}`,
      );
      break;
    }
    case "check": {
      const record = await checkCeremony({
        network: need("network"),
        r1cs: await r1cs(),
        ptau: need("ptau"),
        zkey: need("zkey"),
        ...dirs,
      });
      log(
        `${record.network} OK: zkey verify of the whole chain, ${record.contributions.length} contributions + beacon, circuitId ${record.final?.circuitId}`,
      );
      break;
    }
    default:
      usage(`unknown command ${command ?? "(none)"}`);
  }
} catch (e) {
  if (!(e instanceof CeremonyError)) throw e;
  console.error(`ceremony refused (${e.reason}): ${e.message}`);
  process.exitCode = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(process.exitCode ?? 0);

/** The r1cs the ceremony is for: --r1cs, or a fresh compile of the committed circuit, which must match keys/artifacts.json. */
async function r1cs(): Promise<string> {
  if (o.r1cs) return o.r1cs;
  log("compiling circuits/src/main.circom");
  const compiled = await compileCircuit({ source: MAIN_CIRCOM, outDir: tmp });
  const expected = readDevManifest().sha256.r1cs;
  if (sha256File(compiled.r1cs) !== expected)
    throw new CeremonyError(
      "circuitMismatch",
      "the compiled circuit is not the one keys/artifacts.json records",
      "run node circuits/scripts/build.ts first",
    );
  return compiled.r1cs;
}

function usage(message: string): never {
  console.error(`${message}\nusage: see the header of circuits/scripts/ceremony.ts, or docs/ceremony.md`);
  process.exit(2);
}
