// Deploys to public networks take only a verifier from that network's checked ceremony: without a record they refuse,
// and the development key they refuse outright, whatever the record claims.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { expect } from "chai";
import {
  renderNetworkVerifier,
  circuitIdOf,
  readDevManifest,
  CEREMONIES_DIR,
  KEYS,
  type CeremonyErrorReason,
  type CeremonyRecord,
  type VerificationKeyJson,
} from "@octo/circuits/ceremony/testing";
import { ceremonyVerifier } from "../../../ignition/modules/ceremonyVerifier.ts";

function refusal(build: () => unknown): CeremonyErrorReason | undefined {
  try {
    build();
  } catch (e) {
    return (e as { reason?: CeremonyErrorReason }).reason;
  }
  return undefined;
}

/** A finalized record for `network` in a fresh folder, carrying `vk` (written with the build's formatting). */
function writeCeremony(network: string, vkText: string) {
  const dir = mkdtempSync(join(tmpdir(), "octo-ignition-ceremony-"));
  const ceremoniesDir = join(dir, "ceremonies");
  const verifiersDir = join(dir, "verifiers");
  mkdirSync(ceremoniesDir);
  mkdirSync(verifiersDir);
  const vkPath = join(ceremoniesDir, `${network}.verification_key.json`);
  writeFileSync(vkPath, vkText);
  const circuitId = circuitIdOf(readFileSync(vkPath));
  const contract = `${network[0]!.toUpperCase()}${network.slice(1)}ResultVerifier`;
  writeFileSync(
    join(verifiersDir, `${contract}.sol`),
    renderNetworkVerifier({ network, vk: JSON.parse(vkText) as VerificationKeyJson, circuitId, vkPath }),
  );
  const h = (c: string) => `0x${c.repeat(128)}` as const;
  const record: CeremonyRecord = {
    network,
    circuit: {
      source: "circuits/src/main.circom",
      r1csSha256: readDevManifest().sha256.r1cs!,
      constraints: readDevManifest().constraints,
    },
    ptau: {
      name: "ppot_0080_13.ptau",
      sha256: "00",
      blake2b512: "00",
      power: 13,
      checked: "powersoftau verify",
      contributions: [],
    },
    initialZkeySha256: "00",
    contributions: [
      { index: 1, name: "alice", hash: h("a"), zkeySha256: "01" },
      { index: 2, name: "bob", hash: h("b"), zkeySha256: "02" },
    ],
    final: {
      beacon: { hash: `0x${"c".repeat(64)}`, iterationsExp: 10, source: "block hash" },
      contributionHash: h("d"),
      zkeySha256: "03",
      verified: true,
      verificationKey: vkPath,
      circuitId,
      verifier: { contract, path: `contracts/verifiers/${contract}.sol`, sha256: "04" },
    },
    events: [],
  };
  writeFileSync(join(ceremoniesDir, `${network}.json`), JSON.stringify(record, null, 2));
  return { dir, ceremoniesDir, verifiersDir, circuitId, contract };
}

const moduleWith = (network: string, dirs: { ceremoniesDir: string; verifiersDir: string }) =>
  buildModule("CeremonyVerifierTest", (m) => ({ resultVerifier: ceremonyVerifier(m, { network, ...dirs }) }));

describe("ignition: ceremonyVerifier", () => {
  const devVk = readFileSync(KEYS.verificationKey, "utf8");
  const dirs: string[] = [];
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  for (const [file, network] of [
    ["OctoTestnet", "amoy"],
    ["OctoPolygon", "polygon"],
  ] as const) {
    it(`${file} refuses to build without ${network}'s ceremony record (and builds with the ceremony's verifier when there is one)`, async () => {
      if (existsSync(join(CEREMONIES_DIR, `${network}.json`))) {
        const { default: module } = (await import(`../../../ignition/modules/${file}.ts`)) as {
          default: { results: Record<string, { contractName: string }> };
        };
        expect(module.results.resultVerifier!.contractName).to.not.equal("ResultVerifier");
        return;
      }
      let reason: string | undefined;
      await import(`../../../ignition/modules/${file}.ts`).catch((e: { reason?: string }) => (reason = e.reason));
      expect(reason).to.equal("recordMissing");
    });
  }

  it("refuses the development key recorded as a network's finalized, verified ceremony", () => {
    const c = writeCeremony("amoy", devVk);
    dirs.push(c.dir);
    expect(c.circuitId).to.equal(readDevManifest().circuitId);
    expect(refusal(() => moduleWith("amoy", c))).to.equal("devKey");
  });

  it("refuses the development key re-formatted under another circuitId (same δ)", () => {
    const c = writeCeremony("polygon", JSON.stringify(JSON.parse(devVk)) + "\n");
    dirs.push(c.dir);
    expect(c.circuitId).to.not.equal(readDevManifest().circuitId);
    expect(refusal(() => moduleWith("polygon", c))).to.equal("devKey");
  });

  it("refuses a network whose record is not finalized and verified", () => {
    const vk = JSON.parse(devVk) as VerificationKeyJson;
    const c = writeCeremony("amoy", JSON.stringify({ ...vk, vk_delta_2: vk.vk_gamma_2 }, null, 1) + "\n");
    dirs.push(c.dir);
    const path = join(c.ceremoniesDir, "amoy.json");
    const record = JSON.parse(readFileSync(path, "utf8")) as CeremonyRecord;
    writeFileSync(path, JSON.stringify({ ...record, final: { ...record.final!, verified: false } }));
    expect(refusal(() => moduleWith("amoy", c))).to.equal("notFinalized");
  });

  it("takes the network's generated verifier when its record checks out", () => {
    const vk = JSON.parse(devVk) as VerificationKeyJson;
    const c = writeCeremony("amoy", JSON.stringify({ ...vk, vk_delta_2: vk.vk_gamma_2 }, null, 1) + "\n");
    dirs.push(c.dir);
    const built = moduleWith("amoy", c);
    expect(built.results.resultVerifier.contractName).to.equal("AmoyResultVerifier");
    expect(readFileSync(join(c.verifiersDir, "AmoyResultVerifier.sol"), "utf8")).to.include(
      `CIRCUIT_ID = ${c.circuitId};`,
    );
  });
});
