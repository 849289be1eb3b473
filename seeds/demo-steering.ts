// The demo's 月调度、季督导 (issue 18.2), for the sandbox: tasks the district's organization
// department (orgdept) sets for the first three streets and for 区财政局, made through the
// steering service as the department would make them (each task's workflow starts, so reminders,
// overdue flags and the pages work as for a task set by hand). The second street has already
// reported this month's progress and the department has recorded a quarterly finding on its task;
// the other tasks wait for their first report. Runs once: nothing is made when any task exists.
import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config.ts';
import type { Clock } from '../domain/clock.ts';
import { loadPrincipal } from '../domain/auth/principal.ts';
import { addDays, addMonths, shanghaiDate } from '../domain/time.ts';
import { createSteeringService } from '../api/services/grid-steering/tasks.ts';

type Deps = { orm: MikroORM; temporal: Client; clock: Clock; config: Pick<Config, 'UPDATE_TIMEOUT_MS' | 'QUERY_TIMEOUT_MS' | 'TEMPORAL_TASK_QUEUE'> };

export const DEMO_STEERING_TASKS = [
  { title: '老旧小区改造', target: '年内完成12个老旧小区外立面和雨污管网改造' },
  { title: '背街小巷环境整治', target: '每月整治背街小巷不少于5条，居民满意率90%以上' },
  { title: '网格员队伍建设', target: '每个网格配齐专职网格员，全员完成业务培训' },
  { title: '社区服务专项经费拨付', target: '社区服务群众专项经费按季度足额拨付到位' },
];

/** Sets the demo's steering tasks; returns how many were made (0 when tasks exist or the demo accounts are missing). */
export async function seedSteeringDemo({ orm, temporal, clock, config }: Deps): Promise<number> {
  const em = orm.em.fork() as EntityManager;
  const [{ n }] = (await em.execute<{ n: string }[]>('select count(*) n from steering_task')) as [{ n: string }];
  if (Number(n) > 0) return 0;
  const principalOf = async (login: string) => {
    const [row] = await em.execute<{ id: string }[]>('select id from account where login = ?', [login]);
    return row ? loadPrincipal(em, row.id, 'password') : null;
  };
  const [dept, street2] = await Promise.all([principalOf('orgdept'), principalOf('street2')]);
  const streets = await em.execute<{ id: string }[]>("select id from administrative_unit where level = 'street' order by code limit 3");
  const [finance] = await em.execute<{ id: string }[]>("select id from organization where name = '区财政局' limit 1");
  if (!dept || streets.length < 3 || !finance) return 0;
  const steering = createSteeringService({
    temporal, clock, taskQueue: config.TEMPORAL_TASK_QUEUE,
    bounds: { temporal, updateTimeoutMs: config.UPDATE_TIMEOUT_MS, queryTimeoutMs: config.QUERY_TIMEOUT_MS },
  });
  const today = shanghaiDate(clock.now());
  const dueOn = addMonths(today, 5);
  const owners = [...streets.map((s) => ({ ownerUnitId: s.id })), { ownerOrganizationId: finance.id }];
  const caller = { em, principal: dept };
  const made = [];
  for (const [i, task] of DEMO_STEERING_TASKS.entries()) made.push(await steering.create(caller, { ...task, ...owners[i]!, dueOn }));
  const second = made[1]!;
  if (street2 && second.dueMonth) {
    await steering.report({ em, principal: street2 }, second.id, { month: second.dueMonth, progress: 30, content: '已整治背街小巷6条，清理乱堆乱放40余处' });
  }
  await steering.addFinding(caller, second.id, { finding: '部分小巷整治后反弹，长效保洁机制未建立', rectifyBy: addDays(today, 20) });
  return made.length;
}
