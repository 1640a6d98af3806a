import { Link } from 'react-router';
import { EmptyState, Loading } from '../../../components/ui/states.tsx';
import { paths } from '../../../config/paths.ts';
import { useHadRegistrations } from '../api/get-registration-history.ts';

/** How to register: on the License Server's own menu or its command line, then the code here. */
function RegisterSteps() {
  return (
    <ol>
      <li>
        On the License Server, open <strong>Licensing Manager &gt; Settings &gt; Usage and Statistics</strong> and click{' '}
        <strong>Register</strong>, or run <code>npm run license-server -- register --cloud &lt;url&gt;</code>.
      </li>
      <li>The License Server shows a registration code such as 7KQ4-MZ2P.</li>
      <li>
        Here, click <strong>Register</strong> and enter the code.
      </li>
    </ol>
  );
}

/** The list is empty: a first-time help, or (after removals) where the history of the removed ones is. */
export function RegistrationsEmpty({ filtered }: { filtered: boolean }) {
  const history = useHadRegistrations(!filtered);
  if (filtered) return <p className="muted">No registrations match the search, tag or status.</p>;
  if (history.isPending) return <Loading label="Loading registrations…" />;
  if (history.data)
    return (
      <EmptyState title="No products are registered now">
        <p>
          Every registration was removed. The usage your servers uploaded is under{' '}
          <Link to={paths.licensing.licenseServers.getHref()}>License Servers</Link>, and who registered and removed
          them is in the <Link to={paths.audit.getHref()}>Audit log</Link>.
        </p>
        <p>To register a product again:</p>
        <RegisterSteps />
      </EmptyState>
    );
  return (
    <EmptyState title="No products registered yet">
      <p>To register your first product:</p>
      <RegisterSteps />
    </EmptyState>
  );
}
