import type { FastifyInstance } from 'fastify';
import { AppError } from '../shared/errors.ts';

// CSRF defence for cookie sessions: every state-changing request must name its Origin, and the
// origin must be this server's own (the host the request came to, or PUBLIC_URL). Browsers
// always send Origin on POST/PUT/PATCH/DELETE, and cannot forge it; bodies must be JSON, which a
// cross-site form cannot send (only the JSON parser is registered, others get 415).

const unsafe = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerCsrfGuard(app: FastifyInstance, publicUrl: string) {
  const publicOrigin = new URL(publicUrl).origin;
  app.addHook('onRequest', async (req) => {
    if (!unsafe.has(req.method) || !req.url.startsWith('/api/')) return;
    const origin = req.headers.origin;
    if (!origin) {
      throw new AppError('csrf_rejected', 'State-changing requests must carry an Origin header.');
    }
    if (origin === publicOrigin) return;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new AppError('csrf_rejected', 'The Origin header is not a valid origin.');
    }
    if (host !== req.headers.host) {
      throw new AppError('csrf_rejected', `Requests from ${origin} are not accepted.`);
    }
  });
}
