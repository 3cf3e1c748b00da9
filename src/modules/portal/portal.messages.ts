import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'portal.staffEntry': '工作人员入口',
    'portal.toPortal': '门户网站',
    'portal.welcome': '欢迎访问{name}行政权力公开透明运行平台',
    'portal.intro':
      '本平台公开本单位依法行使的每一项行政权力：职权目录、法律依据、办理流程和承诺时限，以及每项权力的运行情况。您可以查询、办事、咨询和投诉，监督权力的行使。',
    'portal.searchLabel': '搜索权力事项、办事指南',
    'portal.search': '搜索',
    'portal.services': '办事服务',
    'portal.aboutUs': '机构概况',
    'portal.offices': '内设机构',
    'portal.contact': '联系方式',
    'staff.home': '工作台',
    'staff.welcome': '您好，{name}',
    'staff.intro': '您的角色是“{role}”，所属单位为“{department}”。',
    'staff.queue': '待办事项',
    'staff.queueEmpty': '目前没有等待您处理的事项。',
  },
  en: {
    'portal.staffEntry': 'Staff sign-in',
    'portal.toPortal': 'Public portal',
    'portal.welcome': 'Welcome to the administrative power transparency platform of {name}',
    'portal.intro':
      'This site discloses every administrative power we exercise: the catalog, its legal basis, procedures and promised time limits, and how each power was used. You can search, apply, ask questions and complain, and so supervise how power is exercised.',
    'portal.searchLabel': 'Search powers and service guides',
    'portal.search': 'Search',
    'portal.services': 'Services',
    'portal.aboutUs': 'About us',
    'portal.offices': 'Internal offices',
    'portal.contact': 'Contact',
    'staff.home': 'Workbench',
    'staff.welcome': 'Hello, {name}',
    'staff.intro': 'Your role is "{role}" in "{department}".',
    'staff.queue': 'Waiting for you',
    'staff.queueEmpty': 'Nothing is waiting for you right now.',
  },
});
