// Column helpers every entity shares: UUID keys generated in the process (so ids are known
// before a flush and can be written to the audit log) and creation/update timestamps.
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';
import { clockOf } from '../clock.ts';

export const uuidKey = () => p.uuid().primary().onCreate(() => randomUUID());
// Stamped from the clock bound to the ORM (the simulated calendar in the sandbox).
export const createdAt = () => p.datetime().onCreate((_entity, em) => clockOf(em).now());
export const updatedAt = () => p.datetime().onCreate((_entity, em) => clockOf(em).now()).onUpdate((_entity, em) => clockOf(em).now());
