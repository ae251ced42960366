import type { ReactNode } from "react";

type DataTableAlternativeProps = {
  caption: string;
  headers: string[];
  rows: { key: string; cells: ReactNode[] }[];
};

/** The numbers behind a chart as a table for screen readers: the chart itself is hidden from them. */
export function DataTableAlternative({ caption, headers, rows }: DataTableAlternativeProps) {
  return (
    <table className="sr-only">
      <caption>{caption}</caption>
      <thead>
        <tr>
          {headers.map((header) => (
            <th key={header} scope="col">
              {header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.key}>
            {row.cells.map((cell, index) =>
              index === 0 ? (
                <th key={index} scope="row">
                  {cell}
                </th>
              ) : (
                <td key={index}>{cell}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
