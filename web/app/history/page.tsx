import { HistoryList } from "../../src/components/HistoryList.tsx";

export default function HistoryPage() {
  return <HistoryList />;
}
