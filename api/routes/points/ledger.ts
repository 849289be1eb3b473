// The ledger's routes: earning rules, credits, the community's confirmations, accounts, a
// member's own points, monthly statements and the dashboard.
import { ErrorBody, IdParams } from '../../schemas/common.ts';
import * as S from '../../schemas/points.ts';
import { POINT_CLERKS, POINT_READERS, RULE_SETTERS } from '../../services/points/access.ts';
import { callerOf, type PointsApp, type PointsServices } from './index.ts';

const tags = ['points'];

export function ledgerRoutes(app: PointsApp, { ledger, statements, statementPdf }: PointsServices): void {
  app.get('/points/rules', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: 'Earning rules: the defaults and the ones departments set over the caller\'s units', response: { 200: S.RuleList } },
  }, async (request) => ledger.rules(callerOf(request)));

  app.post('/points/rules', {
    config: { auth: { roles: RULE_SETTERS } },
    schema: { tags, summary: 'Set an earning rule for a unit\'s subtree (a code again replaces it)', body: S.RuleBody, response: { 200: S.Rule } },
  }, async (request) => ledger.setRule(callerOf(request), request.body));

  app.post('/points/credits', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: {
      tags,
      summary: 'Credit points by a rule (a volunteer activity…); the same sourceKey again credits nothing and returns the same entry',
      body: S.CreditBody,
      response: { 200: S.Posted },
    },
  }, async (request) => ledger.credit(callerOf(request), request.body));

  app.get('/points/entries', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags,
      summary: 'Ledger entries in the caller\'s communities (status=pending: awaiting confirmation)',
      querystring: S.EntryQuery, response: { 200: S.EntryList } },
  }, async (request) => ledger.entries(callerOf(request), request.query));

  app.post('/points/entries/:id/confirm', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'The community confirms a pending entry: it counts from now on', params: IdParams, response: { 200: S.Entry } },
  }, async (request) => ledger.decide(callerOf(request), request.params.id, 'confirm'));

  app.post('/points/entries/:id/reject', {
    config: { auth: { roles: POINT_CLERKS } },
    schema: { tags, summary: 'The community rejects a pending entry: it never counts', params: IdParams, response: { 200: S.Entry } },
  }, async (request) => ledger.decide(callerOf(request), request.params.id, 'reject'));

  app.get('/points/accounts', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: 'Point accounts (balances) in the caller\'s communities', querystring: S.AccountQuery, response: { 200: S.AccountList } },
  }, async (request) => ledger.accounts(callerOf(request), request.query));

  app.get('/points/accounts/:id', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: 'One account with its latest entries and the ledger\'s sum', params: IdParams, response: { 200: S.AccountDetail } },
  }, async (request) => ledger.account(callerOf(request), request.params.id));

  app.get('/points/me', {
    config: { auth: { roles: 'any' } },
    schema: { tags, summary: 'The caller\'s own 先锋指数 (members with a person record)', response: { 200: S.MyPoints } },
  }, async (request) => ledger.mine(callerOf(request)));

  app.get('/points/statements', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: 'Monthly statement per account: opening, earned, spent, returned, closing', querystring: S.StatementQuery,
      response: { 200: S.StatementList } },
  }, async (request) => statements.statements(callerOf(request), request.query));

  app.get('/points/accounts/:id/statements/:month', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: '积分月结单 PDF of one account and month, rendered through the reports queue', params: S.StatementParams,
      response: { 200: S.PdfResponse, 409: ErrorBody, 503: ErrorBody } },
  }, async (request, reply) => {
    const { sha256, pdf, name } = await statementPdf(callerOf(request), request.params.id, request.params.month);
    return reply.header('content-type', 'application/pdf').header('x-sha256', sha256).header('content-disposition', `attachment; filename="${name}"`).send(pdf);
  });

  app.get('/points/dashboard', {
    config: { auth: { roles: POINT_READERS } },
    schema: { tags, summary: 'Points earned and spent per month (last 12) and balances per community', response: { 200: S.PointsDashboard } },
  }, async (request) => statements.dashboard(callerOf(request)));
}
