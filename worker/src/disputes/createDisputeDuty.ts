/**
 * The worker's part in disputes (docs/trust-model.md: a disputed job is re-run by a committee of staked providers, who
 * compare output roots and vote; a provider voted at fault loses its collateral).
 *   - Accused (our own result is disputed): reveal the job secret to the committee, wrapped to each member's
 *     registered X25519 key, so the members can open the prompt and re-run the job. Revealing is what an honest
 *     provider wants: a clean verdict pays it at once instead of after the dispute window.
 *   - Committee member: take the first revealed secret that opens this job (a reveal is checked against the key
 *     commitment, so a wrong one from either party is ignored). A verifiable job is re-run with the same decoding as
 *     the provider, its commitments compared and its bill checked (judgeResult); any other job's posted output is
 *     opened with the secret and its bill checked against the output's canonical token count (judgeBill). Then vote.
 * Duties are persisted (store/disputeDuties.ts); transactions go out under one sender intent each
 * (`dispute:7:reveal`, `dispute:7:vote`), simulated first, so a restart never reveals or votes twice.
 *
 * API: createDisputeDuty(parameters) → { tick(): Promise<void>, stop(): Promise<void> }
 */
import type { Logger } from "pino";
import { JobStatus, openResult, wrapJobSecretForCommittee, type ChatTemplate, type Deployments } from "@octo/sdk";
import { CommitmentMismatchError } from "@octo/circuits";
import { isAddressEqual, type Address, type Client, type Hex } from "viem";
import { getBlock, getContractEvents, readContract } from "viem/actions";
import { jobMarketAbi, marketCallAbi } from "../chain/abis.ts";
import { PromptTooLongError } from "../engines/errors.ts";
import type { Engine } from "../engines/types.ts";
import type { JobData } from "../pipeline/jobData.ts";
import { followOutput, jobContext, startJobGeneration } from "../pipeline/jobGeneration.ts";
import { InputFaultError } from "../pipeline/openJobInput.ts";
import { readJobInput } from "../pipeline/readJobInput.ts";
import type { Sender } from "../sender/createSender.ts";
import { SimulationRevertedError } from "../sender/SenderError.ts";
import type { DisputeDuties, DisputeDuty } from "../store/disputeDuties.ts";
import type { Store } from "../store/openStore.ts";
import { canonicalTokenCount } from "../billing/canonicalTokens.ts";
import { judgeBill, judgeResult } from "./judgeResult.ts";

export type CreateDisputeDutyParameters = {
  store: Pick<Store, "getJob">;
  duties: DisputeDuties;
  sender: Pick<Sender, "send">;
  client: Client;
  market: Address;
  staking: Address;
  /** The market's deployments, for reading a posted result (`openResult`). */
  deployments: Deployments;
  me: Address;
  encryptionPrivateKey: Uint8Array;
  engines: ReadonlyMap<string, Engine>;
  /** Chat templates by lower-case model id: a re-run renders chat messages as the provider did. */
  chatTemplates?: ReadonlyMap<string, ChatTemplate>;
  /** Offered max context per model id (lower-case), as the pipeline uses it. */
  maxContext: (modelId: Hex) => number | undefined;
  logger: Logger;
};

export function createDisputeDuty(p: CreateDisputeDutyParameters) {
  const { duties, sender, client, market, logger } = p;
  const running = new Map<bigint, Promise<void>>();
  let stopped = false;

  const onChain = (jobId: bigint) =>
    readContract(client, { address: market, abi: jobMarketAbi, functionName: "getJob", args: [jobId] });
  /** The committee as JobDisputed drew it (recorded with the duty), so no tick reads it again. */
  const committeeOf = (duty: DisputeDuty) => (duty.data as { committee: readonly Address[] }).committee;
  const chainTime = async () => Number((await getBlock(client, { blockTag: "latest" })).timestamp);

  async function act(duty: DisputeDuty) {
    const { jobId } = duty;
    const job = await onChain(jobId);
    if (job.status !== JobStatus.Disputed)
      return void duties.advance(duty.jobId, "open", "closed", { reason: "the dispute is over" });
    if ((await chainTime()) >= Number(job.windowEnd))
      return void duties.advance(duty.jobId, "open", "closed", { reason: "the dispute window passed" });
    if (duty.role === "accused") await reveal(duty, jobId);
    else await vote(duty, jobId, job);
  }

  // Accused: wrap the job secret to every member under one ephemeral key and post it (event only).
  async function reveal(duty: DisputeDuty, jobId: bigint) {
    const data = p.store.getJob<JobData>(jobId)?.data;
    if (!data) return void duties.advance(duty.jobId, "open", "closed", { reason: "the job is not in our store" });
    const { jobSecret } = await readJobInput({
      client,
      market,
      me: p.me,
      jobId,
      job: data,
      providerPrivateKey: p.encryptionPrivateKey,
      chatTemplate: p.chatTemplates?.get(data.modelId.toLowerCase()),
    });
    const committee = committeeOf(duty);
    const { ephemeralPublicKey, wrappedSecrets } = await wrapJobSecretForCommittee(client, {
      stakingRegistry: p.staking,
      committee,
      jobSecret,
    });
    await sendOrClose(duty, "revealJobSecret", () =>
      sender.send({
        intent: `dispute:${jobId}:reveal`,
        address: market,
        abi: marketCallAbi,
        functionName: "revealJobSecret",
        args: [jobId, ephemeralPublicKey, wrappedSecrets],
      }),
    );
    logger.info({ jobId: duty.jobId, committee }, "revealed the job secret to the dispute committee");
  }

  // Member: open the input with a revealed secret, re-run, judge, vote.
  async function vote(duty: DisputeDuty, jobId: bigint, job: Awaited<ReturnType<typeof onChain>>) {
    const data = p.store.getJob<JobData>(jobId)?.data;
    if (!data)
      return void duties.advance(duty.jobId, "open", "closed", { reason: "the job's creation is not in our store" });
    const engine = p.engines.get(data.modelId.toLowerCase());
    if (!engine)
      return void duties.advance(duty.jobId, "open", "closed", { reason: "no engine serves this model: abstaining" });
    const opened = await openRevealed(duty, jobId, data);
    if (!opened) return; // no usable reveal yet: look again on a later tick
    if (!data.verifiable) return voteOnBill(duty, jobId, Number(job.tokenCount), opened.jobSecret, engine);
    // The same run as the provider's (pipeline/jobGeneration.ts): context, decoding, and the chunk offsets.
    const generation = startJobGeneration(engine, {
      jobId,
      prompt: opened.prompt,
      promptTokens: await engine.countTokens(opened.prompt),
      maxOutputTokens: data.maxOutputTokens,
      context: jobContext(engine, p.maxContext(data.modelId)),
      verifiable: data.verifiable,
      asked: opened.decoding,
    });
    // Our engine holds less context than the provider's: we cannot re-run this job the same way, so we abstain.
    const abstain = () =>
      void duties.advance(duty.jobId, "open", "closed", { reason: "the prompt does not fit our context: abstaining" });
    if (!generation) return abstain();
    const tokenByteEnds = followOutput(generation);
    let result: Awaited<ReturnType<Engine["generate"]>>;
    try {
      result = await generation.done;
    } catch (e) {
      if (e instanceof PromptTooLongError) return abstain();
      throw e;
    }
    const verdict = judgeResult({
      output: result.text,
      tokenByteEnds,
      canonicalTokens: await canonicalTokenCount(engine, result.text),
      outputKey: opened.outputKey,
      jobId,
      provider: job.provider,
      posted: { outputRoot: job.outputRoot, tokenCount: Number(job.tokenCount) },
    });
    logger.info({ jobId: duty.jobId, ...verdict }, "dispute verdict");
    await sendVote(duty, verdict);
  }

  // A job that is not verifiable is not re-run (its decoding need not be reproducible): its bill is checked from the
  // posted output, opened with the revealed secret.
  async function voteOnBill(
    duty: DisputeDuty,
    jobId: bigint,
    tokenCount: number,
    jobSecret: Uint8Array,
    engine: Engine,
  ) {
    let verdict: { providerAtFault: boolean; reason: string };
    try {
      const { text } = await openResult(client, { deployments: p.deployments, jobId, jobSecret });
      verdict = judgeBill({ tokenCount, canonicalTokens: await canonicalTokenCount(engine, text) });
    } catch (e) {
      if (!(e instanceof CommitmentMismatchError)) throw e;
      verdict = { providerAtFault: true, reason: "the posted ciphertext does not match its proven commitment" };
    }
    logger.info({ jobId: duty.jobId, ...verdict }, "dispute verdict on the bill");
    await sendVote(duty, verdict);
  }

  async function openRevealed(duty: DisputeDuty, jobId: bigint, data: JobData) {
    const reveals = await getContractEvents(client, {
      address: market,
      abi: jobMarketAbi,
      eventName: "JobSecretRevealed",
      args: { jobId },
      fromBlock: BigInt(data.createdBlock),
      strict: true,
    });
    const index = committeeOf(duty).findIndex((m) => isAddressEqual(m, p.me));
    for (const log of reveals) {
      const { ephemeralPublicKey, wrappedSecrets } = log.args;
      const wrappedSecret = wrappedSecrets[index];
      if (!wrappedSecret) continue;
      try {
        // A committee member opens it with the revealed secret only.
        return await readJobInput({
          client,
          market,
          me: p.me,
          jobId,
          job: data,
          providerPrivateKey: p.encryptionPrivateKey,
          chatTemplate: p.chatTemplates?.get(data.modelId.toLowerCase()),
          revealed: { ephemeralPublicKey, wrappedSecret },
        });
      } catch (e) {
        if (!(e instanceof InputFaultError)) throw e;
        logger.warn(
          { jobId: duty.jobId, revealer: log.args.revealer, why: e.message },
          "ignoring a reveal that does not open this job",
        );
      }
    }
    return undefined;
  }

  /** Votes on the dispute: the provider at fault or not, with the reason kept in the duty. */
  const sendVote = (duty: DisputeDuty, verdict: { providerAtFault: boolean; reason: string }) =>
    sendOrClose(
      duty,
      "voteOnDispute",
      () =>
        sender.send({
          intent: `dispute:${duty.jobId}:vote`,
          address: market,
          abi: marketCallAbi,
          functionName: "voteOnDispute",
          args: [duty.jobId, verdict.providerAtFault],
        }),
      { verdict: verdict.reason },
    );

  /** Sends the duty's transaction; a call the market refuses closes the duty, one that is mined marks it acted on. */
  async function sendOrClose(
    duty: DisputeDuty,
    functionName: "revealJobSecret" | "voteOnDispute",
    send: () => Promise<unknown>,
    data: Record<string, unknown> = {},
  ) {
    try {
      await send();
    } catch (e) {
      if (!(e instanceof SimulationRevertedError)) throw e;
      // Decided, ended, or already done before a restart: nothing left for us to do.
      return void duties.advance(duty.jobId, "open", "closed", { reason: `${functionName}: ${e.formatted}` });
    }
    duties.advance(duty.jobId, "open", "acted", { data });
  }

  return {
    async tick() {
      if (stopped) return;
      for (const duty of duties.inStep("open")) {
        if (running.has(duty.jobId)) continue;
        const task = act(duty)
          .catch((e: unknown) =>
            logger.warn(
              { jobId: duty.jobId, role: duty.role, err: e },
              "dispute duty failed; retrying on a later tick",
            ),
          )
          .finally(() => running.delete(duty.jobId));
        running.set(duty.jobId, task);
      }
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...running.values()]);
    },
  };
}
