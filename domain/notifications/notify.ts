// Puts a message in an account's inbox, in the caller's transaction (flushed with it).
import type { EntityManager } from '@mikro-orm/postgresql';
import { Notification } from '../entities/notification.ts';

export interface NotifyInput {
  recipientAccountId: string;
  /** e.g. commitment_returned, deadline_reminder, result_published */
  kind: string;
  title: string;
  body: string;
  link?: string | null;
}

export function notify(em: EntityManager, input: NotifyInput): Notification {
  return em.create(Notification, {
    recipient: input.recipientAccountId,
    kind: input.kind,
    title: input.title,
    body: input.body,
    link: input.link ?? null,
  });
}
