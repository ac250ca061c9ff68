import { TotalsView } from "../../../src/explorer/TotalsView.tsx";

export default function Page() {
  return <TotalsView />;
}
