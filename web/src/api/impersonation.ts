import { call, client } from './client.ts';

/** R-IMP-06: ends this browser's impersonation and restores the actor's own session. */
export const backToOwnAccount = () => call(client.DELETE('/api/v1/impersonation'));
