import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'audit.title': '审计日志',
    'audit.intro': '系统中的每一次变更都追加记录在此，并以哈希链相连：任何一条被改动，其后的校验都会失败。',
    'audit.seq': '序号',
    'audit.time': '时间（UTC）',
    'audit.actor': '操作人',
    'audit.action': '动作',
    'audit.object': '对象',
    'audit.summary': '摘要',
    'audit.head': '当前链头哈希',
    'audit.verify': '校验哈希链',
    'audit.intact': '哈希链完整：已校验 {checked} 条记录。',
    'audit.broken': '哈希链在第 {seq} 条处断裂（{reason}）。',
    'error.AUDIT_ANCHOR_INVALID': '锚点“{anchor}”格式不对，应为 序号:64位十六进制哈希（如每周汇总公布的链头）',
  },
  en: {
    'audit.title': 'Audit log',
    'audit.intro':
      'Every change is appended here and chained by hash: altering any entry breaks verification from that point on.',
    'audit.seq': 'No.',
    'audit.time': 'Time (UTC)',
    'audit.actor': 'Actor',
    'audit.action': 'Action',
    'audit.object': 'Object',
    'audit.summary': 'Summary',
    'audit.head': 'Current chain head',
    'audit.verify': 'Verify the chain',
    'audit.intact': 'The chain is intact: {checked} entries checked.',
    'audit.broken': 'The chain breaks at entry {seq} ({reason}).',
    'error.AUDIT_ANCHOR_INVALID': 'Anchor "{anchor}" is not <seq>:<64 hex digits> (as published with each weekly summary)',
  },
});
