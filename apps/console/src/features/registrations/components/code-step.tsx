import { zodResolver } from '@hookform/resolvers/zod';
import { ZCodeRequest, type TCodePreview, type TCodeRequest } from '@reg/contracts/console-api';
import { formatCode, normaliseCode, parseCode, SHORT_CODE_GROUP } from '@reg/contracts/short-code';
import { useId, useState } from 'react';
import { useForm } from 'react-hook-form';
import { usePreviewRegistration } from '../api/preview-registration.ts';
import { codeErrorText, INVALID_CODE_TEXT } from './code-errors.ts';
import { FormFooter } from '../../../components/ui/busy-button.tsx';

/** What the admin typed, read as a code and shown as XXXX-XXXX. */
export function displayCode(input: string): string {
  const code = normaliseCode(input);
  return code.length > SHORT_CODE_GROUP ? formatCode(code) : code;
}

interface CodeStepProps {
  initialCode: string;
  onPreview: (code: string, preview: TCodePreview) => void;
}

export function CodeStep({ initialCode, onPreview }: CodeStepProps) {
  const inputId = useId();
  const hintId = useId();
  const preview = usePreviewRegistration();
  const [invalid, setInvalid] = useState(false);
  const { register, handleSubmit, setValue } = useForm<TCodeRequest>({
    resolver: zodResolver(ZCodeRequest),
    defaultValues: { code: displayCode(initialCode) },
  });

  const onSubmit = handleSubmit(({ code: typed }) => {
    const code = parseCode(typed);
    setInvalid(code === null);
    preview.reset();
    // A typo is caught here; the server would answer the same 400.
    if (code === null) return;
    preview.mutate(code, { onSuccess: (result) => onPreview(code, result) });
  });

  const error = invalid ? INVALID_CODE_TEXT : preview.isError ? codeErrorText(preview.error) : null;

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <p id={hintId} className="muted">
        Enter the code the License Server shows after you click Register there (Licensing Manager &gt; Settings &gt;
        Usage and Statistics), or that <code>npm run license-server -- register</code> prints on its command line.
      </p>
      <div className="field">
        <label htmlFor={inputId}>Registration code</label>
        <input
          id={inputId}
          className="code-input"
          data-autofocus
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          placeholder="XXXX-XXXX"
          aria-describedby={hintId}
          aria-invalid={error ? true : undefined}
          {...register('code', {
            onChange: (event: { target: { value: string } }) => setValue('code', displayCode(event.target.value)),
          })}
        />
      </div>
      <FormFooter error={error} busy={preview.isPending} busyLabel="Checking…">
        Continue
      </FormFooter>
    </form>
  );
}
