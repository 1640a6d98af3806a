import { scriptExample } from '../lib/script-example.ts';

/** What API clients are for, and the two calls a script makes, against this very console. */
export function ApiClientsHelp() {
  const example = scriptExample(window.location.origin);

  return (
    <section className="help" aria-labelledby="api-clients-help-title">
      <h2 id="api-clients-help-title">Scripting the console</h2>
      <p>
        An API client lets a script do what you do here: list registrations and license servers, remove servers you have
        retired and delete their usage data. The script exchanges the client ID and secret for a token valid for 15
        minutes. The audit log records what it does under the client&rsquo;s name.
      </p>
      <pre className="snippet" tabIndex={0} aria-label="Example: get a token, then remove a registration">
        <code>{example}</code>
      </pre>
    </section>
  );
}
