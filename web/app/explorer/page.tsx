import { JobsExplorer } from "../../src/explorer/JobsExplorer.tsx";

type Search = Record<string, string | string[] | undefined>;
const FILTERS = ["provider", "user", "model", "state", "from", "to"] as const;

export default async function Page({ searchParams }: { searchParams: Promise<Search> }) {
  const search = await searchParams;
  // Links into the list (a provider's jobs, a user's, a model's) name their filters in the query string.
  const initial = Object.fromEntries(FILTERS.flatMap((k) => (typeof search[k] === "string" ? [[k, search[k]]] : [])));
  return <JobsExplorer initial={initial} />;
}
