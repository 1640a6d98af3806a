import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { useLocation } from 'react-router';

interface Announcement {
  text: string;
  path: string;
  key: number;
}

interface StatusContextValue {
  announcement: Announcement | null;
  announce: (text: string, path?: string) => void;
  dismiss: () => void;
}

const StatusContext = createContext<StatusContextValue | null>(null);

/** Confirmations after an action ("… is registered."), shown on the page they belong to. */
export function StatusProvider({ children }: { children: ReactNode }) {
  const location = useLocation();
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const announce = useCallback(
    (text: string, path = location.pathname) => setAnnouncement({ text, path, key: Date.now() }),
    [location.pathname],
  );
  const dismiss = useCallback(() => setAnnouncement(null), []);
  const value = useMemo(() => ({ announcement, announce, dismiss }), [announcement, announce, dismiss]);
  return <StatusContext value={value}>{children}</StatusContext>;
}

export function useAnnounce(): StatusContextValue['announce'] {
  const context = useContext(StatusContext);
  if (!context) throw new Error('useAnnounce needs a StatusProvider.');
  return context.announce;
}

/** The one live region of the page: always present, so screen readers hear what lands in it. */
export function StatusRegion() {
  const context = useContext(StatusContext);
  const location = useLocation();
  const current =
    context?.announcement && context.announcement.path === location.pathname ? context.announcement : null;
  return (
    <div className="status-region" role="status">
      {current && (
        <div className="notice notice-success" key={current.key}>
          <span>{current.text}</span>
          <button type="button" className="button-icon" aria-label="Dismiss message" onClick={context?.dismiss}>
            ×
          </button>
        </div>
      )}
    </div>
  );
}
