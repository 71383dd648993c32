import { useCallback, useEffect, useState } from 'react';
import { getPreferences, setPreference } from '../../api/users.ts';

// R-ADM-06: which columns of the user list an administrator sees, remembered per administrator
// as the preference `users.columns` (a list of column keys). The name and the actions are always
// shown. While acting as someone, the server keeps a change for that impersonation only (R-IMP-13).

export const optionalColumns = ['email', 'username', 'tags', 'domain', 'created', 'id'] as const;
export type OptionalColumn = (typeof optionalColumns)[number];
// `domain` shows only on platforms with domains (issue 10 #2).
export const defaultColumns: OptionalColumn[] = ['email', 'tags', 'domain', 'created'];
export const columnsPreference = 'users.columns';

const isColumn = (v: unknown): v is OptionalColumn =>
  typeof v === 'string' && (optionalColumns as readonly string[]).includes(v);

/** The stored choice, or the defaults when none is stored (or it is not a list of known keys). */
export function columnsFrom(value: unknown): OptionalColumn[] {
  if (!Array.isArray(value)) return defaultColumns;
  return optionalColumns.filter((c) => value.filter(isColumn).includes(c));
}

export function useColumnChoice() {
  const [columns, setColumns] = useState<OptionalColumn[]>(defaultColumns);
  const [loaded, setLoaded] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);
  useEffect(() => {
    let live = true;
    getPreferences().then(
      (p) => {
        if (!live) return;
        setColumns(columnsFrom(p.preferences[columnsPreference]));
        setLoaded(true);
      },
      () => live && setLoaded(true),
    );
    return () => {
      live = false;
    };
  }, []);
  const choose = useCallback((next: string[]) => {
    const chosen = optionalColumns.filter((c) => next.includes(c));
    setColumns(chosen);
    setSaveError(null);
    setPreference(columnsPreference, chosen).catch((e: unknown) => setSaveError(e));
  }, []);
  return { columns, loaded, choose, saveError };
}
