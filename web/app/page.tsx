import { JobForm } from "../src/components/JobForm.tsx";

export default function JobPage() {
  return <JobForm />;
}
