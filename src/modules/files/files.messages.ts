import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'error.FILE_EMPTY': '“{name}”是空文件，请重新选择',
    'error.FILE_TOO_LARGE': '“{name}”超过大小限制（最大 {limitMb} MB）',
    'error.FILE_TYPE_NOT_ALLOWED': '“{name}”的文件类型不允许：只接受 PDF、JPEG、PNG 文件（按文件内容判断）',
    'error.FILE_NOT_FOUND': '文件不存在或无权下载',
    'error.FILE_CONTENT_MISSING': '文件内容缺失或已损坏，请联系系统管理员',
    'files.download': '下载',
    'files.size': '{kb} KB',
  },
  en: {
    'error.FILE_EMPTY': '“{name}” is an empty file; please choose another',
    'error.FILE_TOO_LARGE': '“{name}” is over the size limit ({limitMb} MB at most)',
    'error.FILE_TYPE_NOT_ALLOWED':
      '“{name}” is not an allowed type: only PDF, JPEG and PNG files are accepted (judged by content)',
    'error.FILE_NOT_FOUND': 'No such file, or you may not download it',
    'error.FILE_CONTENT_MISSING': 'The file’s content is missing or damaged; please contact the administrator',
    'files.download': 'Download',
    'files.size': '{kb} KB',
  },
});
