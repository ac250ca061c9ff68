// `octo-worker selftest` as a provider runs it: a config with a verifiable llama.cpp offer, the real engine, the
// result printed and recorded under the offer's determinism class, where the daemon finds it.
import { expect } from "chai";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { makeFixtureModel } from "../../scripts/makeFixtureModel.ts";

const cli = fileURLToPath(new URL("./main.ts", import.meta.url));

describe("cli: octo-worker selftest (llama.cpp, fixture model)", function () {
  this.timeout(180_000);
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), "octo-selftest-"))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("passes, prints the class, and records the pass under the class id", async () => {
    writeFileSync(join(dir, "provider.key"), "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d\n", {
      mode: 0o600,
    });
    writeFileSync(join(dir, "deployments.json"), "{}");
    const config = {
      chainId: 31337,
      rpcUrls: ["http://127.0.0.1:1"],
      deployments: "./deployments.json",
      key: { file: "./provider.key" },
      dataDir: "./data",
      models: [
        {
          modelId: `0x${"ab".repeat(32)}`,
          name: "fixture",
          engine: { kind: "llamaCpp", modelPath: makeFixtureModel().path, contextSize: 256 },
          paymentToken: `0x${"11".repeat(20)}`,
          pricePerToken: "1",
          maxContext: 256,
        },
      ],
    };
    writeFileSync(join(dir, "worker.json"), JSON.stringify(config));
    const { stdout } = await promisify(execFile)(process.execPath, [cli, "-c", join(dir, "worker.json"), "selftest"]);
    expect(stdout).to.match(/^fixture: PASSED — 15 generations compared/m);
    const classId = /class (0x[0-9a-f]{64}):/.exec(stdout)?.[1];
    expect(classId).to.be.a("string");
    const recorded = JSON.parse(readFileSync(join(dir, "data", "selftest.json"), "utf8")) as Record<
      string,
      { passed: boolean }
    >;
    expect(Object.keys(recorded)).to.deep.equal([classId]);
    expect(recorded[classId!]!.passed).to.equal(true);
  });
});
