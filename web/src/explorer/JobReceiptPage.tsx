"use client";
import { JobReceipt } from "./JobReceipt.tsx";

export function JobReceiptPage({ jobId }: { jobId: string }) {
  if (!/^\d+$/.test(jobId)) return <p className="notice error">“{jobId}” is not a job number.</p>;
  return <JobReceipt jobId={BigInt(jobId)} />;
}
