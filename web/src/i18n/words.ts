import type { TFunction } from 'i18next';

// Words for the server's codes that people see (issue 10 #10): audit actions such as
// `user.created` and target types are stable codes in the API, but a page shows a phrase in
// the interface's language. A test (test/web-words.test.ts) checks that every action the server
// writes has one. The texts are verb phrases ("created a user"), to follow the actor's name.

/** "created a user" for `user.created`; an action this build does not know keeps its code. */
export function auditActionText(t: TFunction, action: string): string {
  const [ns, name] = action.split('.', 2);
  return t(`words.auditActions.${ns}.${name}`, {
    defaultValue: t('words.unknownAction', { action }),
  });
}

/** "User" for `user`, "Domain" for `domain`, ... */
export function targetTypeText(t: TFunction, type: string): string {
  return t(`words.targetTypes.${type}`, { defaultValue: type });
}
