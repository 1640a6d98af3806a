import { useEffect } from 'react';

/** The browser tab says which page this is: "<title> · Console". */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · Console`;
  }, [title]);
}
