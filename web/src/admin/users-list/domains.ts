import { useEffect, useState } from 'react';
import { listDomains, type DomainSummary } from '../../api/users.ts';
import type { Session } from '../../api/types.ts';
import { hasPermission } from '../../session/permissions.ts';

// Issue 10 #2: the domains the console offers (list column and filter, create dialog, user page),
// for whoever may read them (users.read). Empty without domains: then nothing about domains shows.

export function useDomains(session: Session | null): DomainSummary[] {
  const mayRead = session !== null && hasPermission(session, 'users.read');
  const [domains, setDomains] = useState<DomainSummary[]>([]);
  useEffect(() => {
    if (!mayRead) return;
    let live = true;
    listDomains().then(
      (d) => live && setDomains(d.items),
      () => live && setDomains([]),
    );
    return () => {
      live = false;
    };
  }, [mayRead]);
  return mayRead ? domains : [];
}

/** A domain's name by ID, or null when the user has none (or it is not readable). */
export function domainName(domains: DomainSummary[], id: string | null): string | null {
  return id === null ? null : (domains.find((d) => d.id === id)?.name ?? null);
}
