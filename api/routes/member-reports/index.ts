// 双报到 over HTTP: units and in-service members report to a community, which confirms; members
// record their monthly service and pair with households in difficulty; the unit's Party
// organization reads its members' record; the street or community reads a unit's summary where
// it writes the 写实评价. Handlers call api/services/member-reports/.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams } from '../../schemas/common.ts';
import * as S from '../../schemas/member-reports.ts';
import type { WorkflowBounds } from '../../workflow-refusals.ts';
import { COMMUNITY_STAFF, CONFIRMERS, UNIT_ROLES } from '../../services/member-reports/access.ts';
import { createRegistrationService } from '../../services/member-reports/registrations.ts';
import { createRecordService } from '../../services/member-reports/records.ts';
import { listAreas, listCommunities } from '../../services/member-reports/communities.ts';
import { PageQuery } from '../../schemas/common.ts';
import Type from 'typebox';
import { callerOf } from '../points/index.ts';

const tags = ['member-reports'];
const UnitQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });

export const memberReportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.services;
  const bounds: WorkflowBounds = { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS };
  const registrations = createRegistrationService({ temporal, bounds, taskQueue: config.TEMPORAL_TASK_QUEUE });
  const records = createRecordService();

  app.post('/member-reports/units', {
    config: { auth: { roles: [...UNIT_ROLES, 'admin'] } },
    schema: { tags, summary: '单位报到: a unit reports to a community (again: the same registration)', body: S.UnitRegistrationBody,
      response: { 200: S.UnitRegistration } },
  }, async (request) => registrations.registerUnit(callerOf(request), request.body));

  app.get('/member-reports/units', {
    config: { auth: { roles: [...COMMUNITY_STAFF, ...UNIT_ROLES] } },
    schema: { tags, summary: 'Units\' registrations: with the caller\'s communities, or the caller\'s own unit', querystring: UnitQuery,
      response: { 200: S.UnitRegistrationList } },
  }, async (request) => registrations.units(callerOf(request), request.query));

  for (const decision of ['confirm', 'decline'] as const) {
    app.post(`/member-reports/units/:id/${decision}`, {
      config: { auth: { roles: CONFIRMERS } },
      schema: { tags, summary: `The community ${decision}s a unit's registration`, params: IdParams, response: { 200: S.UnitRegistration } },
    }, async (request) => registrations.decideUnit(callerOf(request), request.params.id, decision));

    app.post(`/member-reports/registrations/:id/${decision}`, {
      config: { auth: { roles: CONFIRMERS } },
      schema: {
        tags,
        summary: `The community ${decision}s a member's registration${decision === 'confirm' ? ' (the monthly checks start)' : ''}`,
        params: IdParams,
        response: { 200: S.Registration },
      },
    }, async (request) => registrations.decide(callerOf(request), request.params.id, decision));
  }

  app.get('/member-reports/communities', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'The communities a member may report to (in the caller\'s own district or city), by area and name: public facts only',
      querystring: S.CommunityQuery, response: { 200: S.CommunityChoiceList } },
  }, async (request) => listCommunities(callerOf(request), request.query));

  app.get('/member-reports/areas', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'The districts and streets of the caller\'s own district or city (the community picker\'s filter)',
      response: { 200: S.AreaList } },
  }, async (request) => listAreas(callerOf(request)));

  app.post('/member-reports/registrations', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: '在职党员报到: the signed-in member reports to a community (again: the same registration)', body: S.RegistrationBody,
      response: { 200: S.Registration } },
  }, async (request) => registrations.register(callerOf(request), request.body));

  app.get('/member-reports/registrations', {
    config: { auth: { roles: 'any' } },
    schema: {
      tags,
      summary: 'Members\' registrations: the caller\'s communities, the caller\'s unit\'s members, or the caller\'s own',
      querystring: S.RegistrationQuery,
      response: { 200: S.RegistrationList },
    },
  }, async (request) => registrations.list(callerOf(request), request.query));

  app.get('/member-reports/registrations/:id', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'One member\'s record: services, flagged months, pairings and visits', params: IdParams, response: { 200: S.RegistrationDetail } },
  }, async (request) => registrations.detail(callerOf(request), request.params.id));

  app.post('/member-reports/registrations/:id/services', {
    config: { auth: { roles: 'any' } },
    schema: {
      tags, summary: 'The member records a service (先锋指数 points pending the community\'s confirmation)', params: IdParams, body: S.ServiceBody,
        response: { 200: S.ServiceRecord },
    },
  }, async (request) => records.addService(callerOf(request), request.params.id, request.body));

  app.post('/member-reports/registrations/:id/pairings', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'Pair the member with a household in difficulty (the member or the community)', params: IdParams, body: S.PairingBody,
      response: { 200: S.Pairing } },
  }, async (request) => records.addPairing(callerOf(request), request.params.id, request.body));

  app.post('/member-reports/pairings/:id/visits', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'A visit to the paired household', params: IdParams, body: S.VisitBody, response: { 200: S.Visit } },
  }, async (request) => records.addVisit(callerOf(request), request.params.id, request.body));

  app.get('/member-reports/organizations/:orgId/summary', {
    config: { auth: { roles: [...COMMUNITY_STAFF, ...UNIT_ROLES] } },
    schema: {
      tags, summary: 'A unit\'s members in 双报到 this year (for its 写实评价)', params: S.OrgParams, querystring: S.YearQuery, response: { 200: S.UnitSummary },
    },
  }, async (request) => records.unitSummary(callerOf(request), request.params.orgId, request.query.year));

  app.get('/member-reports/dashboard', {
    config: { auth: { roles: COMMUNITY_STAFF } },
    schema: { tags, summary: 'Members\' service rate of a month by unit', querystring: S.MonthQuery, response: { 200: S.MemberDashboard } },
  }, async (request) => records.dashboard(callerOf(request), request.query.month));
};
