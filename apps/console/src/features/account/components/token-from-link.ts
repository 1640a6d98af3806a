import { useState } from 'react';

/**
 * The token of an invitation or reset link (`#token=…`): the fragment never reaches a server or
 * its logs. Taken once and removed from the address bar, so it is not left in history.
 */
export function useTokenFromLink(): string | null {
  const [token] = useState(() => {
    const value = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (value) window.history.replaceState(null, '', window.location.pathname);
    return value;
  });
  return token;
}
