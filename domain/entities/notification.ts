// A message in an account's inbox (reminders, returns, results). Cycle code writes them via `notify`.
import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { Account } from './account.ts';
import { createdAt, uuidKey } from './common.ts';

export const Notification = defineEntity({
  name: 'Notification',
  tableName: 'notification',
  properties: {
    id: uuidKey(),
    recipient: () => p.manyToOne(Account).ref().deleteRule('cascade'),
    kind: p.string().length(50),
    title: p.string().length(200),
    body: p.text(),
    link: p.string().length(500).nullable(),
    readAt: p.datetime().nullable(),
    createdAt: createdAt(),
  },
  indexes: [{ name: 'notification_recipient_created_idx', properties: ['recipient', 'createdAt'] }],
});
export type Notification = InferEntity<typeof Notification>;
