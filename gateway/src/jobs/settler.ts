// Sees every paid job to its end, whether or not a request still waits on it (a client that hung up, a gateway that
// restarted): a job that reached a final status is settled in the ledger at what it cost and its key gets back the
// rest of its escrow; a job whose deadline passed without a result is reclaimed (cancelled or timed out, the escrow
// refunded). On start it also scans the chain for jobs the operator created that the ledger missed (a crash between
// the creation being mined and being recorded), so nothing paid is ever forgotten, and nothing is paid twice: the
// gateway never re-creates a job, it only follows the ones that exist.
import type { Hash } from "viem";
import { ContractRevertedError, jobMarketAbi, type JobStatusName } from "@octo/sdk";
import type { Logger } from "pino";
import { refundApiKey } from "../keys/apiKeys.ts";
import type { Market } from "../market/connectMarket.ts";
import type { Store } from "../store/openStore.ts";
import { attachSendingHold, releaseAllHolds } from "./escrowHolds.ts";
import { getLedgerJob, getMeta, pendingJobs, recordJob, setJobStatus, setMeta, settleJob } from "./jobLedger.ts";

const FINAL = new Set<JobStatusName>(["Finalized", "Cancelled", "TimedOut", "Slashed", "Refunded"]);

export type SettlerParameters = {
  market: Market;
  store: Store;
  logger: Logger;
  /** Jobs a live request is following: those it reclaims itself. */
  attached: ReadonlySet<bigint>;
  onSettled?: ((job: { jobId: bigint; status: JobStatusName; cost: bigint }) => void) | undefined;
  intervalMs?: number | undefined;
};

export function createSettler({ market, store, logger, attached, onSettled, intervalMs = 2_000 }: SettlerParameters) {
  /** Reads the job's status; settles it when final, reclaims it when its deadline has passed. Returns the status and
   *  the reclaim transaction when one was sent. */
  async function check(
    jobId: bigint,
    { reclaimIfLate }: { reclaimIfLate: boolean },
  ): Promise<{ status: JobStatusName; reclaimHash?: Hash }> {
    const job = await market.client.getJob({ jobId });
    const ledger = getLedgerJob(store, jobId);
    if (FINAL.has(job.statusName)) {
      // Only a finalized job is paid for; every other final status refunded the escrow in full.
      const cost = job.statusName === "Finalized" ? BigInt(job.tokenCount) * job.pricePerToken : 0n;
      if (ledger && settleJob(store, jobId, job.statusName, cost)) {
        if (ledger.keyId) refundApiKey(store, ledger.keyId, ledger.maxCost - cost);
        logger.info({ jobId: jobId.toString(), status: job.statusName, cost: cost.toString() }, "job settled");
        onSettled?.({ jobId, status: job.statusName, cost });
      }
      return { status: job.statusName };
    }
    if (ledger && ledger.status !== job.statusName) setJobStatus(store, jobId, job.statusName);
    if (!reclaimIfLate || (job.statusName !== "Open" && job.statusName !== "Claimed"))
      return { status: job.statusName };
    const { timestamp } = await market.client.getBlock({ blockTag: "latest" });
    if (timestamp <= BigInt(job.deadline)) return { status: job.statusName };
    try {
      const { hash, action } = await market.serially(() => market.client.reclaim({ jobId }));
      logger.warn({ jobId: jobId.toString(), action, hash }, "deadline passed without a result: escrow reclaimed");
      return { ...(await check(jobId, { reclaimIfLate: false })), reclaimHash: hash };
    } catch (error) {
      // Someone else settled it first (the provider's late result, another reclaim): read it again next time.
      if (error instanceof ContractRevertedError) return { status: job.statusName };
      throw error;
    }
  }

  /** Adopts the operator's jobs the ledger does not know, from the last scanned block to the head. Run at start only,
   *  before any request: it also releases the holds the previous process left. */
  async function scan(): Promise<number> {
    const jobMarket = market.deployments.contracts.JobMarket;
    const from = BigInt(getMeta(store, "scannedBlock") ?? jobMarket.deployedOnBlock.toString());
    const head = await market.client.getBlockNumber({ cacheTime: 0 });
    if (from > head) return 0;
    const logs = await market.client.getContractEvents({
      address: jobMarket.address,
      abi: jobMarketAbi,
      eventName: "JobCreated",
      args: { user: market.operator },
      fromBlock: from,
      toBlock: head,
      strict: true,
    });
    let adopted = 0;
    for (const log of logs) {
      const { jobId, request, escrow } = log.args;
      if (
        !recordJob(store, {
          jobId,
          keyId: undefined,
          provider: request.provider,
          maxCost: escrow,
          createTx: log.transactionHash,
        })
      )
        continue;
      adopted++;
      const keyId = attachSendingHold(store, { jobId, provider: request.provider, maxCost: escrow });
      logger.warn({ jobId: jobId.toString(), keyId }, "adopted a job created before a restart but never recorded");
    }
    setMeta(store, "scannedBlock", (head + 1n).toString());
    return adopted;
  }

  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const tick = async () => {
    for (const job of pendingJobs(store)) {
      if (stopped) return;
      try {
        await check(job.jobId, { reclaimIfLate: !attached.has(job.jobId) });
      } catch (error) {
        logger.warn({ jobId: job.jobId.toString(), err: error }, "settler: cannot check job");
      }
    }
  };
  const loop = () => {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };

  return {
    check,
    scan,
    /** Scans, releases the holds no job took (every request died with the previous process), then checks the
     *  pending jobs every interval. */
    async start() {
      await scan();
      const released = releaseAllHolds(store);
      if (released > 0)
        logger.warn({ released }, "released escrow holds of requests that died before their job existed");
      loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export type Settler = ReturnType<typeof createSettler>;
