import type { TSessionResponse } from '@reg/contracts/console-api';
import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router';
import { useSwitchCustomer } from '../api/switch-customer.ts';

/** Keys that move a closed select's choice one by one (a letter jumps to a name). */
const BROWSING_KEYS = new Set(['ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown']);
const browses = (event: KeyboardEvent) =>
  !event.altKey &&
  !event.metaKey &&
  !event.ctrlKey &&
  (BROWSING_KEYS.has(event.key) || (event.key.length === 1 && event.key !== ' '));

/**
 * The header's customer: a menu for a person who administers several customers, switching the
 * session to another (then the first page, since ids of one customer mean nothing in another).
 * A native select, so it works with every keyboard and screen reader. Arrow keys on a closed
 * select change its value at once, which would switch (and leave the page) at every step on
 * the way to the customer wanted: a choice made that way waits for Enter (or for the focus to
 * leave); Escape puts the current customer back. A mouse pick, or one from the opened list,
 * switches at once.
 */
export function CustomerSwitcher({ session }: { session: TSessionResponse }) {
  const switchCustomer = useSwitchCustomer();
  const navigate = useNavigate();
  const id = useId();
  const hintId = useId();
  const [choice, setChoice] = useState<string | null>(null);
  const browsing = useRef(false);
  const { customer, customers } = session;
  if (customers.length < 2)
    return (
      <span className="customer-name" title={customer.name}>
        {customer.name}
      </span>
    );
  const commit = (customerId: string) => {
    setChoice(null);
    if (customerId !== customer.id)
      switchCustomer.mutate(customerId, { onSuccess: () => navigate('/', { replace: true }) });
  };
  return (
    <span className="customer-name">
      <label htmlFor={id} className="visually-hidden">
        Customer
      </label>
      <span id={hintId} className="visually-hidden">
        Choose a customer, then press Enter to switch.
      </span>
      <select
        id={id}
        aria-describedby={hintId}
        value={choice ?? customer.id}
        disabled={switchCustomer.isPending}
        onMouseDown={() => (browsing.current = false)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && choice) {
            event.preventDefault();
            commit(choice);
          } else if (event.key === 'Escape' && choice) {
            setChoice(null);
          }
          browsing.current = browses(event);
        }}
        onChange={(event) => {
          if (browsing.current) setChoice(event.target.value);
          else commit(event.target.value);
        }}
        onBlur={() => {
          if (choice) commit(choice);
        }}
      >
        {customers.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </select>
      {switchCustomer.isError && (
        <span role="alert" className="field-error">
          Could not switch customers.
        </span>
      )}
    </span>
  );
}
