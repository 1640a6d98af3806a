/**
 * "Download CSV": a plain link to one of the API's CSV exports with the page's current
 * filters. The browser sends the session cookie with it and saves what comes back under the
 * name the API gives (Content-Disposition), streaming it to disk however many rows there are.
 */
export function DownloadCsvLink({ path, query }: { path: string; query: Record<string, string | null | undefined> }) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value) params.set(key, value);
  const search = params.toString();
  return (
    <a className="button" href={search ? `${path}?${search}` : path} download>
      Download CSV
    </a>
  );
}
