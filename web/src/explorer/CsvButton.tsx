"use client";
// "Export CSV" for any table of the explorer: the rows as shown, downloaded by the browser (nothing leaves the page).
import { toCsv, type CsvColumn } from "./csv.ts";

export function CsvButton<Row>({
  name,
  columns,
  rows,
}: {
  name: string;
  columns: readonly CsvColumn<Row>[];
  rows: readonly Row[];
}) {
  const download = () => {
    const blob = new Blob([toCsv(columns, rows)], { type: "text/csv" });
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = `${name}.csv`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  };
  return (
    <button type="button" className="csv" onClick={download} disabled={rows.length === 0} data-testid={`csv-${name}`}>
      Export CSV
    </button>
  );
}
