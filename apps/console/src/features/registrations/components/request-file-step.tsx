import { OFFLINE_LIMITS, type TOfflineRequestPreview } from '@reg/contracts/offline-api';
import { useId, useState } from 'react';
import { FormError } from '../../../components/ui/form.tsx';
import { isApiError } from '../../../lib/api-client.ts';
import { usePreviewRequestFile } from '../api/preview-request-file.ts';

const NOT_A_REQUEST = 'This is not a request file. Make one on the License Server with "register --offline".';

/** Why a request file was not taken, in words an admin can act on. */
export function requestFileErrorText(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.';
  if (error.error === 'invalid_request' || error.error === 'payload_too_large') return NOT_A_REQUEST;
  return error.message;
}

interface RequestFileStepProps {
  onPreview: (file: unknown, preview: TOfflineRequestPreview) => void;
}

/** For a License Server without a route to the cloud: its request file instead of a code. */
export function RequestFileStep({ onPreview }: RequestFileStepProps) {
  const inputId = useId();
  const preview = usePreviewRequestFile();
  const [unreadable, setUnreadable] = useState(false);

  const onChange = async (event: React.ChangeEvent<HTMLInputElement>) => {
    const chosen = event.target.files?.[0];
    event.target.value = ''; // choosing the same file again reads it again
    preview.reset();
    setUnreadable(false);
    if (!chosen) return;
    let file: unknown;
    try {
      if (chosen.size > OFFLINE_LIMITS.registrationFileBytes) throw new Error('too large');
      file = JSON.parse(await chosen.text());
    } catch {
      setUnreadable(true);
      return;
    }
    preview.mutate(file, { onSuccess: (result) => onPreview(file, result) });
  };

  const error = unreadable ? NOT_A_REQUEST : preview.isError ? requestFileErrorText(preview.error) : null;
  return (
    <div className="stack">
      <p className="muted">No route from the server to the cloud? Upload the request file it wrote instead.</p>
      <div className="file-picker">
        <input
          id={inputId}
          type="file"
          accept=".json,application/json"
          className="visually-hidden"
          aria-label="Upload a request file"
          disabled={preview.isPending}
          onChange={(event) => void onChange(event)}
        />
        <label htmlFor={inputId} className="button file-button">
          {preview.isPending ? 'Reading the request file…' : 'Upload a request file'}
        </label>
      </div>
      <FormError message={error} />
    </div>
  );
}
