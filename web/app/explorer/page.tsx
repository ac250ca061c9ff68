import { Suspense } from "react";
import { JobsExplorer } from "../../src/explorer/JobsExplorer.tsx";

// The list reads its filters and page from the address (`useSearchParams`), which needs a Suspense boundary.
export default function Page() {
  return (
    <Suspense>
      <JobsExplorer />
    </Suspense>
  );
}
