"use client";
import { JobView } from "./JobView.tsx";

export function JobPageClient({ jobId }: { jobId: string }) {
  if (!/^\d+$/.test(jobId)) return <p className="notice error">“{jobId}” is not a job number.</p>;
  return <JobView jobId={BigInt(jobId)} />;
}
