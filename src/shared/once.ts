// Something expensive built at its first use rather than at start (issue 13: the OpenID
// Provider's library is the largest single module of the process, and most starts never serve
// an app). Callers that ask while the build is running share that build: two parallel first
// requests must not make two providers, whose second would replace the first's patches and keys
// in use. A failed build is not kept, so the next caller tries again instead of failing forever.

export interface Once<T> {
  (): Promise<T>;
  /** The built value, if the build has finished (no waiting on the request path). */
  readonly ready: T | undefined;
}

export function once<T>(build: () => Promise<T>): Once<T> {
  let pending: Promise<T> | undefined;
  let value: T | undefined;
  const get = () => {
    pending ??= build().then(
      (v) => (value = v),
      (error: unknown) => {
        pending = undefined;
        throw error;
      },
    );
    return pending;
  };
  return Object.defineProperty(get, 'ready', { get: () => value }) as Once<T>;
}
