import { AppError, type FieldError } from '../shared/errors.ts';

/** Pure: one field error per entry of `ids` that names nothing (`users.2`), so a form can mark it. */
export function unknownIdErrors(
  field: string,
  ids: readonly string[],
  existing: ReadonlySet<string>,
  what: string,
): FieldError[] {
  const errors: FieldError[] = [];
  ids.forEach((id, i) => {
    if (!existing.has(id))
      errors.push({
        field: `${field}.${i}`,
        message: `no ${what} has this ID`,
        kind: 'not_found',
        params: { what },
      });
  });
  return errors;
}

/** 422 `validation_failed` with these field errors; nothing when there are none. */
export function refuseUnknownIds(errors: FieldError[]): void {
  if (errors.length === 0) return;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : '';
  throw new AppError('validation_failed', `${errors[0]!.field}: ${errors[0]!.message}${more}`, {
    fieldErrors: errors,
  });
}
