// The department's star-rating settings in force (changed after enrolment for rounds not yet started).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SettingsPatch, SettingsQuery, SettingsView } from '../../schemas/star-ratings.ts';
import { callerOf } from '../../services/star-ratings/access.ts';
import { changeSettings, settingsInForce } from '../../services/star-ratings/settings.ts';
import { tags } from './support.ts';

const DESCRIPTION = 'Settings in force: the department\'s latest star-rating cycle. A change takes effect for rounds not yet started: each '
  + 'organization\'s next yearly run (1 January, Shanghai) and organizations enrolled later load it. A running round keeps the settings it started '
  + 'with (its deadlines, thresholds, tracking cap and event effects, 公示 length); `enrolment` is the rule for the next enrolments (a share may only grow).';
const roles = ['org_department', 'admin'] as const;

export const settingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/star-ratings/settings', {
    config: { auth: { roles: [...roles] } },
    schema: {
      tags,
      summary: 'The department\'s star-rating settings in force for rounds that start from now',
      description: DESCRIPTION,
      querystring: SettingsQuery,
      response: { 200: SettingsView },
    },
  }, async (request) => settingsInForce(callerOf(request), request.query.unitId));

  app.patch('/star-ratings/settings', {
    config: { auth: { roles: [...roles] } },
    schema: {
      tags,
      summary: 'Change the department\'s star-rating settings after enrolment (deadlines, 公示 length, thresholds, tracking cap and event effects, '
        + 'enrolment rule for next years)',
      description: `${DESCRIPTION} Only the keys given change (\`thresholds: null\` returns to the indicator system's); every bad field is named `
        + '(400, field `body.settings.<key>`); the change is audited with the settings before and after.',
      body: SettingsPatch,
      response: { 200: SettingsView },
    },
  }, async (request) => changeSettings(callerOf(request), request.body));
};
