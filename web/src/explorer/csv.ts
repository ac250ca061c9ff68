// Any table of the explorer as CSV (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled).
export type CsvColumn<Row> = { header: string; value: (row: Row) => unknown };

export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const field = (value: unknown) => {
    const text =
      value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const lines = [columns.map((c) => field(c.header)), ...rows.map((row) => columns.map((c) => field(c.value(row))))];
  return lines.map((cells) => cells.join(",")).join("\r\n") + "\r\n";
}
