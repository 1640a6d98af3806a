import * as DropdownMenu from '@radix-ui/react-dropdown-menu';

function EllipsisIcon() {
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

/** A row's ellipsis button, named "Actions for <row name>", opening a menu of its actions. */
export function ActionsMenu({ name, actions }: { name: string; actions: readonly MenuAction[] }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger className="button-icon" aria-label={`Actions for ${name}`}>
        <EllipsisIcon />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content className="menu" align="end" sideOffset={4}>
          {actions.map((action) => (
            <DropdownMenu.Item
              key={action.label}
              className={action.danger ? 'menu-item menu-item-danger' : 'menu-item'}
              onSelect={action.onSelect}
            >
              {action.label}
            </DropdownMenu.Item>
          ))}
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
