import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';

// Issue 10 #17: the search of the user list survives a visit to a user's page. The address
// carries it (`?q=`), so "back" and a bookmark find the same list; the browser tab remembers it
// too, so that coming back through the navigation link does not start from an empty box.
// sessionStorage, not localStorage: a search names people, and ends with the tab.

const storageKey = 'behalf.userList.q';

function remembered(): string {
  try {
    return window.sessionStorage.getItem(storageKey) ?? '';
  } catch {
    return '';
  }
}

export function useRememberedSearch(): [string, (value: string) => void] {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(() => params.get('q') ?? remembered());
  useEffect(() => {
    try {
      if (search) window.sessionStorage.setItem(storageKey, search);
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
  }, [search, setParams]);
  return [search, setSearch];
}
