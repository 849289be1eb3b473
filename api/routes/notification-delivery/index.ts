// Notices that reach people (issue 17.5): the department's channels (with a test message), a
// person's preferences, and the department's list of deliveries. The inbox shows each notice's
// deliveries (api/routes/notifications); the dispatcher (domain/notifications/delivery.ts) sends.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { Role } from '../../../domain/auth/roles.ts';
import { emOf, principalOf } from '../../plugins/auth.ts';
import {
  ChannelBody, ChannelDto, ChannelList, DeliveryPage, DeliveryQuery, KindParams, Preferences, PreferencesDto, TestBody, TestResult, UnitQuery,
} from '../../schemas/notification-delivery.ts';
import { listChannels, saveChannel, testChannel, type Caller } from '../../services/notifications/channels.ts';
import { departmentDeliveries, readPreferences, savePreferences } from '../../services/notifications/deliveries.ts';

const MANAGE: Role[] = ['org_department', 'admin'];
const tags = ['notifications'];

export const notificationDeliveryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const caller = (request: FastifyRequest): Caller => ({ em: emOf(request), principal: principalOf(request), clock: app.services.clock });

  app.get('/notification-channels', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: "The department's delivery channels (secrets only named)", querystring: UnitQuery, response: { 200: ChannelList } },
  }, async (request) => listChannels(caller(request), request.query.unitId));

  app.put('/notification-channels/:kind', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: 'Switch a channel on or off and set it up', params: KindParams, body: ChannelBody, response: { 200: ChannelDto } },
  }, async (request) => saveChannel(caller(request), request.params.kind, request.body));

  app.post('/notification-channels/:kind/test', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: 'Send a test message through a channel', params: KindParams, body: TestBody, response: { 200: TestResult } },
  }, async (request) => testChannel(caller(request), request.params.kind, request.body, Boolean(app.services.sandbox)));

  app.get('/notification-deliveries', {
    config: { auth: { roles: MANAGE } },
    schema: { tags, summary: "Deliveries through the department's channels, newest first", querystring: DeliveryQuery, response: { 200: DeliveryPage } },
  }, async (request) => departmentDeliveries(caller(request), request.query));

  app.get('/notification-preferences', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'How your notices reach you', response: { 200: PreferencesDto } },
  }, async (request) => readPreferences(caller(request)));

  app.put('/notification-preferences', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Choose how your notices reach you', body: Preferences, response: { 200: PreferencesDto } },
  }, async (request) => savePreferences(caller(request), request.body));
};
