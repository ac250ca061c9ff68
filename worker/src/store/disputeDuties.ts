/**
 * What this provider owes a disputed job, kept beside the jobs in the worker's SQLite store:
 *   - 'accused': our own result is disputed; we reveal the job secret to the committee so it can re-run the job;
 *   - 'member':  we were drawn to the committee; we re-run the job and vote.
 * A duty is 'open' until we act ('acted') or the dispute ends without us ('closed'). Moves are compare-and-set, like
 * job steps, so a restart or a second tick never acts twice (the sender's intents guard the transactions as well).
 *
 * API — disputeDuties(store):
 *   record(jobId, role, data): boolean       inserts an open duty; false when the job already has one
 *   get(jobId) / inStep(step)
 *   advance(jobId, from, to, { data?, reason? }): boolean
 *   forget(jobId): boolean                    drops an open duty (its JobDisputed log was removed by a reorg)
 *   countByRoleAndStep()                      for the metrics
 */
import type { Store } from "./openStore.ts";
import { parse, stringify } from "./json.ts";
import { fromKey, idKey } from "./jobIdKey.ts";

export const DISPUTE_ROLES = ["accused", "member"] as const;
export const DUTY_STEPS = ["open", "acted", "closed"] as const;
export type DisputeRole = (typeof DISPUTE_ROLES)[number];
export type DutyStep = (typeof DUTY_STEPS)[number];

export type DisputeDuty<TData = Record<string, unknown>> = {
  /** The market's job id (kept as text in SQLite, converted here). */
  jobId: bigint;
  role: DisputeRole;
  step: DutyStep;
  reason: string | null;
  data: TData;
};

type DutyRow = { job_id: string; role: DisputeRole; step: DutyStep; reason: string | null; data: string };

const toDuty = <T>(r: DutyRow): DisputeDuty<T> => ({
  jobId: fromKey(r.job_id),
  role: r.role,
  step: r.step,
  reason: r.reason,
  data: parse<T>(r.data),
});

export function disputeDuties(store: Pick<Store, "db" | "transaction">) {
  const { db } = store;
  const q = {
    insert: db.prepare(
      `INSERT INTO dispute_duties (job_id, role, step, data, created_at, updated_at) VALUES (?, ?, 'open', ?, ?, ?)
       ON CONFLICT (job_id) DO NOTHING`,
    ),
    get: db.prepare<[string], DutyRow>("SELECT job_id, role, step, reason, data FROM dispute_duties WHERE job_id = ?"),
    inStep: db.prepare<[DutyStep], DutyRow>(
      "SELECT job_id, role, step, reason, data FROM dispute_duties WHERE step = ? ORDER BY created_at, job_id",
    ),
    cas: db.prepare(
      "UPDATE dispute_duties SET step = ?, reason = ?, data = ?, updated_at = ? WHERE job_id = ? AND step = ?",
    ),
    forget: db.prepare(`DELETE FROM dispute_duties WHERE job_id = ? AND step = 'open'`),
    count: db.prepare<[], { role: DisputeRole; step: DutyStep; n: number }>(
      "SELECT role, step, COUNT(*) AS n FROM dispute_duties GROUP BY role, step",
    ),
  };
  return {
    record(jobId: bigint, role: DisputeRole, data: Record<string, unknown> = {}): boolean {
      const t = Date.now();
      return q.insert.run(idKey(jobId), role, stringify(data), t, t).changes === 1;
    },
    get<T = Record<string, unknown>>(jobId: bigint): DisputeDuty<T> | undefined {
      const row = q.get.get(idKey(jobId));
      return row && toDuty<T>(row);
    },
    inStep<T = Record<string, unknown>>(step: DutyStep): DisputeDuty<T>[] {
      return q.inStep.all(step).map((r) => toDuty<T>(r));
    },
    /** Only open → acted | closed; a duty that was acted on or closed never moves again. */
    advance(
      jobId: bigint,
      from: "open",
      to: "acted" | "closed",
      { data, reason }: { data?: Record<string, unknown>; reason?: string } = {},
    ): boolean {
      const id = idKey(jobId);
      return store.transaction(() => {
        const row = q.get.get(id);
        if (!row || row.step !== from) return false;
        const merged = { ...parse<Record<string, unknown>>(row.data), ...data };
        return q.cas.run(to, reason ?? null, stringify(merged), Date.now(), id, from).changes === 1;
      });
    },
    forget(jobId: bigint): boolean {
      return q.forget.run(idKey(jobId)).changes === 1;
    },
    countByRoleAndStep(): { role: DisputeRole; step: DutyStep; n: number }[] {
      return q.count.all();
    },
  };
}

export type DisputeDuties = ReturnType<typeof disputeDuties>;
