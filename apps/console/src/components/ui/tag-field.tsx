import { ZTag } from '@reg/contracts/registration-keys-api';
import { useId } from 'react';

/** Whether a typed tag is one the API takes (a bad one is named in an alert and not sent). */
export const isTag = (value: string) => ZTag.safeParse(value).success;

/** The "Tag" filter of a list or the usage overview: one tag, checked as it is typed. */
export function TagField({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const id = useId();
  const errorId = useId();
  const bad = value.trim() !== '' && !isTag(value.trim());
  return (
    <div className="field field-inline">
      <label htmlFor={id}>Tag</label>
      <input
        id={id}
        type="text"
        value={value}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={bad || undefined}
        aria-describedby={bad ? errorId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {bad && (
        <span id={errorId} className="notice notice-error" role="alert">
          “{value.trim()}” is not a tag: 1 to 32 of a-z, 0-9 and -, starting with a letter or digit.
        </span>
      )}
    </div>
  );
}
