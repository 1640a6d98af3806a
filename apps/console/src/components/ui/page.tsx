import type { ReactNode } from 'react';
import { usePageTitle } from '../../hooks/use-page-title.ts';

interface PageProps {
  /** The page's heading, which the browser tab repeats. */
  title: string;
  /** Beside the heading: the page's buttons (each shown only to who may use it). */
  actions?: ReactNode;
  /** Above the heading: the tabs of the section the page is in. */
  tabs?: ReactNode;
  /** One line under the heading saying what the page shows. */
  intro?: ReactNode;
  children: ReactNode;
}

/** A page inside the console's shell: tabs, heading and buttons, what it shows, then its content. */
export function Page({ title, actions, tabs, intro, children }: PageProps) {
  usePageTitle(title);
  return (
    <section className="page">
      {tabs}
      <div className="page-header">
        <h1>{title}</h1>
        {actions}
      </div>
      {intro && <p className="muted">{intro}</p>}
      {children}
    </section>
  );
}
