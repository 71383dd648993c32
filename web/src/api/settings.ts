import { call, callVersioned, client, ifMatch } from './client.ts';
import type { Schemas } from './types.ts';

// The application settings (GET/PATCH /api/v1/admin/settings): reading needs settings.read,
// changing settings.manage. A change carries the ETag of the read (If-Match): 412 when someone
// else saved meanwhile.

export type Settings = Schemas['Settings'];

export type SettingsPatch = { [S in keyof Settings]?: Partial<Settings[S]> };

export const readSettings = () => callVersioned(client.GET('/api/v1/admin/settings'));

export const changeSettings = (patch: SettingsPatch, etag: string | null) =>
  callVersioned(client.PATCH('/api/v1/admin/settings', { body: patch, headers: ifMatch(etag) }));

/** R-IMP-04: the capabilities always blocked while acting, and what an addition must look like. */
export type CapabilityCatalogue = Schemas['CapabilityCatalogue'];

export const readCapabilityCatalogue = () => call(client.GET('/api/v1/admin/settings/capabilities'));
