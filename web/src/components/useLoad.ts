import { useCallback, useEffect, useRef, useState } from 'react';

// Loading data for a page or dialog, and running one action at a time with its busy state and
// error: the bits every admin page wrote by hand.

/**
 * Calls `load` when `key` changes and on `reload()`; a stale answer (the key changed, or the
 * component went away meanwhile) is dropped. `data` stays until the next answer arrives.
 */
export function useLoad<T>(load: () => Promise<T>, key: unknown = null) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reloads, setReloads] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let live = true;
    loadRef.current().then(
      (answer) => {
        if (!live) return;
        setData(answer);
        setError(null);
      },
      (e: unknown) => {
        if (live) setError(e);
      },
    );
    return () => {
      live = false;
    };
  }, [key, reloads]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);
  return { data, error, reload };
}

/** One action at a time: `run` sets busy, clears the last error, and keeps the new one. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  /** Runs `action`, then `done` if it succeeded. */
  const run = async (action: () => Promise<unknown>, done: () => void) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      done();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
