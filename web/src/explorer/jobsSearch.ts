// The explorer's list state in its address: the filters and the page as a query string
// (`/explorer?state=Cancelled&provider=0x…&page=2`), so that a filtered view can be shared, reloaded and come back to.
// Pure: the unit tests pin both directions.
import type { JobFilters } from "./jobsQuery.ts";

export const FILTER_NAMES = [
  "provider",
  "user",
  "model",
  "state",
  "from",
  "to",
] as const satisfies readonly (keyof JobFilters)[];

export type JobsSearch = { filters: JobFilters /** 0 for the first page */; page: number };

/** Reads the filters and the page from a query string; unknown names, empty values and a page that is not a positive
 *  whole number are ignored. The page is 1-based in the address, as the list shows it. */
export function parseJobsSearch(search: Pick<URLSearchParams, "get">): JobsSearch {
  const filters: JobFilters = {};
  for (const name of FILTER_NAMES) {
    const value = search.get(name);
    if (value) filters[name] = value;
  }
  const page = Number(search.get("page"));
  return { filters, page: Number.isSafeInteger(page) && page > 1 ? page - 1 : 0 };
}

/** The query string (without "?") for filters and a page: only the filters set, and the page from the second on. */
export function jobsSearchString({ filters, page }: JobsSearch): string {
  const search = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value) search.set(name, value);
  }
  if (page > 0) search.set("page", String(page + 1));
  return search.toString();
}
