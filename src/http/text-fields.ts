// The field schemas moved to src/shared/text-fields.ts (config and domain schemas use them too,
// and nothing outside src/http/ may import src/http/); route modules may keep this path.
export * from '../shared/text-fields.ts';
