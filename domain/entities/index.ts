// Every entity the ORM knows, listed explicitly (no folder discovery): add new ones here.
import { SystemSetting } from './system-setting.ts';

export const entities = [SystemSetting];
