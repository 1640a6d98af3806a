import { responseFileName, type TOfflineRequestPreview } from '@reg/contracts/offline-api';
import { formatDateTime } from '../../../lib/format.ts';
import { ServerDetails } from './server-details.tsx';
import { useRegisterRequestFile } from '../api/register-request-file.ts';
import { requestFileErrorText } from './request-file-step.tsx';

/** Saves the response file in the browser's downloads: it goes back to the server on whatever carried the request. */
function download(name: string, content: unknown) {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(content, null, 2)}\n`], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

interface RequestReviewStepProps {
  file: unknown;
  preview: TOfflineRequestPreview;
  onDone: (message: string) => void;
  onBack: () => void;
}

export function RequestReviewStep({ file, preview, onDone, onBack }: RequestReviewStepProps) {
  const register = useRegisterRequestFile();
  const onRegister = () =>
    register.mutate(file, {
      onSuccess: (response) => {
        const name = responseFileName(response.serverName);
        download(name, response);
        onDone(`${response.serverName} is registered. Import ${name} on the License Server (register --import).`);
      },
    });

  return (
    <div className="stack">
      <p>This request file asks to register this server:</p>
      <ServerDetails server={preview}>
        <dt>File made at</dt>
        <dd>{formatDateTime(preview.createdAt)}</dd>
      </ServerDetails>
      {preview.warnings.map((warning) => (
        <p key={warning} className="notice notice-warning">
          {warning}
        </p>
      ))}
      <p className="notice notice-warning">
        Register only a request file that comes from a License Server you manage. If someone sent you this file, do not
        register it. Register downloads a response file: take it back to that server.
      </p>
      {register.isError && (
        <p className="notice notice-error" role="alert">
          {requestFileErrorText(register.error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-link" onClick={onBack} disabled={register.isPending}>
          Use another file or code
        </button>
        <span className="spacer" />
        <button
          type="button"
          className="button button-primary"
          onClick={onRegister}
          disabled={register.isPending}
          aria-busy={register.isPending || undefined}
        >
          Register
        </button>
      </div>
    </div>
  );
}
