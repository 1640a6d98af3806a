import type { ReactNode } from 'react';
import { LoadMore } from './load-more.tsx';
import { ErrorState, ListStates } from './states.tsx';

export interface Column<Row> {
  /** Unique among the columns (React key). */
  id: string;
  /** The column header; with `hideHeader` it is read out but not shown (e.g. "Actions"). */
  header: string;
  hideHeader?: boolean;
  cell: (row: Row) => ReactNode;
  /** The cell that names the row: a <th scope="row">. */
  rowHeader?: boolean;
  /** Classes of the body cell, e.g. "nowrap", "wrap", "cell-actions". */
  className?: string;
}

/** What the table reads from a TanStack query (plain or infinite). */
interface TableQuery {
  isPending: boolean;
  isError: boolean;
  isFetching?: boolean;
  error: unknown;
  refetch: () => unknown;
  hasNextPage?: boolean;
  isFetchingNextPage?: boolean;
  fetchNextPage?: () => Promise<unknown>;
}

/** Optional check boxes per row ("Select <name>") and one for the rows shown ("Select all on this page"). */
export interface RowSelection<Row> {
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
  /** The row's name in "Select <name>". */
  nameOf: (row: Row) => string;
}

interface DataTableProps<Row> {
  /** The table's accessible name (a visually hidden caption). */
  caption: string;
  columns: readonly Column<Row>[];
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  query: TableQuery;
  loadingLabel: string;
  errorTitle: string;
  /** Shown when there are no rows (and no error): a first-time help or "nothing matches". */
  empty: ReactNode;
  selection?: RowSelection<Row>;
}

/**
 * The one list table: loading, error (Try again), empty, rows, "Load more" for keyset pages.
 * It scrolls sideways inside its own box on a narrow screen, never the page.
 */
export function DataTable<Row>(props: DataTableProps<Row>) {
  const { query, rows } = props;
  return (
    <>
      {query.isError && rows.length > 0 && <ErrorState title="The list could not be refreshed." error={query.error} />}
      <ListStates
        query={query}
        count={rows.length}
        loadingLabel={props.loadingLabel}
        errorTitle={props.errorTitle}
        empty={props.empty}
      >
        <div className="table-wrap">
          <table className="table" aria-busy={query.isFetching || undefined}>
            <caption className="visually-hidden">{props.caption}</caption>
            <thead>
              <tr>
                {props.selection && (
                  <th scope="col" className="cell-select">
                    <SelectAll rows={rows} rowKey={props.rowKey} selection={props.selection} />
                  </th>
                )}
                {props.columns.map((column) => (
                  <th key={column.id} scope="col">
                    {column.hideHeader ? <span className="visually-hidden">{column.header}</span> : column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <TableRow key={props.rowKey(row)} row={row} {...props} />
              ))}
            </tbody>
          </table>
        </div>
      </ListStates>
      {query.fetchNextPage && (
        <LoadMore
          query={{
            hasNextPage: query.hasNextPage ?? false,
            isFetchingNextPage: query.isFetchingNextPage ?? false,
            fetchNextPage: query.fetchNextPage,
          }}
        />
      )}
    </>
  );
}

function TableRow<Row>({ row, columns, rowKey, selection }: DataTableProps<Row> & { row: Row }) {
  const key = rowKey(row);
  return (
    <tr>
      {selection && (
        <td className="cell-select">
          <input
            type="checkbox"
            aria-label={`Select ${selection.nameOf(row)}`}
            checked={selection.selected.has(key)}
            onChange={(event) => {
              const next = new Set(selection.selected);
              if (event.target.checked) next.add(key);
              else next.delete(key);
              selection.onChange(next);
            }}
          />
        </td>
      )}
      {columns.map((column) =>
        column.rowHeader ? (
          <th key={column.id} scope="row" className={column.className}>
            {column.cell(row)}
          </th>
        ) : (
          <td key={column.id} className={column.className}>
            {column.cell(row)}
          </td>
        ),
      )}
    </tr>
  );
}

function SelectAll<Row>({
  rows,
  rowKey,
  selection,
}: {
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  selection: RowSelection<Row>;
}) {
  const keys = rows.map(rowKey);
  const chosen = keys.filter((key) => selection.selected.has(key)).length;
  return (
    <input
      type="checkbox"
      aria-label="Select all on this page"
      checked={chosen > 0 && chosen === keys.length}
      ref={(input) => {
        if (input) input.indeterminate = chosen > 0 && chosen < keys.length;
      }}
      onChange={(event) => {
        const next = new Set(selection.selected);
        for (const key of keys) {
          if (event.target.checked) next.add(key);
          else next.delete(key);
        }
        selection.onChange(next);
      }}
    />
  );
}

/**
 * A button in a row. Its name stays the same on every row (as the e2e tests and screen-reader
 * users expect); the row's name, by id, describes which one it acts on.
 */
export function RowButton({
  describedBy,
  danger = false,
  disabled,
  onClick,
  children,
}: {
  /** The id of the element naming the row. */
  describedBy: string;
  /** Outlined in red: the button removes something. */
  danger?: boolean;
  disabled?: boolean;
  onClick: () => void;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className={danger ? 'button button-small button-danger-outline' : 'button button-small'}
      aria-describedby={describedBy}
      disabled={disabled}
      onClick={onClick}
    >
      {children}
    </button>
  );
}

/** A column of one RowButton per row. */
export function buttonColumn<Row>({
  label,
  danger,
  describedBy,
  onClick,
}: {
  label: string;
  danger?: boolean;
  describedBy: (row: Row) => string;
  onClick: (row: Row) => void;
}): Column<Row> {
  return {
    id: 'actions',
    header: 'Actions',
    hideHeader: true,
    className: 'cell-actions',
    cell: (row) => (
      <RowButton describedBy={describedBy(row)} danger={danger} onClick={() => onClick(row)}>
        {label}
      </RowButton>
    ),
  };
}
