import { lazy, Suspense, useState } from 'react';
import { useSearchParams } from 'react-router';
import { Page } from '../../../components/ui/page.tsx';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { RegistrationsList } from '../../../features/registrations/components/registrations-list.tsx';

// Loaded on the first "Register" (with its form library): the page itself loads less (npm run bench).
const RegisterDialog = lazy(async () => ({
  default: (await import('../../../features/registrations/components/register-dialog.tsx')).RegisterDialog,
}));

// Loaded on the first "Settings" (with the dialog library): the page budget in docs/design.md.
const SettingsDialog = lazy(async () => ({
  default: (await import('../../../features/settings/components/settings-dialog.tsx')).SettingsDialog,
}));

export function ProductRegistrationsRoute() {
  const [searchParams, setSearchParams] = useSearchParams();
  const linkCode = searchParams.get('code') ?? '';
  const [registerOpen, setRegisterOpen] = useState(linkCode !== '');
  const [settingsOpen, setSettingsOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  // The product's link (`?code=`) opens the dialog with the code filled in, also when a new
  // link is followed while this page is open (state adjusted while rendering, not in an effect).
  const [seenCode, setSeenCode] = useState(linkCode);
  if (linkCode !== seenCode) {
    setSeenCode(linkCode);
    if (linkCode) setRegisterOpen(true);
  }

  const onOpenChange = (open: boolean) => {
    setRegisterOpen(open);
    if (!open && searchParams.has('code')) {
      // Once the dialog is closed the link has served; a reload should not reopen it.
      setSearchParams(
        (params) => {
          params.delete('code');
          return params;
        },
        { replace: true },
      );
    }
  };

  return (
    <Page
      title="Product Registrations"
      intro="Servers registered with your account. Each one uploads its license usage here."
      actions={
        <div className="page-actions">
          <button type="button" className="button" onClick={() => setSettingsOpen(true)}>
            Settings
          </button>
          {canChange && (
            <button type="button" className="button button-primary" onClick={() => setRegisterOpen(true)}>
              Register
            </button>
          )}
        </div>
      }
    >
      <RegistrationsList onMessage={announce} />
      {/* Mounted while open only: the page loads no settings until they are asked for. */}
      {settingsOpen && (
        <Suspense fallback={null}>
          <SettingsDialog
            open
            onOpenChange={setSettingsOpen}
            onDone={(message) => {
              setSettingsOpen(false);
              announce(message);
            }}
          />
        </Suspense>
      )}
      {registerOpen && canChange && (
        <Suspense fallback={null}>
          <RegisterDialog
            open
            onOpenChange={onOpenChange}
            initialCode={linkCode}
            onDone={(message) => {
              onOpenChange(false);
              announce(message);
            }}
          />
        </Suspense>
      )}
    </Page>
  );
}
