import type { TRegistration } from '@reg/contracts/console-api';
import { MAX_TAGS, ZTag, ZTags } from '@reg/contracts/registration-keys-api';
import { z } from 'zod';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { Field, FormFooter } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { useEditRegistrationTags } from '../api/edit-registration-tags.ts';

/** Tags as typed: separated by commas or spaces. */
const splitTags = (text: string) => text.split(/[\s,]+/).filter((tag) => tag !== '');

/**
 * The "Tags" textbox checked by the contracts' tag rule, in its words, as the API will check
 * it. A tag is never lower-cased or cut here either: the admin is told which one is wrong.
 */
const ZTagsForm = z.object({ tags: z.string() }).transform(({ tags: text }, context) => {
  const tags = splitTags(text);
  const parsed = ZTags.safeParse(tags);
  if (parsed.success) return { tags: parsed.data };
  const bad = tags.find((tag) => !ZTag.safeParse(tag).success);
  const message =
    bad === undefined
      ? `Tags ${parsed.error.issues[0]?.message ?? 'are not valid'}.`
      : `“${bad}” is not a tag: it ${ZTag.safeParse(bad).error?.issues[0]?.message ?? 'is not valid'}.`;
  context.addIssue({ code: 'custom', path: ['tags'], message });
  return z.NEVER;
});

interface EditTagsDialogProps {
  registration: TRegistration;
  onClose: () => void;
  onSaved: (message: string) => void;
}

/** Product Registrations > a row's actions > Edit tags: what is saved replaces the registration's tags. */
export function EditTagsDialog({ registration, onClose, onSaved }: EditTagsDialogProps) {
  const edit = useEditRegistrationTags();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(ZTagsForm, { tags: registration.tags.join(' ') });
  const onSubmit = handleSubmit(({ tags }) =>
    edit.mutate(
      { id: registration.id, tags },
      {
        onSuccess: (saved) =>
          onSaved(
            saved.tags.length > 0
              ? `${saved.serverName} is tagged ${saved.tags.join(', ')}.`
              : `${saved.serverName} has no tags now.`,
          ),
      },
    ),
  );
  return (
    <Dialog
      open
      onOpenChange={(open) => !open && onClose()}
      title="Edit tags"
      description={
        <>
          The tags of <strong className="wrap">{registration.serverName}</strong>, replaced by what you save. The Tag
          filter and the usage overview by tag follow them.
        </>
      }
    >
      <form className="stack" onSubmit={onSubmit} noValidate>
        <Field
          label="Tags"
          hint={`Separated by commas or spaces; up to ${MAX_TAGS}, each 1 to 32 of a-z, 0-9 and -, starting with a letter or digit. Empty removes them all.`}
          error={errors.tags?.message}
        >
          {(control) => (
            <input
              {...control}
              type="text"
              data-autofocus
              autoComplete="off"
              spellCheck={false}
              {...register('tags')}
            />
          )}
        </Field>
        <FormFooter
          error={edit.isError && `Could not save the tags: ${edit.error.message}`}
          busy={edit.isPending}
          busyLabel="Saving…"
        >
          Save
        </FormFooter>
      </form>
    </Dialog>
  );
}
