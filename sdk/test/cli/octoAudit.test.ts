// octo-audit as an auditor runs it: a child process against a real local market whose provider (played by the test,
// real proofs) submitted results. `verify` passes an honest job and fails a forged copy of its receipt, naming the
// checks that broke; `export` writes every receipt, and its JSON is what `verify --result` reads.
import { expect } from "chai";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Devnet } from "@octo/devnet";
import { startTestMarket, userClient } from "../helpers/devnet.ts";
import { addProvider, type TestProvider } from "../helpers/provider.ts";
import { parseReceiptJson, stringifyReceipts } from "../../src/cli/receiptJson.ts";

const cli = fileURLToPath(new URL("../../src/cli/octoAudit.ts", import.meta.url));

describe("octo-audit", () => {
  let devnet: Devnet;
  let user: ReturnType<typeof userClient>;
  let provider: TestProvider;
  let jobId: bigint;
  const dir = mkdtempSync(join(tmpdir(), "octo-audit-test-"));
  const deploymentsPath = join(dir, "deployments.json");
  const audit = (...args: string[]) => {
    const run = spawnSync(process.execPath, [cli, ...args, "--rpc", devnet.rpcUrl, "--deployments", deploymentsPath], {
      encoding: "utf8",
      timeout: 120_000,
    });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

  before(async () => {
    ({ devnet, user } = await startTestMarket());
    devnet.writeDeployments(deploymentsPath);
    provider = await addProvider(devnet);
    ({ jobId } = await user.createJob({
      modelId: devnet.modelId!,
      paymentToken: devnet.contracts.MockUSDC.address,
      maxOutputTokens: 40,
      maxPricePerToken: 10n,
      provider: provider.address,
      input: { prompt: "audit me" },
    }));
    await provider.claim(jobId);
    await provider.submit(await provider.prove(jobId, "an honest answer"));
  });
  after(async () => {
    await devnet?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verify_honestJob_printsEveryCheckPassedAndExitsZero", () => {
    const { code, out } = audit("verify", jobId.toString());
    expect(code, out).to.equal(0);
    for (const name of [
      "outputRoot",
      "tokenCount",
      "proofCount",
      "ciphertextLength",
      "ciphertextHash",
      "chunk[0].ciphertextDigest",
      "chunk[0].proof",
    ]) {
      expect(out).to.match(new RegExp(`^pass  ${name.replace(/[[\]]/g, "\\$&")}\\s+\\d+\\.\\d ms`, "m"));
    }
    expect(out).to.contain(`job ${jobId}: every check passed (7)`);
  });

  it("verify_forgedCiphertext_namesTheFailedChecksAndExitsOne", () => {
    const exported = join(dir, "receipts.json");
    expect(audit("export", "--from", "0", "--format", "json", "--out", exported).code).to.equal(0);
    const receipts = parseReceiptJson(readFileSync(exported, "utf8")) as {
      jobId: bigint;
      result: { ciphertext: bigint[] };
    }[];
    const forged = receipts.find((r) => r.jobId === jobId)!;
    forged.result.ciphertext[0] = forged.result.ciphertext[0]! + 1n;
    const forgedPath = join(dir, "forged.json");
    writeFileSync(forgedPath, stringifyReceipts(forged));
    const { code, out } = audit("verify", jobId.toString(), "--result", forgedPath);
    expect(code, out).to.equal(1);
    expect(out).to.match(/^FAIL  ciphertextHash /m);
    expect(out).to.match(/^FAIL  chunk\[0\]\.ciphertextDigest /m);
    expect(out).to.match(/^pass  chunk\[0\]\.proof /m);
    expect(out).to.contain("2 of 7 checks failed: ciphertextHash, chunk[0].ciphertextDigest");
  });

  it("verify_forgedProof_failsTheProofCheck", () => {
    const honest = join(dir, "honest.json");
    expect(audit("export", "--from", "0", "--format", "json", "--out", honest).code).to.equal(0);
    const [receipt] = parseReceiptJson(readFileSync(honest, "utf8")) as {
      jobId: bigint;
      result: { proofs: bigint[][] };
    }[];
    receipt!.result.proofs[0]![0] = receipt!.result.proofs[0]![0]! + 1n;
    writeFileSync(honest, stringifyReceipts([receipt]));
    const { code, out } = audit("verify", jobId.toString(), "--result", honest);
    expect(code, out).to.equal(1);
    expect(out).to.match(/^FAIL  chunk\[0\]\.proof /m);
  });

  it("export_csv_writesOneRowPerSubmittedResult", () => {
    const { code, out } = audit("export", "--from", "0");
    expect(code).to.equal(0);
    const [header, ...rows] = out.trimEnd().split("\n");
    expect(header).to.equal(
      "jobId,status,provider,blockNumber,transactionHash,timestamp,tokenCount,byteLength,chunkCount,outputRoot,ciphertextHash,ciphertextURI",
    );
    expect(rows).to.have.length(1);
    expect(rows[0]!.split(",").slice(0, 3)).to.deep.equal([jobId.toString(), "Submitted", provider.address]);
  });

  it("usage_missingJobId_exitsTwo", () => {
    const { code, err } = audit("verify");
    expect(code).to.equal(2);
    expect(err).to.contain("verify needs a job id");
  });
});
