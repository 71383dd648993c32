import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

// Issue 10 #17: the search of the user list survives a visit to a user's page. The address
// carries it (`?q=`), so "back" and a bookmark find the same list; the browser tab remembers it
// too, so that coming back through the navigation link does not start from an empty box.
// sessionStorage, not localStorage: a search names people, and ends with the tab. It is kept per
// person and impersonation (`scope`): a tab opened to act as someone starts with a copy of the
// opener's sessionStorage, and the administrator's search is not the acting session's (R-IMP-13).

const storageKey = 'behalf.userList.q';

function remembered(scope: string): string {
  try {
    const saved = JSON.parse(window.sessionStorage.getItem(storageKey) ?? 'null') as unknown;
    if (saved && typeof saved === 'object' && 'scope' in saved && 'q' in saved && saved.scope === scope) {
      return typeof saved.q === 'string' ? saved.q : '';
    }
  } catch {
    // Unreadable or storage off: start empty.
  }
  return '';
}

export function useRememberedSearch(scope: string): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(() => params.get('q') ?? remembered(scope));
  useEffect(() => {
    try {
      if (search) window.sessionStorage.setItem(storageKey, JSON.stringify({ scope, q: search }));
      else window.sessionStorage.removeItem(storageKey);
    } catch {
      // Storage off: the address still carries the search.
    }
    // Replace, not push: typing is not a history of pages to go back through.
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        if (search) next.set('q', search);
        else next.delete('q');
        return next;
      },
      { replace: true },
    );
  }, [search, scope, setParams]);
  return [search, setSearch];
}
