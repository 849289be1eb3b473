// Service-wide key/value facts that must survive restarts (e.g. when the demo was seeded).
import { defineEntity, p } from '@mikro-orm/core';
import { clockOf } from '../clock.ts';

export const SystemSetting = defineEntity({
  name: 'SystemSetting',
  tableName: 'system_setting',
  properties: {
    key: p.string().primary().length(100),
    value: p.json<unknown>(),
    updatedAt: p.datetime().onCreate((_entity, em) => clockOf(em).now()).onUpdate((_entity, em) => clockOf(em).now()),
  },
});
