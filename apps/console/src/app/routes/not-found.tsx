import { Link } from 'react-router';
import { paths } from '../../config/paths.ts';

export function NotFoundRoute() {
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p>
        There is no page at this address. <Link to={paths.home.getHref()}>Go to Product Registrations</Link>.
      </p>
    </section>
  );
}
