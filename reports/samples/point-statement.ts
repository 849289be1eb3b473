import type { PointStatementData } from '../contracts/point-statement.ts';

export const pointStatement: PointStatementData = {
  month: '2024-06',
  community: '仙营社区',
  pointKind: '文明积分',
  holder: '王秀兰',
  holderNote: '139****5678',
  opening: 35,
  earned: 15,
  spent: 30,
  returned: 0,
  closing: 20,
  entries: [
    { date: '2024-06-03', kind: '获得', memo: '网格事项 GM-20240601-000012 办结（满意）', amount: 5, status: '已确认' },
    { date: '2024-06-12', kind: '获得', memo: '社区志愿服务：垃圾分类宣传', amount: 5, status: '已确认' },
    { date: '2024-06-18', kind: '兑换扣减', memo: '积分兑换超市：大米5斤 ×1', amount: -30, status: '已确认' },
    { date: '2024-06-26', kind: '获得', memo: '社区志愿服务：夏季防溺水巡查', amount: 5, status: '已确认' },
    { date: '2024-06-29', kind: '获得', memo: '社区志愿服务：敬老院慰问', amount: 5, status: '待确认' },
  ],
  printedOn: '2024-07-01',
};
