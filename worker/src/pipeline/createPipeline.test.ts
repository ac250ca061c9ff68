import { expect } from "chai";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  deriveJobKeys,
  encodeJobEnvelope,
  generateEncryptionKeyPair,
  generateJobSecret,
  keyCommitment,
  sealPrompt,
  wrapJobSecret,
} from "@octo/circuits";
import { bytesToHex, createPublicClient, http, type Address } from "viem";
import { waitFor } from "../../test/helpers/waitFor.ts";
import { EngineUnavailableError } from "../engines/errors.ts";
import type { Engine, GenerateParameters } from "../engines/types.ts";
import type { SendParameters, SendReturnType } from "../sender/createSender.ts";
import { openStore, type Store } from "../store/openStore.ts";
import { createPipeline } from "./createPipeline.ts";
import type { JobData } from "./jobData.ts";

const ME: Address = "0x00000000000000000000000000000000000000aa";
const MODEL = `0x${"11".repeat(32)}` as const;
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** A job created for this provider, with a real envelope its key opens. */
function namedJob(prompt: string, providerPublicKey: Uint8Array): JobData {
  const jobSecret = generateJobSecret();
  const keys = deriveJobKeys({ jobSecret });
  const { ephemeralPublicKey, wrapped } = wrapJobSecret({ jobSecret, providerPublicKey });
  const sealedPrompt = sealPrompt({ promptKey: keys.promptKey, prompt: new TextEncoder().encode(prompt) });
  return {
    user: "0x00000000000000000000000000000000000000bb",
    modelId: MODEL,
    paymentToken: "0x00000000000000000000000000000000000000cc",
    maxOutputTokens: 16,
    maxPricePerToken: 10n,
    minTier: 0,
    verifiable: true,
    deadline: 2 ** 31,
    provider: ME,
    userPublicKey: bytesToHex(ephemeralPublicKey),
    keyCommitment: keyCommitment({ outputKey: keys.outputKey }),
    envelope: bytesToHex(encodeJobEnvelope({ wrappedSecret: wrapped, sealedPrompt })),
    createdBlock: 1n,
  };
}

/** An engine that answers "ok" in two pieces; its token count fails the first `countFailures` times. */
function scriptedEngine({ countFailures }: { countFailures: number }) {
  let failuresLeft = countFailures;
  const generated: GenerateParameters[] = [];
  const engine: Engine = {
    id: "scripted",
    info: () => ({ engine: "llama.cpp", version: "scripted@1", model: "scripted", contextSize: 512 }),
    health: async () => ({ healthy: true }),
    async countTokens() {
      if (failuresLeft-- > 0) throw new EngineUnavailableError("restarting after a crash");
      return 4;
    },
    async generate(parameters, onToken) {
      generated.push(parameters);
      onToken?.("o", 0);
      onToken?.("k", 1);
      return { text: "ok", promptTokens: 4, tokens: 2, finishReason: "stop" };
    },
    stop: async () => undefined,
  };
  return { engine, generated };
}

describe("createPipeline", () => {
  let dir: string;
  let store: Store;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "octo-pipeline-"));
    store = openStore({ path: join(dir, "worker.sqlite") });
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts a named job's generation again when the start it speculated failed, instead of handing the job back", async () => {
    const provider = generateEncryptionKeyPair();
    store.createJob(1n, namedJob("hello", provider.publicKey));
    store.advanceJob(1n, "seen", "claiming");
    const sent: SendParameters[] = [];
    const { engine, generated } = scriptedEngine({ countFailures: 1 });
    const pipeline = createPipeline({
      store,
      sender: { send: async (call) => (sent.push(call), { hash: `0x${"00".repeat(32)}` } as unknown as SendReturnType) },
      // Nothing here reads the chain: the job names us (no key to look up) and is past its decision.
      client: createPublicClient({ transport: http("http://127.0.0.1:9") }),
      market: "0x00000000000000000000000000000000000000dd",
      staking: "0x00000000000000000000000000000000000000ee",
      me: ME,
      encryptionPrivateKey: provider.privateKey,
      tier: 0,
      offers: [{ modelId: MODEL, paymentToken: "0x00000000000000000000000000000000000000cc", pricePerToken: 10n, maxContext: 512 }],
      engines: new Map([[MODEL, engine]]),
      prover: { prove: () => Promise.reject(new Error("not proving here")) },
      capacity: 1,
      benchmarkSkipProving: true,
      logger: silent,
    });
    try {
      await pipeline.tick();
      await waitFor(() => ["inferred", "released"].includes(store.getJob(1n)!.step), { timeoutMs: 10_000, message: "the job to leave inference" });
      expect(store.getJob<JobData>(1n)!.step).to.equal("inferred");
      expect(store.getJob<JobData>(1n)!.data.output).to.equal("ok");
      expect(sent.map((s) => s.functionName)).to.deep.equal(["claimJob"]);
      expect(generated).to.have.length(1);
    } finally {
      await pipeline.stop();
    }
  });
});
