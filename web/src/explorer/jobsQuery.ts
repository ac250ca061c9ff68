// The explorer's job list as one SQL statement over the indexer's `job` table: filters by provider, user, model,
// state and creation date, newest first, one page at a time. Pure: the unit tests pin the statement.
import type { SqlValue } from "./indexerSql.ts";

export type JobFilters = {
  provider?: string | undefined;
  user?: string | undefined;
  /** A model id (0x…) */
  model?: string | undefined;
  /** A JobStatus name (Open, Claimed, …, Refunded) */
  state?: string | undefined;
  /** Created on or after this UTC day (YYYY-MM-DD) */
  from?: string | undefined;
  /** Created on or before this UTC day (YYYY-MM-DD) */
  to?: string | undefined;
};

export const JOB_COLUMNS =
  'id, "user", provider, named_provider, model_id, status, token_count, provider_amount, fee_amount, refund_amount, escrow, created_at, created_block';

/** Seconds at 00:00 UTC of a YYYY-MM-DD day, or undefined when it is not one. */
export function dayStart(day: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const ms = Date.parse(`${day}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms / 1000;
}

/** The WHERE clause and its parameters for a set of filters (addresses compared in lower case, as indexed). */
export function jobsWhere(filters: JobFilters): { where: string; params: SqlValue[] } {
  const clauses: string[] = [];
  const params: SqlValue[] = [];
  const add = (clause: (placeholder: string) => string, value: SqlValue) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (filters.provider) add((p) => `provider = ${p}`, filters.provider.toLowerCase());
  if (filters.user) add((p) => `"user" = ${p}`, filters.user.toLowerCase());
  if (filters.model) add((p) => `model_id = ${p}`, filters.model.toLowerCase());
  if (filters.state) add((p) => `status = ${p}`, filters.state);
  const from = filters.from ? dayStart(filters.from) : undefined;
  if (from !== undefined) add((p) => `created_at >= ${p}`, from);
  const to = filters.to ? dayStart(filters.to) : undefined;
  if (to !== undefined) add((p) => `created_at < ${p}`, to + 86_400);
  return { where: clauses.length ? ` where ${clauses.join(" and ")}` : "", params };
}

/** One page of jobs (page 0 first), newest first, and one more row than the page to tell whether another follows. */
export function jobsPageQuery(
  filters: JobFilters,
  page: number,
  pageSize: number,
): { sql: string; params: SqlValue[] } {
  const { where, params } = jobsWhere(filters);
  return {
    sql: `select ${JOB_COLUMNS} from job${where} order by id desc limit ${pageSize + 1} offset ${page * pageSize}`,
    params,
  };
}
