export interface Figure {
  name: string;
  ours: string;
  reference?: string;
  ratio?: string;
  target?: string;
  /** Unset for figures that have no target (peak memory). */
  met?: boolean;
}

interface Report {
  date: Date;
  cores: number;
  cpu: string;
  node: string;
  quick: boolean;
  seconds: number;
  figures: Figure[];
  notes: string[];
  changes: string;
}

const cell = (text: string | undefined) => (text ?? '–').replace(/\|/g, '\\|');

/** docs/benchmarks.md: the figures beside their references, then what was changed and why. */
export function renderReport(r: Report): string {
  const rows = r.figures.map(
    (f) =>
      `| ${cell(f.name)} | ${cell(f.ours)} | ${cell(f.reference)} | ${cell(f.ratio)} | ${cell(f.target)} | ${f.met === undefined ? '–' : f.met ? 'yes' : '**no**'} |`,
  );
  return [
    '# Benchmarks',
    '',
    r.quick
      ? '> **Quick run** (`npm run bench -- --quick`): tiny sizes, for checking that the bench works. The numbers mean nothing.\n'
      : '',
    `Written by \`npm run bench\` (bench/run.ts) on ${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC: ${r.cores} cores (${r.cpu}), Node ${r.node}, ` +
      `in ${Math.round(r.seconds)} s. The service ran as its own process in production mode over an embedded PostgreSQL ` +
      '(fresh data directory, default settings: fsync and synchronous_commit on), the reference beside it in the same run, ' +
      'the load generator (autocannon) in processes of its own (two for code issuance), all on this one machine and only over 127.0.0.1. ' +
      'These machines are noisy: compare ratios, not absolute figures. ' +
      'The targets are those of [design.md](design.md#the-numbers-it-is-held-to).',
    '',
    '| figure | ours | reference | ratio | target | met? |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    ...(r.notes.length ? ['Checks and notes:', '', ...r.notes.map((n) => `- ${n}`), ''] : []),
    '## How each figure is measured',
    '',
    '- **Code issuance**: autocannon, the same connections and duration against each, after a warm-up of each, in four rounds taking turns (reference, ours; ours, reference; …), each rate the total answered over the total seconds. Ours: ' +
      '`POST /api/product/v1/codes` with a JSON body; the reference: node-oidc-provider 9 (in-memory adapter, one public client ' +
      'with the device_code grant) `POST /device/auth` with `client_id`, form-encoded. Only requests answered 201 (ours) or 200 ' +
      '(theirs) count. After the run the bench checks that PostgreSQL holds at least as many new code rows as there were 201s.',
    '- **Usage ingestion**: reports of 1,000 records each (uncompressed JSON, about 190 KB; gzip off), every report with its own ' +
      '`reportId`, the servers (registered through the real code flow) taken in turn. Records per second = 202 answers × 1,000 / seconds. ' +
      'The reference inserts the same 1,000 rows a statement (`INSERT … SELECT … FROM unnest(…)`) into the same table of the ' +
      'same database over the same number of connections, as fast as it can. Each side (ours, then the reference) starts ' +
      'on a database at rest: the bench waits for autovacuum workers to finish and runs a `CHECKPOINT` first, so neither ' +
      'side pays for the background work of the stage before it. The bench checks that the records stored ' +
      'are at least 1,000 per 202. The load generator builds each new-period report from templates (the same bytes as ' +
      'building the records, checked when it starts), with one "now" for the run, and its own CPU per report is logged: ' +
      'it shares the two cores with the API and PostgreSQL.',
    "- **Peak memory**: the API process's resident set high-water mark (`VmHWM`, reset through `/proc/<pid>/clear_refs` just " +
      'before the ingestion run), and polled `VmRSS`, whichever is higher.',
    '- **Product Registrations**: registrations loaded with SQL (`generate_series`) into one customer, a tenth never contacted, ' +
      "a fifth not reporting; signed in as that customer's admin, `GET /api/console/registrations` with the session cookie, " +
      "sequential requests after a few warm-up ones; the latency is the client's (request sent to body read).",
    "- **Delete data**: one server's records loaded with SQL, spread over 390 days (13 monthly partitions), then `VACUUM ANALYZE` " +
      "and `CHECKPOINT`, as a long-lived table would be (its pages written out long ago). Other customers' servers upload reports at a steady rate (autocannon `overallRate`), " +
      'first without the delete (baseline), then again while the bench sends `DELETE /api/console/license-servers/:id/usage` ' +
      'one second in; that second window runs on for several seconds after the DELETE answers, so work the delete leaves ' +
      'behind is in it too. After the answer the bench checks the records are gone for readers (usage series and the ' +
      'license server list).',
    '- **Console JavaScript**: `npm run build -w @reg/console`, each JavaScript file gzipped (zlib default level). A page is the ' +
      "entry chunk, the lazily loaded route modules above and of that page, and every chunk they import statically, read from Vite's " +
      'manifest (`dist/.vite/manifest.json`); what a page imports only on a click is not counted. "All pages" sums every file.',
    '- **CSV export**: after the list figures, `GET /api/console/registrations.csv` of the same customer, the body read as it ' +
      "arrives and counted (not kept); the API's peak RSS measured as for ingestion, beside its resident size just before.",
    '',
    r.changes.trim(),
    '',
  ].join('\n');
}
