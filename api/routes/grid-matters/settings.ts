// What the department sets up: dispatch rules and deadlines (分级响应), registered answering units
// (functional departments, utilities), the grids' buildings and QR code links.
import * as S from '../../schemas/grid-matters.ts';
import { callerOf as caller } from '../../services/grid-matters/access.ts';
import type { GridMatterSettings } from '../../../domain/grid-matter/rules.ts';
import type { GridMatterApp, GridMatterServices } from './index.ts';

const tags = ['grid-matters'];
const STAFF = ['org_department', 'street_committee', 'community_committee'] as const;

export function settingsRoutes(app: GridMatterApp, services: GridMatterServices): void {
  app.get('/grid-matters/settings', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The dispatch rules and deadlines that apply to a unit (its own, inherited, or the defaults)', querystring: S.SettingsQuery,
      response: { 200: S.SettingsView } },
  }, async (request) => services.settings.read(caller(request), request.query.unitId));

  app.put('/grid-matters/settings/:unitId', {
    config: { auth: { roles: ['org_department'] } },
    schema: {
      tags,
      summary: 'The department saves its dispatch rules: category → unit kind and starting level, hours per level by urgency, reminder and rating windows',
      description: 'Applies to matters reported from then on in grids under the unit (a matter keeps the plan it was dispatched with).',
      params: S.UnitParams,
      body: S.Settings,
      response: { 200: S.SettingsView },
    },
  }, async (request) => services.settings.save(caller(request), request.params.unitId, request.body as GridMatterSettings));

  app.get('/grid-matters/responders', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'Registered answering units (functional departments, utilities) over and under a unit', querystring: S.SettingsQuery,
      response: { 200: S.ResponderList } },
  }, async (request) => services.settings.responders(caller(request), request.query.unitId));

  app.post('/grid-matters/responders', {
    config: { auth: { roles: ['org_department'] } },
    schema: { tags, summary: 'Register a functional department or utility that answers matters, with the accounts acting for it', body: S.ResponderBody,
      response: { 201: S.Responder } },
  }, async (request, reply) => {
    const created = await services.settings.register(caller(request), request.body);
    reply.code(201);
    return created;
  });

  app.get('/grid-matters/grids', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The grids under the caller\'s units with their buildings and open matters', response: { 200: S.GridList } },
  }, async (request) => services.settings.grids(caller(request)));

  app.put('/grid-matters/grids/:gridId/buildings', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The buildings of a grid (a report names one of them)', params: S.GridParams, body: S.BuildingsBody, response: { 200: S.Grid } },
  }, async (request) => services.settings.setBuildings(caller(request), request.params.gridId, request.body.buildings));

  app.post('/grid-matters/grids/:gridId/report-link', {
    config: { auth: { roles: [...STAFF] } },
    schema: { tags, summary: 'The grid\'s QR code link residents report through (the same link every time)', params: S.GridParams,
      response: { 200: S.ReportLink } },
  }, async (request) => services.settings.reportLink(caller(request), request.params.gridId));
}
