import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { TRegistration } from '@reg/contracts/console-api';
import { EllipsisIcon } from './ellipsis-icon.tsx';

interface RegistrationActionsDropdownProps {
  registration: TRegistration;
  onRemove: (registration: TRegistration) => void;
  /** True when the row's first click loaded this menu: open at once, as the click asked. */
  defaultOpen: boolean;
}

/**
 * The row menu itself (Radix's dropdown: focus, arrow keys, Escape, typeahead). Its own chunk,
 * loaded by RegistrationActionsMenu on the first hover, focus or click of any row's button.
 */
export function RegistrationActionsDropdown({ registration, onRemove, defaultOpen }: RegistrationActionsDropdownProps) {
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger className="button-icon" aria-label={`Actions for ${registration.serverName}`}>
        <EllipsisIcon />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          <DropdownMenu.Item className="menu-item menu-item-danger" onSelect={() => onRemove(registration)}>
            Remove registration
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
