import type { ReactNode } from 'react';
import { usePageTitle } from '../../hooks/use-page-title.ts';

/**
 * A page outside the console's shell (signing in, and the pages a mailed link opens): one card
 * with the brand and the page's heading, which is also the browser tab's title.
 */
export function CardPage({ title, children }: { title: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <main className="sign-in-page">
      <div className="card sign-in-card">
        <p className="brand">Cloud Console</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}
