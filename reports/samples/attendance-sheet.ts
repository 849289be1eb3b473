import type { AttendanceSheetData } from '../contracts/attendance-sheet.ts';

type Mark = AttendanceSheetData['secretaries'][number]['days'][number];

// December 2024: the 1st is a Sunday; 22 working days.
const DAYS_IN_MONTH = 31;
const WEEKDAY_OF_FIRST = 0;

/** A month of marks: weekends off, every working day present except the given exceptions. */
function month(exceptions: Record<number, Mark>): Mark[] {
  return Array.from({ length: DAYS_IN_MONTH }, (_, index) => {
    const day = index + 1;
    const weekday = (WEEKDAY_OF_FIRST + index) % 7;
    if (exceptions[day]) return exceptions[day];
    return weekday === 0 || weekday === 6 ? 'off' : 'present';
  });
}

function secretary(name: string, community: string, dispatchingUnit: string, exceptions: Record<number, Mark>) {
  const days = month(exceptions);
  const presentDays = days.filter((mark) => mark === 'present').length;
  return {
    name,
    community,
    dispatchingUnit,
    days,
    presentDays,
    businessDays: days.filter((mark) => mark === 'business').length,
    leaveDays: days.filter((mark) => mark === 'leave').length,
    metQuota: presentDays + days.filter((mark) => mark === 'business').length >= 22,
  };
}

export const attendanceSheet: AttendanceSheetData = {
  month: '2024-12',
  street: '济阳街道',
  requiredDays: 22,
  workingDays: 22,
  calendarNote: null,
  secretaries: [
    secretary('李振华', '运河社区', '济宁市财政局', {}),
    secretary('张丽娟', '东门大街社区', '国网济宁供电公司', { 10: 'business', 14: 'present' }),
    secretary('王海涛', '竹竿巷社区', '济宁市住房和城乡建设局', { 18: 'leave', 19: 'leave' }),
    secretary('刘思远', '清真寺社区', '中国银行济宁分行', { 5: 'business', 6: 'business', 7: 'present', 21: 'present' }),
    secretary('陈雪梅', '南池社区', '济宁医学院', {}),
    secretary('杨国庆', '北门大街社区', '济宁市交通运输局', { 23: 'absent' }),
    secretary('赵文博', '太白楼社区', '济宁市市场监督管理局', { 2: 'leave', 3: 'leave', 4: 'leave' }),
    secretary('孙晓燕', '小闸口社区', '中国移动济宁分公司', { 28: 'present' }),
  ],
  signatures: [
    { role: '制表人（街道组织委员）', signer: null, date: null, decision: null },
    { role: '中共济宁市任城区济阳街道工作委员会', signer: '孙立群', date: '2025-01-04', decision: '情况属实。', seal: true },
  ],
};
