import type { TRegistration } from '@reg/contracts/console-api';
import { useState } from 'react';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useDecideRegistrations, type DecisionResult, type TDecision } from '../api/decide-registrations.ts';
import { ServerNameList } from './server-name-list.tsx';

interface DecisionDialogProps {
  decision: TDecision;
  registrations: readonly TRegistration[];
  onClose: () => void;
  onDecided: (message: string) => void;
}

const WORDS = {
  approve: {
    title: 'Approve registrations',
    description:
      'These servers get their credentials on their next poll and start reporting like any registered server.',
    confirm: 'Approve',
    pending: 'Approving',
    done: 'approved',
    failed: 'Could not approve the registrations',
  },
  deny: {
    title: 'Deny registrations',
    description:
      'These requests are refused: the servers are told so on their next poll and can register again later with a code or a key.',
    confirm: 'Deny',
    pending: 'Denying',
    done: 'denied',
    failed: 'Could not deny the registrations',
  },
} as const;

const count = (n: number) => `${n.toLocaleString('en')} ${n === 1 ? 'registration' : 'registrations'}`;

/** What the page announces: how many were decided, and how many were no longer waiting. */
function decisionMessage(decision: TDecision, result: DecisionResult): string {
  const decided = result.decided.length;
  const gone = result.notFound.length;
  const main = `${count(decided)} ${decided === 1 ? 'is' : 'are'} ${WORDS[decision].done}.`;
  return gone === 0 ? main : `${main} ${count(gone)} ${gone === 1 ? 'was' : 'were'} no longer waiting for approval.`;
}

/** One confirmation for the selected pending rows, naming every server it approves or denies. */
export function DecisionDialog({ decision, registrations, onClose, onDecided }: DecisionDialogProps) {
  const decide = useDecideRegistrations();
  const [done, setDone] = useState(0);
  const words = WORDS[decision];
  const total = registrations.length;
  return (
    <ConfirmDialog
      open
      title={words.title}
      description={words.description}
      confirmLabel={words.confirm}
      tone={decision === 'approve' ? 'primary' : 'danger'}
      pendingLabel={
        total > 1
          ? `${words.pending}… ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`
          : `${words.pending}…`
      }
      pending={decide.isPending}
      error={
        decide.isError
          ? `${words.failed}: ${decide.error.message}${done > 0 ? ` (${done.toLocaleString('en')} of ${total.toLocaleString('en')} were done before the error)` : ''}`
          : null
      }
      onCancel={() => {
        decide.reset();
        onClose();
      }}
      onConfirm={() => {
        setDone(0);
        decide.mutate(
          { decision, ids: registrations.map((registration) => registration.id), onProgress: setDone },
          {
            onSuccess: (result) => {
              decide.reset();
              onDecided(decisionMessage(decision, result));
            },
          },
        );
      }}
    >
      <ServerNameList
        label={decision === 'approve' ? 'Servers to approve' : 'Servers to deny'}
        registrations={registrations}
      />
    </ConfirmDialog>
  );
}
