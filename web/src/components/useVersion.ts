import { useCallback, useEffect, useRef, useState } from 'react';
import type { Versioned } from '../api/client.ts';

// The version (ETag) an If-Match edit is based on. It is read when the dialog opens; after a 412
// ("changed by someone else") `reload()` fetches the fresh version only, so what was typed stays
// and the next save is based on what is now on the server.

export function useVersion<T>(read: () => Promise<Versioned<T>>, key: string, onFirst?: (data: T) => void) {
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const readRef = useRef(read);
  const firstRef = useRef(onFirst);
  useEffect(() => {
    readRef.current = read;
    firstRef.current = onFirst;
  });
  useEffect(() => {
    let live = true;
    readRef.current().then(
      (r) => {
        if (!live) return;
        firstRef.current?.(r.data);
        setEtag(r.etag);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [key]);
  const reload = useCallback(async () => {
    try {
      setEtag((await readRef.current()).etag);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, []);
  return { etag, error, setError, reload };
}
