// One audit event's content for the chain tests (chain.test.ts, upgrade.test.ts): the fields a
// hash covers, numbered so that each event differs.
export function testEventContent(id: string, i: number) {
  return {
    id,
    occurred_at: 1_000 + i,
    request_id: null,
    action: 'user.created',
    user_id: null,
    user_label: null,
    actor_id: 'a',
    actor_label: 'Admin',
    impersonation_id: null,
    impersonation_reason: null,
    target_type: 'user',
    target_id: `u${i}`,
    target_label: `User ${i}`,
    changes: null,
    details: null,
    ip: null,
  };
}
