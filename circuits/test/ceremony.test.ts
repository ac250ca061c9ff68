// The production ceremony path end to end, on a two-constraint circuit and a freshly made 2^4 ptau so that it runs
// in seconds: init (with powersoftau verify), two contributors, verify after each, finalize with a beacon, the full
// re-check, and a proof made and verified with the final key. The same functions run for the real circuit.
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import * as snarkjs from "snarkjs";
import {
  checkCeremony,
  checkCeremonyRecord,
  contributeCeremony,
  finalizeCeremony,
  initCeremony,
  readCeremonyRecord,
  verifyCeremony,
  type CeremonyErrorReason,
} from "../scripts/lib/ceremony/index.ts";
import { compileCircuit } from "../scripts/lib/compileCircuit.ts";
import { makeDevPtau } from "../scripts/lib/devPtau.ts";
import { sha256File } from "../scripts/lib/sha256File.ts";

const TINY = fileURLToPath(new URL("./fixtures/tiny.circom", import.meta.url));
const BEACON = "0x1f4a0e0b2c7d9e8f00112233445566778899aabbccddeeff0011223344556677";

async function rejectsWith(promise: Promise<unknown> | (() => unknown), reason: CeremonyErrorReason): Promise<void> {
  try {
    await (typeof promise === "function" ? promise() : promise);
  } catch (e) {
    expect((e as { reason?: string }).reason, String(e)).to.equal(reason);
    return;
  }
  expect.fail(`expected a CeremonyError (${reason})`);
}

describe("ceremony (init → contribute ×2 → verify → finalize → check)", function () {
  this.timeout(300_000);
  let dir: string;
  let r1cs: string;
  let wasm: string;
  let ptau: string;
  const paths = () => ({ ceremoniesDir: join(dir, "ceremonies"), verifiersDir: join(dir, "verifiers") });
  const z = (n: string) => join(dir, `amoy_${n}.zkey`);

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "octo-ceremony-test-"));
    ({ r1cs, wasm } = await compileCircuit({ source: TINY, outDir: join(dir, "build") }));
    ({ path: ptau } = await makeDevPtau({ path: join(dir, "pot4.ptau"), power: 4 }));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("init refuses a ptau that is not prepared for phase 2", async () => {
    const curve = await snarkjs.curves.getCurveFromName("bn128");
    const raw = join(dir, "raw.ptau");
    await snarkjs.powersOfTau.newAccumulator(curve, 4, raw);
    await rejectsWith(initCeremony({ network: "amoy", ptau: raw, r1cs, zkeyOut: z("x"), ...paths() }), "badPtau");
    expect(existsSync(join(paths().ceremoniesDir, "amoy.json"))).to.equal(false);
  });

  it("init verifies the ptau and records it and the circuit", async () => {
    const record = await initCeremony({ network: "amoy", ptau, r1cs, zkeyOut: z("0000"), ...paths() });
    expect(record.ptau).to.include({ sha256: sha256File(ptau), power: 4, checked: "powersoftau verify" });
    expect(record.ptau.contributions).to.have.length(1);
    expect(record.circuit.r1csSha256).to.equal(sha256File(r1cs));
    expect(record.initialZkeySha256).to.equal(sha256File(z("0000")));
    expect(record.contributions).to.deep.equal([]);
    await rejectsWith(initCeremony({ network: "amoy", ptau, r1cs, zkeyOut: z("x"), ...paths() }), "recordExists");
  });

  it("records each contribution's printed hash after zkey verify, in order", async () => {
    const alice = await contributeCeremony({ zkeyIn: z("0000"), zkeyOut: z("0001"), name: "alice" });
    let record = await verifyCeremony({
      network: "amoy",
      r1cs,
      ptau,
      zkey: z("0001"),
      ceremoniesDir: paths().ceremoniesDir,
    });
    expect(record.contributions).to.deep.equal([
      { index: 1, name: "alice", hash: alice.contributionHash, zkeySha256: alice.zkeySha256 },
    ]);

    const bob = await contributeCeremony({ zkeyIn: z("0001"), zkeyOut: z("0002"), name: "bob" });
    record = await verifyCeremony({
      network: "amoy",
      r1cs,
      ptau,
      zkey: z("0002"),
      ceremoniesDir: paths().ceremoniesDir,
    });
    expect(record.contributions.map((c) => [c.name, c.hash])).to.deep.equal([
      ["alice", alice.contributionHash],
      ["bob", bob.contributionHash],
    ]);
    expect(alice.contributionHash).to.not.equal(bob.contributionHash);
  });

  it("verify refuses a chain that drops a recorded contribution", async () => {
    await contributeCeremony({ zkeyIn: z("0000"), zkeyOut: z("fork"), name: "mallory" });
    await rejectsWith(
      verifyCeremony({ network: "amoy", r1cs, ptau, zkey: z("fork"), ceremoniesDir: paths().ceremoniesDir }),
      "transcriptMismatch",
    );
  });

  it("verify refuses a zkey that zkey verify rejects (a byte of the key changed)", async () => {
    const bytes = readFileSync(z("0002"));
    bytes[bytes.length - 100]! ^= 1;
    writeFileSync(z("bad"), bytes);
    await rejectsWith(
      verifyCeremony({ network: "amoy", r1cs, ptau, zkey: z("bad"), ceremoniesDir: paths().ceremoniesDir }),
      "invalidZkey",
    );
  });

  it("finalize refuses a zkey with an unrecorded contribution", async () => {
    await contributeCeremony({ zkeyIn: z("0002"), zkeyOut: z("0003"), name: "unverified" });
    await rejectsWith(
      finalizeCeremony({
        network: "amoy",
        r1cs,
        ptau,
        zkey: z("0003"),
        zkeyOut: z("final"),
        beaconHash: BEACON,
        beaconSource: "test",
        ...paths(),
      }),
      "transcriptMismatch",
    );
  });

  it("finalize applies the beacon, verifies the whole chain and records the key and the verifier", async () => {
    const record = await finalizeCeremony({
      network: "amoy",
      r1cs,
      ptau,
      zkey: z("0002"),
      zkeyOut: z("final"),
      beaconHash: BEACON,
      beaconSource: "test beacon (a future block hash in production)",
      ...paths(),
    });
    const final = record.final!;
    expect(final.verified).to.equal(true);
    expect(final.beacon).to.deep.equal({
      hash: BEACON,
      iterationsExp: 10,
      source: "test beacon (a future block hash in production)",
    });
    expect(final.zkeySha256).to.equal(sha256File(z("final")));
    expect(final.verifier.contract).to.equal("AmoyResultVerifier");
    expect(readFileSync(join(paths().verifiersDir, "AmoyResultVerifier.sol"), "utf8")).to.include(
      `CIRCUIT_ID = ${final.circuitId};`,
    );
    expect(readCeremonyRecord(join(paths().ceremoniesDir, "amoy.json"))?.events.map((e) => e.step)).to.deep.equal([
      "init",
      "verify",
      "verify",
      "finalize",
    ]);
  });

  it("check re-verifies the final zkey, and the deploy check accepts the record", async () => {
    await checkCeremony({ network: "amoy", r1cs, ptau, zkey: z("final"), r1csSha256: sha256File(r1cs), ...paths() });
    expect(checkCeremonyRecord({ network: "amoy", r1csSha256: sha256File(r1cs), ...paths() }).contractName).to.equal(
      "AmoyResultVerifier",
    );
  });

  it("the final key proves and verifies", async () => {
    const { proof, publicSignals } = await snarkjs.groth16.fullProve({ a: 3, b: 5, c: 105, x: 7 }, wasm, z("final"));
    const vk = JSON.parse(readFileSync(join(paths().ceremoniesDir, "amoy.verification_key.json"), "utf8")) as object;
    expect(await snarkjs.groth16.verify(vk, publicSignals, proof)).to.equal(true);
    expect(await snarkjs.groth16.verify(vk, ["3", "5", "106"], proof)).to.equal(false);
  });

  it("the deploy check refuses a hand-edited verifier, a key that is not the record's, and another circuit", async () => {
    const verifier = join(paths().verifiersDir, "AmoyResultVerifier.sol");
    const vkPath = join(paths().ceremoniesDir, "amoy.verification_key.json");
    const original = { verifier: readFileSync(verifier, "utf8"), vk: readFileSync(vkPath, "utf8") };
    try {
      writeFileSync(
        verifier,
        original.verifier.replace(
          /uint256 internal constant DELTA_X1 = \d/,
          (m) => m.slice(0, -1) + (m.endsWith("1") ? "2" : "1"),
        ),
      );
      await rejectsWith(
        () => checkCeremonyRecord({ network: "amoy", r1csSha256: sha256File(r1cs), ...paths() }),
        "verifierMismatch",
      );
      writeFileSync(verifier, original.verifier);
      writeFileSync(vkPath, original.vk.replace("\n}", ',\n "x": 1\n}'));
      await rejectsWith(
        () => checkCeremonyRecord({ network: "amoy", r1csSha256: sha256File(r1cs), ...paths() }),
        "keyMismatch",
      );
      writeFileSync(vkPath, original.vk);
      await rejectsWith(() => checkCeremonyRecord({ network: "amoy", ...paths() }), "circuitMismatch");
    } finally {
      writeFileSync(verifier, original.verifier);
      writeFileSync(vkPath, original.vk);
    }
  });

  it("finalize refuses fewer than two contributions", async () => {
    const solo = { ceremoniesDir: join(dir, "solo"), verifiersDir: join(dir, "solo-verifiers") };
    await initCeremony({ network: "solo", ptau, r1cs, zkeyOut: z("solo0"), checkPtau: "header", ...solo });
    copyFileSync(z("0001"), z("solo1")); // alice's contribution over the same initial key
    await verifyCeremony({ network: "solo", r1cs, ptau, zkey: z("solo1"), ceremoniesDir: solo.ceremoniesDir });
    await rejectsWith(
      finalizeCeremony({
        network: "solo",
        r1cs,
        ptau,
        zkey: z("solo1"),
        zkeyOut: z("solof"),
        beaconHash: BEACON,
        beaconSource: "test",
        ...solo,
      }),
      "tooFewContributions",
    );
  });
});
