// The caller's inbox. Cycle code writes notifications with `notify` (domain/notifications/notify.ts).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { Notification } from '../../../domain/entities/notification.ts';
import { notFound } from '../../../domain/errors.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { DateTime, IdParams, Nullable, PageQuery, Uuid, iso } from '../../schemas/common.ts';
import { DeliveryDto } from '../../schemas/notification-delivery.ts';
import { deliveriesOf } from '../../services/notifications/deliveries.ts';

const tags = ['notifications'];
const example = {
  id: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
  kind: 'deadline_reminder',
  title: '承诺事项即将到期',
  body: '“每季度组织一次形势政策宣讲”将于 2026-12-31 到期，请及时上传佐证材料。',
  link: '/dual-commitments/…',
  readAt: null,
  createdAt: '2026-11-21T08:00:00.000Z',
};
const NotificationDto = Type.Object({
  id: Uuid, kind: Type.String(), title: Type.String(), body: Type.String(), link: Nullable(Type.String()), readAt: Nullable(DateTime), createdAt: DateTime,
}, { examples: [example] });
const InboxItem = Type.Object({
  ...NotificationDto.properties,
  /** How the notice went out on each channel (none when no channel reaches the person). */
  deliveries: Type.Array(DeliveryDto),
}, { examples: [{ ...example, deliveries: [] }] });
const Inbox = Type.Object({
  items: Type.Array(InboxItem), total: Type.Integer(), unread: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(),
}, { examples: [{ items: [{ ...example, deliveries: [] }], total: 1, unread: 1, limit: 50, offset: 0 }] });

const dto = (n: Notification) => ({
  id: n.id,
  kind: n.kind,
  title: n.title,
  body: n.body,
  link: n.link ?? null,
  readAt: iso(n.readAt),
  createdAt: iso(n.createdAt)!,
});

export const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/notifications', {
    config: { auth: { roles: 'any' } },
    schema: {
      tags, summary: 'Your inbox, newest first',
      querystring: Type.Object({ unread: Type.Optional(Type.Boolean({ description: 'only unread messages' })), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Inbox },
    },
  }, async (request) => {
    const em = emOf(request);
    const recipient = principalOf(request).accountId;
    const { unread, limit, offset } = request.query;
    const [items, total] = await em.findAndCount(Notification, unread ? { recipient, readAt: null } : { recipient }, {
      limit,
      offset,
      orderBy: { createdAt: 'desc', id: 'desc' },
    });
    const unreadCount = await em.count(Notification, { recipient, readAt: null });
    const deliveries = await deliveriesOf(em, items.map((n) => n.id));
    return { items: items.map((n) => ({ ...dto(n), deliveries: deliveries.get(n.id) ?? [] })), total, unread: unreadCount, limit, offset };
  });

  app.post('/notifications/:id/read', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Mark one of your messages read', params: IdParams, response: { 200: NotificationDto } },
  }, async (request) => {
    const em = emOf(request);
    const notification = await em.findOne(Notification, { id: request.params.id, recipient: principalOf(request).accountId });
    if (!notification) throw notFound('notification');
    // Reading a message is not a change of record worth an audit entry.
    notification.readAt ??= app.services.clock.now();
    await em.flush();
    return dto(notification);
  });

  app.post('/notifications/read-all', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Mark all your messages read', response: { 200: Type.Object({ marked: Type.Integer() }, { examples: [{ marked: 3 }] }) } },
  }, async (request) => {
    const marked = await emOf(request).nativeUpdate(
      Notification,
      { recipient: principalOf(request).accountId, readAt: null },
      { readAt: app.services.clock.now() },
    );
    return { marked };
  });
};
