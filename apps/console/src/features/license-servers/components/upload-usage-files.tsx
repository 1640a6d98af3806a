import { OFFLINE_LIMITS, type TUsageFileResult } from '@reg/contracts/offline-api';
import { useId, useState } from 'react';
import { isApiError } from '../../../lib/api-client.ts';
import { plural } from '../../../lib/format.ts';
import { useUploadUsageFiles } from '../api/upload-usage-files.ts';

type Row = { file: string; state: 'waiting' } | (TUsageFileResult & { state: 'done' });

const outcomeText = (row: Row) => {
  if (row.state === 'waiting') return 'Uploading…';
  if (row.outcome === 'accepted') return `Accepted: ${plural(row.accepted, 'record', 'records')}`;
  if (row.outcome === 'duplicate') return 'Duplicate: already uploaded, nothing changed';
  return `Refused: ${row.message ?? row.error ?? 'unknown reason'}`;
};

/**
 * Usage files written by License Servers without a route to the cloud (upload --offline):
 * sent 50 at a time, with a line per file saying what became of it.
 */
export function UploadUsageFiles() {
  const inputId = useId();
  const headingId = useId();
  const upload = useUploadUsageFiles();
  const [rows, setRows] = useState<Row[]>([]);
  const [busy, setBusy] = useState(false);

  const onChange = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const files = [...(event.target.files ?? [])];
    event.target.value = '';
    if (files.length === 0) return;
    setBusy(true);
    setRows(files.map((file) => ({ file: file.name, state: 'waiting' })));
    for (let start = 0; start < files.length; start += OFFLINE_LIMITS.usageFilesPerUpload) {
      const batch = files.slice(start, start + OFFLINE_LIMITS.usageFilesPerUpload);
      let results: Row[];
      try {
        const answer = await upload.mutateAsync(batch);
        results = answer.results.map((result) => ({ ...result, state: 'done' as const }));
      } catch (error) {
        const message = isApiError(error) ? error.message : 'The upload failed. Try again.';
        results = batch.map((file) => ({
          file: file.name,
          outcome: 'refused' as const,
          reportId: null,
          accepted: 0,
          message,
          state: 'done' as const,
        }));
      }
      setRows((current) =>
        current.map((row, i) => (i >= start && i < start + batch.length ? results[i - start]! : row)),
      );
    }
    setBusy(false);
  };

  const done = rows.filter((row) => row.state === 'done') as (TUsageFileResult & { state: 'done' })[];
  const count = (outcome: TUsageFileResult['outcome']) => done.filter((row) => row.outcome === outcome).length;
  return (
    <div className="stack">
      <div className="file-picker">
        <input
          id={inputId}
          type="file"
          multiple
          accept=".gz,.json,application/gzip,application/json"
          className="visually-hidden"
          aria-label="Upload usage files"
          disabled={busy}
          onChange={(event) => void onChange(event)}
        />
        <label htmlFor={inputId} className="button file-button">
          {busy ? 'Uploading usage files…' : 'Upload usage files'}
        </label>
      </div>
      {rows.length > 0 && (
        <section aria-labelledby={headingId} className="stack">
          <h2 id={headingId} className="section-title">
            Usage files
          </h2>
          <p role="status">
            {busy
              ? `Uploading ${plural(rows.length, 'file', 'files')}…`
              : `${count('accepted')} accepted, ${count('duplicate')} duplicate, ${count('refused')} refused.`}
          </p>
          <ul className="upload-results" aria-busy={busy || undefined}>
            {rows.map((row, i) => (
              <li key={`${i}-${row.file}`}>
                <strong>{row.file}</strong>
                <span className={row.state === 'done' && row.outcome === 'refused' ? 'text-danger' : 'muted'}>
                  {outcomeText(row)}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
