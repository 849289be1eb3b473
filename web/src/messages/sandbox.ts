export const sandboxMessages = {
  title: '演示环境',
  note: '培训/演示用，数据每次启动清空，日历由组织部推进',
  time: '模拟时间',
};
