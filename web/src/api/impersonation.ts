import { api } from './client.ts';

/** R-IMP-06: ends this browser's impersonation and restores the actor's own session. */
export const backToOwnAccount = () => api.delete<{ returnTo: string }>('/api/v1/impersonation');
