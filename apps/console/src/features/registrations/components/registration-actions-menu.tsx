import type { TRegistration } from '@reg/contracts/console-api';
import { useState, type KeyboardEvent } from 'react';
import { EllipsisIcon } from './ellipsis-icon.tsx';
import type * as DropdownModule from './registration-actions-dropdown.tsx';

/*
 * Radix's dropdown with its popper, focus scope and scroll lock is ~30 KB gzipped, a sixth of
 * what Product Registrations loads, and most visits never open a row menu. So the page shows
 * a plain button with the same name, and the menu's chunk loads on the first hover or focus
 * of any row's button (usually done before the click lands) and opens on the click that
 * needed it. One load serves every row.
 */
let dropdown: typeof DropdownModule | null = null;
let loading: Promise<typeof DropdownModule> | null = null;
function loadDropdown(): Promise<typeof DropdownModule> {
  loading ??= import('./registration-actions-dropdown.tsx').then(
    (module) => (dropdown = module),
    (error: unknown) => {
      loading = null; // a failed download is tried again on the next click
      throw error;
    },
  );
  return loading;
}

const preload = () => void loadDropdown().catch(() => undefined);

interface RegistrationActionsMenuProps {
  registration: TRegistration;
  onRemove: (registration: TRegistration) => void;
}

export function RegistrationActionsMenu({ registration, onRemove }: RegistrationActionsMenuProps) {
  const [loaded, setLoaded] = useState<{ module: typeof DropdownModule; open: boolean } | null>(() =>
    dropdown ? { module: dropdown, open: false } : null,
  );
  if (loaded) {
    const { RegistrationActionsDropdown } = loaded.module;
    return <RegistrationActionsDropdown registration={registration} onRemove={onRemove} defaultOpen={loaded.open} />;
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
      aria-label={`Actions for ${registration.serverName}`}
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
