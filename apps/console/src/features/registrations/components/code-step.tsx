import { ZCodeRequest, type TCodePreview } from '@reg/contracts/console-api';
import { formatCode, normaliseCode, parseCode, SHORT_CODE_GROUP } from '@reg/contracts/short-code';
import { useState } from 'react';
import { usePreviewRegistration } from '../api/preview-registration.ts';
import { codeErrorText, INVALID_CODE_TEXT } from './code-errors.ts';
import { Field, FormFooter } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';

/** What the admin typed, read as a code and shown as XXXX-XXXX. */
function displayCode(input: string): string {
  const code = normaliseCode(input);
  return code.length > SHORT_CODE_GROUP ? formatCode(code) : code;
}

interface CodeStepProps {
  initialCode: string;
  onPreview: (code: string, preview: TCodePreview) => void;
}

export function CodeStep({ initialCode, onPreview }: CodeStepProps) {
  const preview = usePreviewRegistration();
  const [invalid, setInvalid] = useState(false);
  const { register, handleSubmit, setValue } = useZodForm(ZCodeRequest, { code: displayCode(initialCode) });

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
      <Field
        label="Registration code"
        hint={
          <>
            Enter the code the License Server shows after you click Register there (Licensing Manager &gt; Settings &gt;
            Usage and Statistics), or that <code>npm run license-server -- register</code> prints on its command line.
          </>
        }
      >
        {(control) => (
          <input
            {...control}
            aria-invalid={error ? true : undefined}
            className="code-input"
            data-autofocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            placeholder="XXXX-XXXX"
            {...register('code', {
              onChange: (event: { target: { value: string } }) => setValue('code', displayCode(event.target.value)),
            })}
          />
        )}
      </Field>
      <FormFooter error={error} busy={preview.isPending} busyLabel="Checking…">
        Continue
      </FormFooter>
    </form>
  );
}
