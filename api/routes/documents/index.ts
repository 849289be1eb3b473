// What the documents are issued under (issue 16): the district department as issuer (full
// name, seal caption, contact, number prefix, its number sequences) and the holiday calendars
// (放假安排) the attendance sheets count working days by.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { emOf, principalOf } from '../../plugins/auth.ts';
import { Issuer, IssuerBody, IssuerList, IssuerParams } from '../../schemas/document-issuers.ts';
import { HolidayCalendarBody, HolidayCalendarList, HolidayCalendarYear } from '../../schemas/attendance.ts';
import { getIssuer, listIssuers, saveIssuer } from '../../services/document-issuers.ts';
import { listHolidayCalendars, saveHolidayCalendar } from '../../services/holiday-calendars.ts';

const callerOf = (request: FastifyRequest) => ({ em: emOf(request), principal: principalOf(request), now: request.server.services.clock.now() });
const department = ['org_department', 'admin'] as const;

export const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/document-issuers', {
    config: { auth: { roles: [...department] } },
    schema: { tags: ['documents'], summary: 'The issuer of each district you are the department of, with its number sequences', response: { 200: IssuerList } },
  }, async (request) => listIssuers(callerOf(request)));

  app.get('/document-issuers/:id', {
    config: { auth: { roles: [...department] } },
    schema: { tags: ['documents'], summary: 'The issuer of one district (its unit id)', params: IssuerParams, response: { 200: Issuer } },
  }, async (request) => getIssuer(callerOf(request), request.params.id));

  app.put('/document-issuers/:id', {
    config: { auth: { roles: [...department] } },
    schema: {
      tags: ['documents'],
      summary: 'Set the department\'s full name, seal caption, contact and number prefix (numbers allocated already stay as printed)',
      params: IssuerParams,
      body: IssuerBody,
      response: { 200: Issuer },
    },
  }, async (request) => saveIssuer(callerOf(request), request.params.id, request.body));

  app.get('/holiday-calendars', {
    config: { auth: { roles: ['org_department', 'street_committee', 'community_committee', 'admin'] } },
    schema: {
      tags: ['documents'],
      summary: 'Holiday calendars by year (shipped notices and years entered), and the years postings span without one',
      response: { 200: HolidayCalendarList },
    },
  }, async (request) => listHolidayCalendars(callerOf(request)));

  app.put('/holiday-calendars', {
    config: { auth: { roles: [...department] } },
    schema: {
      tags: ['documents'],
      summary: 'Enter or correct a year\'s holidays and make-up workdays from the State Council\'s notice (the shipped years 2024–2026 are not edited)',
      body: HolidayCalendarBody,
      response: { 200: HolidayCalendarYear },
    },
  }, async (request) => saveHolidayCalendar(callerOf(request), request.body));
};
