import { JobPageClient } from "../../../src/components/JobPageClient.tsx";

export default async function Page({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return <JobPageClient jobId={jobId} />;
}
