import { useState, type KeyboardEvent } from 'react';
import type * as DropdownModule from './actions-menu-dropdown.tsx';
import type { Column } from './data-table.tsx';

export function EllipsisIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="3" cy="8" r="1.5" fill="currentColor" />
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
      <circle cx="13" cy="8" r="1.5" fill="currentColor" />
    </svg>
  );
}

export interface MenuAction {
  label: string;
  /** Shown in red: the item removes something. */
  danger?: boolean;
  onSelect: () => void;
}

export interface ActionsMenuProps {
  name: string;
  actions: readonly MenuAction[];
}

/*
 * Radix's dropdown with its popper, focus scope and scroll lock is ~30 KB gzipped, a sixth of
 * what Product Registrations would load, and most visits never open a row menu. So a row
 * shows a plain button with the same name, and the menu's chunk loads on the first hover or
 * focus of any row's button (usually done before the click lands) and opens on the click
 * that needed it. One load serves every row of every list.
 */
let dropdown: typeof DropdownModule | null = null;
let loading: Promise<typeof DropdownModule> | null = null;
function loadDropdown(): Promise<typeof DropdownModule> {
  loading ??= import('./actions-menu-dropdown.tsx').then(
    (module) => (dropdown = module),
    (error: unknown) => {
      loading = null; // a failed download is tried again on the next click
      throw error;
    },
  );
  return loading;
}
const preload = () => void loadDropdown().catch(() => undefined);

/** A row's ellipsis button, named "Actions for <row name>", opening a menu of its actions. */
function ActionsMenu({ name, actions }: ActionsMenuProps) {
  const [loaded, setLoaded] = useState<{ module: typeof DropdownModule; open: boolean } | null>(() =>
    dropdown ? { module: dropdown, open: false } : null,
  );
  if (loaded) {
    const { ActionsMenuDropdown } = loaded.module;
    return <ActionsMenuDropdown name={name} actions={actions} defaultOpen={loaded.open} />;
  }

  const open = () => {
    loadDropdown().then(
      (module) => setLoaded({ module, open: true }),
      () => undefined, // offline: the button stays, and the next click tries again
    );
  };
  const onKeyDown = (event: KeyboardEvent) => {
    // Radix opens its menu on ArrowDown too; Enter and Space arrive as a click.
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      open();
    }
  };
  return (
    <button
      type="button"
      className="button-icon"
      aria-label={`Actions for ${name}`}
      aria-haspopup="menu"
      aria-expanded={false}
      onPointerEnter={preload}
      onFocus={preload}
      onClick={open}
      onKeyDown={onKeyDown}
    >
      <EllipsisIcon />
    </button>
  );
}

/**
 * A list's last column: each row's menu of actions, named after the row. A row with no action
 * (e.g. a revoked key) shows no button rather than an empty menu.
 */
export function actionsColumn<Row>(nameOf: (row: Row) => string, actionsOf: (row: Row) => MenuAction[]): Column<Row> {
  return {
    id: 'actions',
    header: 'Actions',
    hideHeader: true,
    className: 'cell-actions',
    cell: (row) => {
      const actions = actionsOf(row);
      return actions.length === 0 ? null : <ActionsMenu name={nameOf(row)} actions={actions} />;
    },
  };
}
