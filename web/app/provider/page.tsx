import { ProviderDashboard } from "../../src/components/ProviderDashboard.tsx";

export default function ProviderPage() {
  return <ProviderDashboard />;
}
