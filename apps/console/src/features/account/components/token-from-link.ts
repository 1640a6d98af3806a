import { useEffect, useState } from 'react';
import { useLocation } from 'react-router';

const tokenIn = (hash: string) => new URLSearchParams(hash.slice(1)).get('token');

/**
 * The token of an invitation or reset link (`#token=…`): the fragment never reaches a server or
 * its logs. Taken and removed from the address bar, so it is not left in history. A link opened
 * in a tab that already shows the page changes only the fragment (no new page load): its token
 * replaces the one taken before.
 */
export function useTokenFromLink(): string | null {
  const { hash } = useLocation();
  const [token, setToken] = useState(() => tokenIn(window.location.hash));
  const linked = tokenIn(hash);
  if (linked && linked !== token) setToken(linked);
  useEffect(() => {
    if (tokenIn(window.location.hash)) window.history.replaceState(null, '', window.location.pathname);
  }, [hash]);
  return linked ?? token;
}
