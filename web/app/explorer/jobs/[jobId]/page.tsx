import { JobReceiptPage } from "../../../../src/explorer/JobReceiptPage.tsx";

export default async function Page({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  return <JobReceiptPage jobId={jobId} />;
}
