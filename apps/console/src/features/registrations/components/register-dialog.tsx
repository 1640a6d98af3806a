import type { TCodePreview } from '@reg/contracts/console-api';
import type { TOfflineRequestPreview } from '@reg/contracts/offline-api';
import { useState } from 'react';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { CodeStep } from './code-step.tsx';
import { RequestFileStep } from './request-file-step.tsx';
import { RequestReviewStep } from './request-review-step.tsx';
import { ReviewStep } from './review-step.tsx';

interface RegisterDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** A code from the product's link (`?code=`): filled in, never sent before the admin clicks Continue. */
  initialCode: string;
  onDone: (message: string) => void;
}

export function RegisterDialog({ open, onOpenChange, initialCode, onDone }: RegisterDialogProps) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Register a product">
      <RegisterFlow initialCode={initialCode} onDone={onDone} />
    </Dialog>
  );
}

/** Mounted only while the dialog is open, so every opening starts afresh. */
function RegisterFlow({ initialCode, onDone }: Pick<RegisterDialogProps, 'initialCode' | 'onDone'>) {
  const [review, setReview] = useState<{ code: string; preview: TCodePreview } | null>(null);
  const [fileReview, setFileReview] = useState<{ file: unknown; preview: TOfflineRequestPreview } | null>(null);
  if (review)
    return <ReviewStep code={review.code} preview={review.preview} onDone={onDone} onBack={() => setReview(null)} />;
  if (fileReview)
    return (
      <RequestReviewStep
        file={fileReview.file}
        preview={fileReview.preview}
        onDone={onDone}
        onBack={() => setFileReview(null)}
      />
    );
  return (
    <div className="stack">
      <CodeStep initialCode={initialCode} onPreview={(code, preview) => setReview({ code, preview })} />
      <RequestFileStep onPreview={(file, preview) => setFileReview({ file, preview })} />
    </div>
  );
}
