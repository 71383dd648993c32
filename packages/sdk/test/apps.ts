import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A tiny app of the platform on node:http, for driving the SDK's handlers over real HTTP.

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** Runs the handlers of a route in order, Express style (each calls next() to go on). */
export function chain(
  ...handlers: Array<(req: IncomingMessage, res: ServerResponse, next: () => void) => void>
) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const run = (i: number): void => handlers[i]?.(req, res, () => run(i + 1));
    run(0);
  };
}

export async function startApp(
  routes: Record<string, Route>,
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const route = routes[`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`];
    if (route) return route(req, res);
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The answer of the app's `/me` route: the principal the handler saw. */
export const principalRoute: Route = (req, res) => {
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify(req.behalf));
};
