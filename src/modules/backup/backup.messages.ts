import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'error.BACKUP_INVALID': '备份文件无效或不完整：{reason}',
    'error.BACKUP_NEWER_SCHEMA': '备份来自更新版本的 Gongkai（本系统没有这些迁移：{migrations}），请先升级',
    'error.RESTORE_TARGET_NOT_EMPTY': '目标数据库不是空的（{tables} 中已有数据）；如确定要覆盖，请加 --force',
  },
  en: {
    'error.BACKUP_INVALID': 'The backup file is invalid or incomplete: {reason}',
    'error.BACKUP_NEWER_SCHEMA': 'The backup comes from a newer Gongkai (unknown migrations: {migrations}); upgrade first',
    'error.RESTORE_TARGET_NOT_EMPTY': 'The target database is not empty ({tables} hold data); add --force to overwrite it',
  },
});
