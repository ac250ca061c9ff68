// sdk/README.md opens with a complete example; this runs it, as written, against a fresh local market served by this
// worker, so the README cannot drift from the sdk. The example reads its market from the environment
// (OCTO_RPC_URL, OCTO_DEPLOYMENTS, OCTO_STREAM_URL), with `npm start`'s values as defaults.
import { expect } from "chai";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { createLogger } from "../../src/ops/createLogger.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { startHarness, type Harness } from "./workerHarness.ts";

const readme = fileURLToPath(new URL("../../../sdk/README.md", import.meta.url));
// Inside the worker package, so that `@octo/sdk` and viem resolve as they would in an app that depends on them.
const exampleDir = fileURLToPath(new URL("../../.data/readme-example/", import.meta.url));

/** The first ```ts block of the README. */
export function readmeExample(text: string): string {
  const match = /```ts\n([\s\S]*?)```/.exec(text);
  if (!match) throw new Error("sdk/README.md has no ```ts example");
  return match[1]!;
}

describe("sdk/README.md example", () => {
  let h: Harness;
  let worker: RunningWorker;

  before(async () => {
    h = await startHarness();
    worker = await startWorker({
      config: loadConfig({ path: h.configPath, env: h.env }),
      env: h.env,
      logger: createLogger({ level: "silent" }),
      minTimeToDeadline: 60,
    });
  });
  after(async () => {
    await worker?.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
    rmSync(exampleDir, { recursive: true, force: true });
  });

  it("runs against a local market: creates, streams, opens and verifies a job", async () => {
    mkdirSync(exampleDir, { recursive: true });
    const script = join(exampleDir, "example.ts");
    writeFileSync(script, readmeExample(readFileSync(readme, "utf8")));
    const env = {
      ...process.env,
      OCTO_RPC_URL: h.market.rpcUrl,
      OCTO_DEPLOYMENTS: h.config.deployments,
      OCTO_STREAM_URL: worker.stream.url,
    };
    const { code, stdout, stderr } = await run(process.execPath, [script], env);
    expect(code, stderr).to.equal(0);
    const lines = stdout.trim().split("\n");
    expect(lines[0]).to.match(/^octo-fixture-tiny from 0x[0-9a-fA-F]{40}: at most 320 units$/);
    expect(lines).to.include("same as the stream: true");
    expect(lines).to.include("verified: true");
    expect(lines.find((l) => l.startsWith("receipt: "))).to.equal(
      "receipt: ✓ outputRoot, ✓ tokenCount, ✓ proofCount, ✓ ciphertextLength, ✓ ciphertextHash, ✓ chunk[0].ciphertextDigest, ✓ chunk[0].proof",
    );
  });
});

function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    const timer = setTimeout(() => child.kill(), 120_000); // never leave the example running after a failure
    let [stdout, stderr] = ["", ""];
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
