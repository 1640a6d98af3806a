import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useDebouncedValue } from './use-debounced-value.ts';

/**
 * A list's view (filters, sort, range, tab) kept in the page's URL under the API's names, so a
 * view can be bookmarked and shared and Back returns to it. A value equal to its default is
 * left out of the URL. Pass `defaults` as a module constant (it is a dependency). A change is a new history entry unless `replace` is asked for.
 */
export function useUrlView<K extends string>(defaults: Readonly<Record<K, string>>) {
  const [params, setParams] = useSearchParams();
  const view = Object.fromEntries(
    (Object.keys(defaults) as K[]).map((key) => [key, params.get(key) ?? defaults[key]]),
  ) as Record<K, string>;

  const setView = useCallback(
    (changes: Partial<Record<K, string>>, { replace = false }: { replace?: boolean } = {}) =>
      setParams(
        (previous) => {
          const next = new URLSearchParams(previous);
          for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
            if (value === undefined || value === '' || value === defaults[key]) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace },
      ),
    [setParams, defaults],
  );
  return [view, setView] as const;
}

/**
 * A search box bound to the URL: it shows what is typed at once, and the URL (and so the
 * request) follows 300 ms after typing stops, replacing the history entry rather than adding
 * one per keystroke. Back or a link that changes the URL updates the box.
 */
export function useUrlSearchText(committed: string, commit: (text: string) => void) {
  const [text, setText] = useState(committed);
  const debounced = useDebouncedValue(text, 300);
  const lastCommitted = useRef(committed);
  const onCommit = useEffectEvent(commit);

  // Only a change of the typed text commits: after Back the old text must not be written again.
  useEffect(() => {
    const next = debounced.trim();
    if (next === lastCommitted.current) return;
    lastCommitted.current = next;
    onCommit(next);
  }, [debounced]);

  useEffect(() => {
    // The URL changed by navigation (Back, a shared link), not by this box.
    if (committed === lastCommitted.current) return;
    lastCommitted.current = committed;
    setText(committed);
  }, [committed]);

  return [text, setText] as const;
}
