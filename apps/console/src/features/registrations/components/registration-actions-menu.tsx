import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import type { TRegistration } from '@reg/contracts/console-api';

export function EllipsisIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <circle cx="3" cy="8" r="1.5" fill="currentColor" />
      <circle cx="8" cy="8" r="1.5" fill="currentColor" />
      <circle cx="13" cy="8" r="1.5" fill="currentColor" />
    </svg>
  );
}

interface RegistrationActionsMenuProps {
  registration: TRegistration;
  onRemove: (registration: TRegistration) => void;
}

export function RegistrationActionsMenu({ registration, onRemove }: RegistrationActionsMenuProps) {
  return (
    <DropdownMenu.Root>
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
