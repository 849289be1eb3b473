// Column helpers every entity shares: UUID keys generated in the process (so ids are known
// before a flush and can be written to the audit log) and creation/update timestamps.
import { randomUUID } from 'node:crypto';
import { p } from '@mikro-orm/core';

export const uuidKey = () => p.uuid().primary().onCreate(() => randomUUID());
export const createdAt = () => p.datetime().onCreate(() => new Date());
export const updatedAt = () => p.datetime().onCreate(() => new Date()).onUpdate(() => new Date());
