// The indexer's tables as a plain reading of the logs gives them: every log of the three contracts read with ethers
// (not viem, not Ponder), decoded with the ABIs and folded in chain order by the rules the contracts state. Row and
// column names are those of the SQL tables, values in the form `canonical` gives both sides.
import { Interface, JsonRpcProvider, type Log, type LogDescription } from "ethers";
import {
  jobMarketAbi,
  modelRegistryAbi,
  ModelStatusNames,
  OutcomeNames,
  ReleaseReason,
  ReleaseReasonNames,
  stakingRegistryAbi,
  type Deployments,
} from "@octo/sdk";

export type Row = Record<string, unknown>;
export type Tables = Record<
  | "job"
  | "job_step"
  | "receipt"
  | "provider"
  | "offer"
  | "model"
  | "dispute"
  | "vote"
  | "daily_total"
  | "collateral_lock"
  | "credit"
  | "fee_withdrawal"
  | "setting",
  Row[]
>;

/** Bigints and numeric strings as decimal strings, hex in lower case, everything else as it is, recursively. */
export function canonical(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return /^0x[0-9a-fA-F]*$/.test(value) ? value.toLowerCase() : value;
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)]));
  return value;
}

export async function tablesFromLogs(rpcUrl: string, deployments: Deployments, toBlock: bigint): Promise<Tables> {
  const rpc = new JsonRpcProvider(rpcUrl, undefined, { staticNetwork: true, batchMaxCount: 1 });
  const { JobMarket, StakingRegistry, ModelRegistry } = deployments.contracts;
  const interfaces = new Map([
    [JobMarket.address.toLowerCase(), new Interface(jobMarketAbi)],
    [StakingRegistry.address.toLowerCase(), new Interface(stakingRegistryAbi)],
    [ModelRegistry.address.toLowerCase(), new Interface(modelRegistryAbi)],
  ]);
  const fromBlock = Number(
    [JobMarket, StakingRegistry, ModelRegistry].reduce(
      (a, d) => (d.deployedOnBlock < a ? d.deployedOnBlock : a),
      JobMarket.deployedOnBlock,
    ),
  );
  const logs = await rpc.getLogs({ address: [...interfaces.keys()], fromBlock, toBlock: Number(toBlock) });
  logs.sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  const timestamps = new Map<number, bigint>();
  for (const n of new Set(logs.map((l) => l.blockNumber)))
    timestamps.set(n, BigInt((await rpc.getBlock(n))!.timestamp));
  rpc.destroy();

  const t = {
    job: new Map<string, Row>(),
    job_step: new Map<string, Row>(),
    receipt: new Map<string, Row>(),
    provider: new Map<string, Row>(),
    offer: new Map<string, Row>(),
    model: new Map<string, Row>(),
    dispute: new Map<string, Row>(),
    vote: new Map<string, Row>(),
    daily_total: new Map<string, Row>(),
    collateral_lock: new Map<string, Row>(),
    credit: new Map<string, Row>(),
    fee_withdrawal: new Map<string, Row>(),
    setting: new Map<string, Row>(),
  };
  const get = (table: Map<string, Row>, key: string) => {
    const row = table.get(key);
    if (!row) throw new Error(`no row ${key}`);
    return row;
  };
  const add = (row: Row, column: string, amount: bigint | number) => {
    const current = row[column];
    row[column] = typeof current === "bigint" ? current + BigInt(amount) : (current as number) + Number(amount);
  };

  for (const log of logs) {
    const parsed = interfaces.get(log.address.toLowerCase())!.parseLog(log);
    if (!parsed) continue;
    const time = timestamps.get(log.blockNumber)!;
    const a = parsed.args;
    const at = { updated_block: BigInt(log.blockNumber), updated_at: time };
    const day = (token: string) => {
      const key = `${new Date(Number(time) * 1000).toISOString().slice(0, 10)}|${token.toLowerCase()}`;
      if (!t.daily_total.has(key)) {
        t.daily_total.set(key, {
          day: key.split("|")[0],
          payment_token: token,
          jobs_created: 0,
          jobs_finalized: 0,
          jobs_cancelled: 0,
          jobs_timed_out: 0,
          jobs_slashed: 0,
          jobs_refunded: 0,
          disputes: 0,
          tokens: 0n,
          volume: 0n,
          fees: 0n,
          refunds: 0n,
        });
      }
      return t.daily_total.get(key)!;
    };
    const step = (name: string, actor: string | null) =>
      t.job_step.set(`${log.transactionHash}-${log.index}`, {
        id: `${log.transactionHash}-${log.index}`,
        job_id: a.jobId,
        step: name,
        actor,
        block_number: BigInt(log.blockNumber),
        block_hash: log.blockHash,
        transaction_hash: log.transactionHash,
        log_index: log.index,
        timestamp: time,
      });
    const job = () => get(t.job, String(a.jobId));
    const modelOf = (j: Row) => t.model.get(String(j.model_id).toLowerCase());

    switch (`${log.address.toLowerCase() === JobMarket.address.toLowerCase() ? "JobMarket" : "other"}:${parsed.name}`) {
      case "JobMarket:JobCreated": {
        const r = a.request;
        const named = r.provider === "0x0000000000000000000000000000000000000000" ? null : r.provider;
        t.job.set(String(a.jobId), {
          id: a.jobId,
          user: a.user,
          model_id: r.modelId,
          payment_token: r.paymentToken,
          named_provider: named,
          provider: null,
          status: "Open",
          max_output_tokens: Number(r.maxOutputTokens),
          max_price_per_token: r.maxPricePerToken,
          min_tier: Number(r.minTier),
          verifiable: r.verifiable,
          deadline: r.deadline,
          escrow: a.escrow,
          input_hash: a.inputHash,
          key_commitment: r.keyCommitment,
          key_delivered: false,
          price_per_token: null,
          collateral: null,
          token_count: null,
          provider_amount: null,
          fee_amount: null,
          refund_amount: null,
          collateral_slashed: null,
          releases: 0,
          created_block: BigInt(log.blockNumber),
          created_tx: log.transactionHash,
          created_at: time,
          ...at,
        });
        const m = t.model.get(String(r.modelId).toLowerCase());
        if (m) add(m, "jobs", 1);
        add(day(r.paymentToken), "jobs_created", 1);
        step("JobCreated", a.user);
        break;
      }
      case "JobMarket:JobClaimed":
        Object.assign(job(), {
          status: "Claimed",
          provider: a.provider,
          price_per_token: a.pricePerToken,
          collateral: a.collateral,
          ...at,
        });
        add(get(t.provider, a.provider.toLowerCase()), "jobs_claimed", 1);
        step("JobClaimed", a.provider);
        break;
      case "JobMarket:JobKeyDelivered":
        Object.assign(job(), { key_delivered: true, ...at });
        step("JobKeyDelivered", job().user as string);
        break;
      case "JobMarket:JobReleased": {
        const j = job();
        j.releases = (j.releases as number) + 1;
        if (Number(a.reason) === ReleaseReason.KeyNotDelivered || j.named_provider !== null) {
          Object.assign(j, { status: "Refunded", refund_amount: a.refund, ...at });
          add(day(j.payment_token as string), "jobs_refunded", 1);
          add(day(j.payment_token as string), "refunds", a.refund);
        } else {
          Object.assign(j, {
            status: "Open",
            provider: null,
            price_per_token: null,
            collateral: null,
            key_delivered: false,
            ...at,
          });
        }
        step(`JobReleased:${ReleaseReasonNames[Number(a.reason)]}`, a.provider);
        break;
      }
      case "JobMarket:ResultSubmitted":
        Object.assign(job(), { status: "Submitted", token_count: a.tokenCount, ...at });
        t.receipt.set(String(a.jobId), {
          job_id: a.jobId,
          provider: a.provider,
          output_root: a.outputRoot,
          ciphertext_hash: a.ciphertextHash,
          token_count: a.tokenCount,
          byte_length: a.byteLength,
          challenge_end: a.challengeEnd,
          chunk_count: a.chunks.length,
          chunks: a.chunks.map((c: LogDescription["args"]) => ({
            outputCommitment: c.outputCommitment.toString(),
            byteLength: Number(c.byteLength),
            tokenCount: Number(c.tokenCount),
          })),
          ciphertext_elements: a.ciphertext.length,
          ciphertext_uri: a.ciphertextURI,
          block_number: BigInt(log.blockNumber),
          transaction_hash: log.transactionHash,
          timestamp: time,
        });
        step("ResultSubmitted", a.provider);
        break;
      case "JobMarket:JobFinalized": {
        const j = job();
        Object.assign(j, {
          status: "Finalized",
          token_count: a.tokenCount,
          provider_amount: a.providerAmount,
          fee_amount: a.feeAmount,
          refund_amount: a.refundAmount,
          ...at,
        });
        const p = get(t.provider, a.provider.toLowerCase());
        add(p, "tokens", a.tokenCount);
        add(p, "earned", a.providerAmount);
        const m = modelOf(j);
        if (m) add(m, "tokens", a.tokenCount), add(m, "volume", a.providerAmount + a.feeAmount);
        const d = day(j.payment_token as string);
        add(d, "jobs_finalized", 1),
          add(d, "tokens", a.tokenCount),
          add(d, "volume", a.providerAmount + a.feeAmount),
          add(d, "fees", a.feeAmount),
          add(d, "refunds", a.refundAmount);
        step("JobFinalized", a.provider);
        break;
      }
      case "JobMarket:JobCancelled":
        Object.assign(job(), { status: "Cancelled", refund_amount: a.refund, ...at });
        add(day(job().payment_token as string), "jobs_cancelled", 1),
          add(day(job().payment_token as string), "refunds", a.refund);
        step("JobCancelled", a.user);
        break;
      case "JobMarket:JobTimedOut":
        Object.assign(job(), {
          status: "TimedOut",
          refund_amount: a.refund,
          collateral_slashed: a.collateralSlashed,
          ...at,
        });
        add(day(job().payment_token as string), "jobs_timed_out", 1),
          add(day(job().payment_token as string), "refunds", a.refund);
        step("JobTimedOut", a.provider);
        break;
      case "JobMarket:ConsumerNotified":
        step("ConsumerNotified", a.consumer);
        break;
      case "JobMarket:DisputeOpened": {
        const j = job();
        Object.assign(j, { status: "Disputed", ...at });
        const existing = t.dispute.get(String(a.jobId));
        if (existing) Object.assign(existing, { disputer: a.disputer, draw_block: a.drawBlock });
        else
          t.dispute.set(String(a.jobId), {
            job_id: a.jobId,
            disputer: a.disputer,
            draw_block: a.drawBlock,
            committee: null,
            dispute_end: null,
            fault_votes: 0,
            clean_votes: 0,
            fraud_chunk: null,
            opened_block: BigInt(log.blockNumber),
            opened_tx: log.transactionHash,
            opened_at: time,
          });
        const m = modelOf(j);
        if (m) add(m, "disputes", 1);
        add(day(j.payment_token as string), "disputes", 1);
        step("DisputeOpened", a.disputer);
        break;
      }
      case "JobMarket:JobDisputed":
        Object.assign(get(t.dispute, String(a.jobId)), { committee: [...a.committee], dispute_end: a.disputeEnd });
        step("JobDisputed", a.disputer);
        break;
      case "JobMarket:DisputeVoted":
        t.vote.set(`${a.jobId}|${a.validator.toLowerCase()}`, {
          job_id: a.jobId,
          validator: a.validator,
          provider_at_fault: a.providerAtFault,
          block_number: BigInt(log.blockNumber),
          transaction_hash: log.transactionHash,
          timestamp: time,
        });
        add(get(t.dispute, String(a.jobId)), a.providerAtFault ? "fault_votes" : "clean_votes", 1);
        step("DisputeVoted", a.validator);
        break;
      case "JobMarket:JobSecretRevealed":
        step("JobSecretRevealed", a.revealer);
        break;
      case "JobMarket:CiphertextMismatchProven": {
        const existing = t.dispute.get(String(a.jobId));
        if (existing) existing.fraud_chunk = a.chunkIndex;
        else
          t.dispute.set(String(a.jobId), {
            job_id: a.jobId,
            disputer: null,
            draw_block: null,
            committee: null,
            dispute_end: null,
            fault_votes: 0,
            clean_votes: 0,
            fraud_chunk: a.chunkIndex,
            opened_block: BigInt(log.blockNumber),
            opened_tx: log.transactionHash,
            opened_at: time,
          });
        step("CiphertextMismatchProven", null);
        break;
      }
      case "JobMarket:JobSlashed": {
        const j = job();
        Object.assign(j, {
          status: "Slashed",
          refund_amount: a.refund,
          collateral_slashed: a.collateralSlashed,
          ...at,
        });
        const m = modelOf(j);
        if (m) add(m, "slashes", 1);
        add(day(j.payment_token as string), "jobs_slashed", 1),
          add(day(j.payment_token as string), "refunds", a.refund);
        step("JobSlashed", a.provider);
        break;
      }
      case "JobMarket:PaymentCredited":
      case "JobMarket:Deposited":
      case "JobMarket:Withdrawn": {
        const key = `${a.token}|${a.account}`.toLowerCase();
        const row = t.credit.get(key) ?? {
          payment_token: a.token,
          account: a.account,
          credited: 0n,
          deposited: 0n,
          withdrawn: 0n,
        };
        const columns = { PaymentCredited: "credited", Deposited: "deposited", Withdrawn: "withdrawn" } as const;
        const column = columns[parsed.name as keyof typeof columns];
        t.credit.set(key, {
          ...row,
          [column]: (row[column] as bigint) + a.amount,
          updated_block: BigInt(log.blockNumber),
        });
        break;
      }
      default:
        registryEvent(t, parsed, log, time);
    }
  }
  return Object.fromEntries(
    Object.entries(t).map(([name, rows]) => [name, [...rows.values()].map((r) => canonical(r) as Row)]),
  ) as Tables;
}

/** The two registries' events (their names do not overlap with the market's job events). */
function registryEvent(
  t: Record<keyof Tables, Map<string, Row>>,
  parsed: LogDescription,
  log: Log,
  time: bigint,
): void {
  const a = parsed.args;
  const provider = () => t.provider.get(String(a.provider).toLowerCase())!;
  switch (parsed.name) {
    case "ProviderRegistered":
      t.provider.set(a.provider.toLowerCase(), {
        address: a.provider,
        tier: Number(a.tier),
        encryption_key: a.encryptionKey,
        metadata_uri: a.metadataURI,
        accepting: false,
        stake: 0n,
        unbonding: 0n,
        completed: 0,
        timed_out: 0,
        disputed: 0,
        slashed: 0,
        released: 0,
        missed_votes: 0,
        slashed_amount: 0n,
        jobs_claimed: 0,
        tokens: 0n,
        earned: 0n,
        locked: 0n,
        registered_block: BigInt(log.blockNumber),
        registered_at: time,
      });
      break;
    case "ProviderTierChanged":
      provider().tier = Number(a.newTier);
      break;
    case "EncryptionKeyChanged":
      provider().encryption_key = a.encryptionKey;
      break;
    case "MetadataURIChanged":
      provider().metadata_uri = a.metadataURI;
      break;
    case "AcceptingChanged":
      provider().accepting = a.accepting;
      break;
    case "Staked":
      provider().stake = a.newStake;
      break;
    case "UnbondRequested":
      Object.assign(provider(), { stake: (provider().stake as bigint) - a.amount, unbonding: a.totalUnbonding });
      break;
    case "Withdrawn":
      provider().unbonding = (provider().unbonding as bigint) - a.amount;
      break;
    case "ProviderSlashed": {
      // StakingRegistry.slash: the job's whole collateral leaves `locked`; `amount` of it leaves the stake.
      const lock = t.collateral_lock.get(`${a.jobId}|${a.provider}`.toLowerCase())!;
      Object.assign(lock, { active: false, release: "Slashed", released_block: BigInt(log.blockNumber) });
      Object.assign(provider(), {
        stake: (provider().stake as bigint) - a.amount,
        slashed: (provider().slashed as number) + 1,
        slashed_amount: (provider().slashed_amount as bigint) + a.amount,
        locked: (provider().locked as bigint) - (lock.amount as bigint),
      });
      break;
    }
    case "CollateralLocked":
      t.collateral_lock.set(`${a.jobId}|${a.provider}`.toLowerCase(), {
        job_id: a.jobId,
        provider: a.provider,
        amount: a.amount,
        active: true,
        release: null,
        locked_block: BigInt(log.blockNumber),
        released_block: null,
      });
      provider().locked = (provider().locked as bigint) + a.amount;
      break;
    case "CollateralUnlocked":
      Object.assign(t.collateral_lock.get(`${a.jobId}|${a.provider}`.toLowerCase())!, {
        active: false,
        release: "Unlocked",
        released_block: BigInt(log.blockNumber),
      });
      provider().locked = (provider().locked as bigint) - a.amount;
      break;
    case "FeesWithdrawn":
      t.fee_withdrawal.set(`${log.transactionHash}-${log.index}`, {
        id: `${log.transactionHash}-${log.index}`,
        payment_token: a.token,
        treasury: a.treasury,
        amount: a.amount,
        block_number: BigInt(log.blockNumber),
        transaction_hash: log.transactionHash,
        timestamp: time,
      });
      break;
    case "FeeSet":
    case "TreasurySet":
    case "WindowsSet":
    case "CollateralSet":
    case "SampleRateSet":
    case "PaymentTokenSet":
    case "JobMarketBound":
    case "TierMinimumStakeChanged":
    case "UnbondingDelayChanged": {
      const key =
        parsed.name === "PaymentTokenSet" ? a.token : parsed.name === "TierMinimumStakeChanged" ? a.tier : undefined;
      const id = key === undefined ? parsed.name : `${parsed.name}:${String(key).toLowerCase()}`;
      // As viem decodes them: integers up to 48 bits as numbers, wider ones as decimal strings.
      const value = Object.fromEntries(
        parsed.fragment.inputs.map((input, i) => {
          const v = a[i];
          const bits = Number(/^u?int(\d+)$/.exec(input.type)?.[1] ?? 0);
          return [
            input.name,
            typeof v === "bigint"
              ? bits <= 48
                ? Number(v)
                : v.toString()
              : typeof v === "string"
                ? v.toLowerCase()
                : v,
          ];
        }),
      );
      t.setting.set(id, {
        id,
        value,
        block_number: BigInt(log.blockNumber),
        transaction_hash: log.transactionHash,
        timestamp: time,
      });
      break;
    }
    case "OutcomeRecorded": {
      // StakingRegistry._record: Slashed is counted by the slash itself (ProviderSlashed above).
      const column = {
        Completed: "completed",
        TimedOut: "timed_out",
        Disputed: "disputed",
        Slashed: undefined,
        Released: "released",
        VoteMissed: "missed_votes",
      }[OutcomeNames[Number(a.outcome)]!];
      if (column) provider()[column] = (provider()[column] as number) + 1;
      break;
    }
    case "OfferSet":
      t.offer.set(`${a.provider}|${a.modelId}|${a.paymentToken}`.toLowerCase(), {
        provider: a.provider,
        model_id: a.modelId,
        payment_token: a.paymentToken,
        price_per_token: a.pricePerToken,
        max_context: Number(a.maxContext),
        capacity: Number(a.capacity),
        determinism_class: a.determinismClass,
        active: true,
        updated_block: BigInt(log.blockNumber),
      });
      break;
    case "OfferRemoved":
      Object.assign(t.offer.get(`${a.provider}|${a.modelId}|${a.paymentToken}`.toLowerCase())!, {
        active: false,
        updated_block: BigInt(log.blockNumber),
      });
      break;
    case "ModelRegistered":
      t.model.set(a.modelId.toLowerCase(), {
        id: a.modelId,
        name: a.spec.name,
        weights_digest: a.spec.weightsDigest,
        quantization: a.spec.quantization,
        engine: a.spec.engine,
        min_tier: Number(a.minTier),
        status: "Active",
        jobs: 0,
        tokens: 0n,
        volume: 0n,
        disputes: 0,
        slashes: 0,
        registered_block: BigInt(log.blockNumber),
        registered_at: time,
      });
      break;
    case "ModelMinTierChanged":
      t.model.get(a.modelId.toLowerCase())!.min_tier = Number(a.newMinTier);
      break;
    case "ModelStatusChanged":
      t.model.get(a.modelId.toLowerCase())!.status = ModelStatusNames[Number(a.newStatus)];
      break;
  }
}
