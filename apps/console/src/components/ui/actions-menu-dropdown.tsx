import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { EllipsisIcon, type ActionsMenuProps } from './actions-menu.tsx';

/**
 * The row menu itself (Radix's dropdown: focus, arrow keys, Escape, typeahead). Its own chunk,
 * loaded by ActionsMenu on the first hover, focus or click of any row's button.
 */
export function ActionsMenuDropdown({ name, actions, defaultOpen }: ActionsMenuProps & { defaultOpen: boolean }) {
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
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
