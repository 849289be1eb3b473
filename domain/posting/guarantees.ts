// 保障机制: a posting starts only once the dispatching unit has bought the accident insurance
// and provided the work funds the cohort requires. Says exactly what is missing.
import type { CohortSettings } from './settings.ts';

export interface Guarantees {
  insuranceYuan: number | null;
  workFundsYuan: number | null;
}

export interface MissingGuarantee {
  kind: 'accident_insurance' | 'work_funds';
  requiredYuan: number;
  recordedYuan: number | null;
  message: string;
}

export function missingGuarantees(g: Guarantees, settings: Pick<CohortSettings, 'minInsuranceYuan' | 'minWorkFundsYuan'>): MissingGuarantee[] {
  const missing: MissingGuarantee[] = [];
  const check = (kind: MissingGuarantee['kind'], label: string, recorded: number | null, required: number) => {
    if (recorded !== null && recorded >= required) return;
    missing.push({
      kind,
      requiredYuan: required,
      recordedYuan: recorded,
      message: recorded === null ? `${label}未备案 (at least ${required} yuan)` : `${label} ${recorded} 元低于 ${required} 元`,
    });
  };
  check('accident_insurance', '人身意外保险', g.insuranceYuan, settings.minInsuranceYuan);
  check('work_funds', '驻社区工作经费', g.workFundsYuan, settings.minWorkFundsYuan);
  return missing;
}
