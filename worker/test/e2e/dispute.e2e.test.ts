// Disputes end to end on a real local chain: real contracts, three real workers (the llama.cpp engine on the fixture
// model) and a scripted provider that lies with a real proof. The committee re-runs the job and its votes decide.
import { expect } from "chai";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CHUNK_BYTES, proveChunk } from "@octo/circuits";
import { loadProverArtifacts } from "@octo/circuits/node";
import { erc20Abi, type Address, type Hex, type ContractEventName, zeroHash } from "viem";
import { jobMarketAbi } from "@octo/sdk";
import { privateKeyToAccount } from "viem/accounts";
import { DEV_KEYS } from "@octo/devnet";
import { loadConfig } from "../../src/config/loadConfig.ts";
import { startWorker, type RunningWorker } from "../../src/daemon/startWorker.ts";
import { deriveEncryptionKey } from "../../src/daemon/deriveEncryptionKey.ts";
import { printIfFailed, recordedLogger, type RecordedLogger } from "../helpers/recordedLogger.ts";
import { waitForValue } from "../helpers/waitFor.ts";
import { PRICE_PER_TOKEN, startHarness, type Harness } from "./workerHarness.ts";

const MAX_TOKENS = 24;
/** IJobMarket.JobStatus */
const STATUS = { Submitted: 3, Disputed: 4, Finalized: 5, Slashed: 8 } as const;

describe("disputes end to end (three workers on the committee's side, a lying provider)", function () {
  this.timeout(300_000);
  let h: Harness;
  const workers: RunningWorker[] = [];
  // Each worker's log, printed only if a test fails: a dispute involves four parties, and a silent timeout says little.
  const logs: RecordedLogger[] = [];
  const loggerFor = (name: string) => {
    const recorded = recordedLogger(name);
    logs.push(recorded);
    return recorded.logger;
  };
  const liar = privateKeyToAccount(DEV_KEYS[6]);
  let liarEncryptionKey: Hex;

  const events = (eventName: ContractEventName<typeof jobMarketAbi>, jobId: bigint) =>
    h.market.publicClient.getContractEvents({ address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, eventName, args: { jobId }, fromBlock: 0n });
  const getJob = (jobId: bigint) => h.user.getJob({ jobId });
  const balance = (who: Address) =>
    h.market.publicClient.readContract({ address: h.market.contracts.MockUSDC.address, abi: erc20Abi, functionName: "balanceOf", args: [who] });

  /** A second provider running the same worker and model, under its own key, data directory and ports. */
  async function startValidator(name: string, key: Hex) {
    const account = privateKeyToAccount(key);
    const { publicKey } = await deriveEncryptionKey(account);
    await h.market.registerProvider({ account, encryptionPublicKey: `0x${Buffer.from(publicKey).toString("hex")}`, pricePerToken: PRICE_PER_TOKEN, maxContext: 512 });
    const dir = join(h.dir, name);
    mkdirSync(dir, { recursive: true });
    const env = { [`OCTO_TEST_${name.toUpperCase()}_KEY`]: key };
    const configPath = join(dir, "config.json");
    writeFileSync(configPath, JSON.stringify({ ...h.config, key: { env: Object.keys(env)[0] }, dataDir: join(dir, "data") }));
    return startWorker({ config: loadConfig({ path: configPath, env }), env, logger: loggerFor(name), minTimeToDeadline: 60 });
  }

  before(async () => {
    h = await startHarness();
    // The provider the harness registered, serving jobs; then two more that only ever meet these jobs as validators.
    workers.push(await startWorker({ config: loadConfig({ path: h.configPath, env: h.env }), env: h.env, logger: loggerFor("provider"), minTimeToDeadline: 60 }));
    workers.push(await startValidator("v1", DEV_KEYS[3]));
    workers.push(await startValidator("v2", DEV_KEYS[4]));
    liarEncryptionKey = `0x${Buffer.from((await deriveEncryptionKey(liar)).publicKey).toString("hex")}`;
    await h.market.registerProvider({ account: liar, encryptionPublicKey: liarEncryptionKey, pricePerToken: PRICE_PER_TOKEN, maxContext: 512 });
  });
  /** The user disputes, the draw block (whose hash seeds the committee) and one more are mined, and the user draws. */
  async function disputeAndDraw(jobId: bigint) {
    const { drawBlock } = await h.user.dispute({ jobId });
    await h.market.testClient.mine({ blocks: 2 });
    await h.user.drawCommittee({ jobId, drawBlock });
  }

  afterEach(function () {
    printIfFailed(this, logs);
  });
  after(async () => {
    for (const w of workers) await w.stop();
    await h?.market.stop();
    if (h) rmSync(h.dir, { recursive: true, force: true });
  });

  it("settles an honest provider's disputed job at once: it reveals the secret and the committee votes it clean", async () => {
    const { jobId } = await h.createJob({ prompt: "Tell me a story", provider: h.provider, maxOutputTokens: MAX_TOKENS, maxPricePerToken: PRICE_PER_TOKEN });
    await waitForValue(async () => (await events("ResultSubmitted", jobId)).length > 0, { message: `job ${jobId} submitted` });
    await disputeAndDraw(jobId);
    expect((await getJob(jobId)).status).to.equal(STATUS.Disputed);

    // No time passes: only the committee's quorum can settle it this early.
    await waitForValue(async () => (await events("JobFinalized", jobId))[0], { message: "the clean verdict", timeoutMs: 120_000 });
    expect((await getJob(jobId)).status).to.equal(STATUS.Finalized);
    expect(await events("JobSecretRevealed", jobId)).to.have.length(1);
    const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { validator: Address; providerAtFault: boolean } }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => !v.args.providerAtFault)).to.equal(true);
    expect(votes.map((v) => v.args.validator.toLowerCase())).to.not.include(h.provider.toLowerCase());
  });

  it("slashes a provider that proved and posted another output: the user reveals, the committee re-runs and votes fault", async () => {
    const userBefore = await balance(h.market.user.address);
    const { jobId, jobSecret, outputKey } = await h.createJob({ prompt: "What is two plus two?", provider: liar.address, maxOutputTokens: MAX_TOKENS, maxPricePerToken: PRICE_PER_TOKEN });
    await h.market.write(liar, { address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "claimJob", args: [jobId] });
    // A valid proof for a made-up answer: the proof binds the ciphertext to the committed key, not to the model.
    const forged = new TextEncoder().encode("five, and pay me for it").subarray(0, CHUNK_BYTES);
    const proven = await proveChunk({ artifacts: loadProverArtifacts(), chunk: forged, chunkIndex: 0, outputKey, jobId, provider: liar.address, tokenCount: 6, maxTokens: MAX_TOKENS });
    const result = {
      chunks: [{ outputCommitment: proven.publicSignals[0], byteLength: forged.length, tokenCount: 6 }],
      ciphertext: proven.encrypted.postedCiphertext,
      ciphertextURI: "",
      ciphertextHash: zeroHash,
    };
    await h.market.write(liar, { address: h.market.contracts.JobMarket.address, abi: jobMarketAbi, functionName: "submitResult", args: [jobId, result, [proven.proof]] });
    expect((await getJob(jobId)).status).to.equal(STATUS.Submitted);

    await disputeAndDraw(jobId);
    await h.user.revealJobSecret({ jobId: jobId, jobSecret: jobSecret });
    const slashed = (await waitForValue(async () => (await events("JobSlashed", jobId))[0], { message: "the fault verdict", timeoutMs: 120_000 })) as unknown as {
      args: { collateralRecipient: Address; refund: bigint };
    };
    expect(slashed.args.collateralRecipient.toLowerCase()).to.equal(h.market.user.address.toLowerCase());
    expect(slashed.args.refund).to.equal(BigInt(MAX_TOKENS) * PRICE_PER_TOKEN);
    expect(await balance(h.market.user.address)).to.equal(userBefore);
    const votes = (await events("DisputeVoted", jobId)) as unknown as { args: { providerAtFault: boolean } }[];
    expect(votes.length).to.be.at.least(2);
    expect(votes.every((v) => v.args.providerAtFault)).to.equal(true);
  });
});
