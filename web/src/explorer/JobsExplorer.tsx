"use client";
// /explorer: every job of the market from the indexer, filtered by provider, user, model, state and creation date,
// newest first, a page at a time, with links to each receipt and provider, and the page as CSV. The filters applied
// and the page live in the address (`/explorer?state=Cancelled&page=2`), so a view can be shared and reloaded.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { Address } from "viem";
import { JobStatusNames } from "@octo/sdk";
import { ErrorNotice } from "../components/ErrorNotice.tsx";
import { formatDate, shortAddress } from "../lib/format.ts";
import type { CsvColumn } from "./csv.ts";
import { CsvButton } from "./CsvButton.tsx";
import { ExplorerNav } from "./ExplorerNav.tsx";
import type { SqlRow } from "./indexerSql.ts";
import { jobsPageQuery, type JobFilters } from "./jobsQuery.ts";
import { jobsSearchString, parseJobsSearch, type JobsSearch } from "./jobsSearch.ts";
import { big, str, useIndexerQuery } from "./useIndexerQuery.ts";
import { useTokenFormat } from "./useTokenFormat.ts";

const PAGE_SIZE = 20;
const STATES = JobStatusNames.filter((s) => s !== "None");

export function JobsExplorer() {
  const router = useRouter();
  const pathname = usePathname();
  const searchKey = useSearchParams().toString();
  const { filters, page } = useMemo(() => parseJobsSearch(new URLSearchParams(searchKey)), [searchKey]);
  // The form edits a draft; when the address changes (Apply, a link, back), the form shows what the list shows.
  const [draft, setDraft] = useState<JobFilters>(filters);
  const [draftOf, setDraftOf] = useState(searchKey);
  if (draftOf !== searchKey) {
    setDraftOf(searchKey);
    setDraft(filters);
  }
  const show = (next: JobsSearch) => {
    const search = jobsSearchString(next);
    router.replace(search ? `${pathname}?${search}` : pathname, { scroll: false });
  };
  const { sql, params } = jobsPageQuery(filters, page, PAGE_SIZE);
  const jobs = useIndexerQuery(sql, params);
  const models = useIndexerQuery("select id, name from model order by name");
  const token = useTokenFormat();
  const modelName = (id: string) => str(models.data?.find((m) => str(m, "id") === id) ?? {}, "name") || id.slice(0, 10);
  const rows = (jobs.data ?? []).slice(0, PAGE_SIZE);
  const hasNext = (jobs.data?.length ?? 0) > PAGE_SIZE;
  const paid = (r: SqlRow) => big(r, "provider_amount") + big(r, "fee_amount");

  const columns: CsvColumn<SqlRow>[] = [
    { header: "job", value: (r) => str(r, "id") },
    { header: "state", value: (r) => str(r, "status") },
    { header: "user", value: (r) => str(r, "user") },
    { header: "provider", value: (r) => str(r, "provider") || str(r, "named_provider") },
    { header: "model", value: (r) => modelName(str(r, "model_id")) },
    { header: "tokens", value: (r) => str(r, "token_count") },
    { header: "paid", value: (r) => paid(r).toString() },
    { header: "refund", value: (r) => str(r, "refund_amount") },
    { header: "created", value: (r) => formatDate(big(r, "created_at")) },
    { header: "block", value: (r) => str(r, "created_block") },
  ];
  const field = (name: keyof JobFilters, label: string, placeholder: string, type = "text") => (
    <label>
      {label}
      <input
        type={type}
        value={draft[name] ?? ""}
        placeholder={placeholder}
        data-testid={`filter-${name}`}
        onChange={(e) => setDraft({ ...draft, [name]: e.target.value || undefined })}
      />
    </label>
  );

  return (
    <section className="card explorer">
      <h1>Explorer</h1>
      <ExplorerNav />
      <form
        className="grid filters"
        onSubmit={(e) => {
          e.preventDefault();
          show({ filters: draft, page: 0 });
        }}
      >
        {field("provider", "Provider", "0x…")}
        {field("user", "User", "0x…")}
        <label>
          Model
          <select
            value={draft.model ?? ""}
            data-testid="filter-model"
            onChange={(e) => setDraft({ ...draft, model: e.target.value || undefined })}
          >
            <option value="">any</option>
            {(models.data ?? []).map((m) => (
              <option key={str(m, "id")} value={str(m, "id")}>
                {str(m, "name")}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select
            value={draft.state ?? ""}
            data-testid="filter-state"
            onChange={(e) => setDraft({ ...draft, state: e.target.value || undefined })}
          >
            <option value="">any</option>
            {STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        {field("from", "Created from (UTC)", "YYYY-MM-DD", "date")}
        {field("to", "Created to (UTC)", "YYYY-MM-DD", "date")}
        <div className="row">
          <button type="submit" data-testid="apply-filters">
            Apply
          </button>
          <button
            type="button"
            onClick={() => {
              setDraft({});
              show({ filters: {}, page: 0 });
            }}
          >
            Clear
          </button>
        </div>
      </form>
      <ErrorNotice error={jobs.error} onRetry={() => void jobs.refetch()} />
      <table data-testid="jobs-table" data-loading={jobs.isFetching && !jobs.data ? "true" : "false"}>
        <thead>
          <tr>
            <th>Job</th>
            <th>State</th>
            <th>User</th>
            <th>Provider</th>
            <th>Model</th>
            <th>Tokens</th>
            <th>Paid</th>
            <th>Created (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => {
            const provider = (str(r, "provider") || str(r, "named_provider")) as Address | "";
            return (
              <tr key={str(r, "id")} data-testid={`job-row-${str(r, "id")}`} data-state={str(r, "status")}>
                <td>
                  <Link href={`/explorer/jobs/${str(r, "id")}`}>#{str(r, "id")}</Link>
                </td>
                <td>
                  <span className={`state state-${str(r, "status")}`}>{str(r, "status")}</span>
                </td>
                <td title={str(r, "user")}>{shortAddress(str(r, "user") as Address)}</td>
                <td>
                  {provider ? <Link href={`/explorer/providers/${provider}`}>{shortAddress(provider)}</Link> : "any"}
                </td>
                <td>{modelName(str(r, "model_id"))}</td>
                <td>{str(r, "token_count")}</td>
                <td>{paid(r) > 0n ? token.amount(paid(r)) : ""}</td>
                <td>{formatDate(big(r, "created_at"))}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {jobs.data && rows.length === 0 && (
        <p className="hint" data-testid="no-jobs">
          No job matches these filters.
        </p>
      )}
      <div className="row">
        <button
          type="button"
          disabled={page === 0}
          onClick={() => show({ filters, page: page - 1 })}
          data-testid="page-prev"
        >
          ← Newer
        </button>
        <span className="hint" data-testid="page-number">
          Page {page + 1}
        </span>
        <button
          type="button"
          disabled={!hasNext}
          onClick={() => show({ filters, page: page + 1 })}
          data-testid="page-next"
        >
          Older →
        </button>
        <CsvButton name="jobs" columns={columns} rows={rows} />
      </div>
    </section>
  );
}
