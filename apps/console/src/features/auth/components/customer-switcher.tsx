import type { TSessionResponse } from '@reg/contracts/console-api';
import { useId } from 'react';
import { useNavigate } from 'react-router';
import { useSwitchCustomer } from '../api/switch-customer.ts';

/**
 * The header's customer: a menu for a person who administers several customers, switching the
 * session to another (then the first page, since ids of one customer mean nothing in another).
 */
export function CustomerSwitcher({ session }: { session: TSessionResponse }) {
  const switchCustomer = useSwitchCustomer();
  const navigate = useNavigate();
  const id = useId();
  const { customer, customers } = session;
  if (customers.length < 2)
    return (
      <span className="customer-name" title={customer.name}>
        {customer.name}
      </span>
    );
  return (
    <span className="customer-name">
      <label htmlFor={id} className="visually-hidden">
        Customer
      </label>
      <select
        id={id}
        value={customer.id}
        disabled={switchCustomer.isPending}
        onChange={(event) =>
          switchCustomer.mutate(event.target.value, { onSuccess: () => navigate('/', { replace: true }) })
        }
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
