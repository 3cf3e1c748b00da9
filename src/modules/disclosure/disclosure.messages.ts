import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'error.DISCLOSURE_INVALID': '公开范围或公开时间填写有误。',
    'disclosure.invalid.scope': '公开范围须为：领导班子、单位内部、一定范围或全社会。',
    'disclosure.invalid.termKind': '公开时间须为长期公开或及时公开。',
    'disclosure.invalid.date': '日期格式应为 YYYY-MM-DD，且须为真实日期。',
    'disclosure.invalid.endRequired': '及时公开须填写公开截止日期。',
    'disclosure.invalid.order': '公开截止日期不能早于开始日期。',
    'disclosure.scope': '公开范围',
    'disclosure.scope.leadership': '领导班子',
    'disclosure.scope.internal': '单位内部',
    'disclosure.scope.limited': '一定范围',
    'disclosure.scope.public': '全社会',
    'disclosure.term': '公开时间',
    'disclosure.term.long_term': '长期公开',
    'disclosure.term.timely': '及时公开',
    'disclosure.term.timelyUntil': '及时公开（至 {until}）',
    'disclosure.term.timelyFromUntil': '及时公开（{from} 至 {until}）',
    'disclosure.term.timelyFrom': '及时公开（自 {from} 起）',
    'disclosure.confidential': '不宜公开',
    'disclosure.audience.everyone': '所有人',
    'disclosure.audience.case_parties': '案件当事人（凭查询码）',
    'disclosure.audience.approved_applicants': '依申请公开获准的申请人',
    'disclosure.audience.department_staff': '本单位工作人员',
    'disclosure.audience.department_leaders': '本单位领导班子',
    'disclosure.audience.dept_office': '本单位政务公开办公室',
    'disclosure.audience.city_office': '市政务公开办',
    'disclosure.audience.supervisors': '监察人员',
    'disclosure.audience.admins': '系统管理员',
    'disclosure.surface.pages': '公开页面',
    'disclosure.surface.search': '搜索',
    'disclosure.surface.feeds': '订阅',
    'disclosure.surface.sitemap': '网站地图',
    'disclosure.surface.downloads': '数据下载',
    'disclosure.surface.api': '开放接口',
    'disclosure.surface.printed': '公开栏打印件',
    'disclosure.explain.public.longTerm': '公开：所有人可见，长期公开。',
    'disclosure.explain.public.until': '公开：所有人可见，至 {until}（之后自动从公开页面、搜索、订阅和下载中撤下）。',
    'disclosure.explain.public.open': '公开：所有人可见，未设截止日期。',
    'disclosure.explain.public.scheduled': '公开（尚未开始）：自 {from} 起所有人可见，至 {until}；在此之前仅本单位工作人员可见。',
    'disclosure.explain.public.scheduledOpen': '公开（尚未开始）：自 {from} 起所有人可见；在此之前仅本单位工作人员可见。',
    'disclosure.explain.public.expired':
      '已撤下：公开期已于 {until} 结束，已自动从公开页面、搜索、订阅和下载中撤下；本单位工作人员仍可查看。',
    'disclosure.explain.limited.longTerm':
      '一定范围公开：本单位工作人员、案件当事人（凭查询码）和依申请公开获准的申请人可见，长期有效；不出现在公开页面。',
    'disclosure.explain.limited.until':
      '一定范围公开：本单位工作人员、案件当事人（凭查询码）和依申请公开获准的申请人可见，至 {until}；不出现在公开页面。',
    'disclosure.explain.limited.open':
      '一定范围公开：本单位工作人员、案件当事人（凭查询码）和依申请公开获准的申请人可见，未设截止日期；不出现在公开页面。',
    'disclosure.explain.limited.scheduled':
      '一定范围公开（尚未开始）：自 {from} 起案件当事人和获准的申请人可见；目前仅本单位工作人员可见。',
    'disclosure.explain.limited.expired': '一定范围公开已于 {until} 结束：现仅本单位工作人员可见。',
    'disclosure.explain.invalidTerm':
      '公开期限有误（开始日期 {from} 晚于结束日期 {until}）：不会出现在本单位以外的任何地方，请更正。',
    'disclosure.explain.internal': '单位内部：仅本单位工作人员可见，不出现在任何公开页面。',
    'disclosure.explain.leadership': '领导班子：仅本单位领导班子成员和政务公开办公室可见，不出现在任何公开页面。',
    'disclosure.explain.confidential': '不宜公开：仅本单位工作人员和市政务公开办可见，从不出现在任何公开页面。',
    'disclosure.explain.confidentialLeadership':
      '不宜公开：仅本单位领导班子成员、政务公开办公室和市政务公开办可见，从不出现在任何公开页面。',
  },
  en: {
    'error.DISCLOSURE_INVALID': 'The disclosure scope or term is not valid.',
    'disclosure.invalid.scope': 'The scope must be leadership, internal, limited or public.',
    'disclosure.invalid.termKind': 'The term must be long-term or timely.',
    'disclosure.invalid.date': 'Dates are written YYYY-MM-DD and must exist.',
    'disclosure.invalid.endRequired': 'A timely disclosure needs an end date.',
    'disclosure.invalid.order': 'The end date cannot be before the start date.',
    'disclosure.scope': 'Disclosure scope',
    'disclosure.scope.leadership': 'Leadership',
    'disclosure.scope.internal': 'Within the department',
    'disclosure.scope.limited': 'Limited',
    'disclosure.scope.public': 'Public',
    'disclosure.term': 'Disclosure term',
    'disclosure.term.long_term': 'Long-term',
    'disclosure.term.timely': 'Timely',
    'disclosure.term.timelyUntil': 'Timely (until {until})',
    'disclosure.term.timelyFromUntil': 'Timely ({from} to {until})',
    'disclosure.term.timelyFrom': 'Timely (from {from})',
    'disclosure.confidential': 'Not for disclosure',
    'disclosure.audience.everyone': 'everyone',
    'disclosure.audience.case_parties': 'parties of the case (with the query code)',
    'disclosure.audience.approved_applicants': 'applicants granted access on request',
    'disclosure.audience.department_staff': "the department's staff",
    'disclosure.audience.department_leaders': "the department's leadership",
    'disclosure.audience.dept_office': "the department's disclosure office",
    'disclosure.audience.city_office': 'the city disclosure office',
    'disclosure.audience.supervisors': 'supervisors',
    'disclosure.audience.admins': 'system administrators',
    'disclosure.surface.pages': 'public pages',
    'disclosure.surface.search': 'search',
    'disclosure.surface.feeds': 'feeds',
    'disclosure.surface.sitemap': 'sitemap',
    'disclosure.surface.downloads': 'downloads',
    'disclosure.surface.api': 'open API',
    'disclosure.surface.printed': 'printed notice sheets',
    'disclosure.explain.public.longTerm': 'Public: visible to everyone, long-term.',
    'disclosure.explain.public.until':
      'Public: visible to everyone until {until} (then withdrawn automatically from public pages, search, feeds and downloads).',
    'disclosure.explain.public.open': 'Public: visible to everyone, with no end date.',
    'disclosure.explain.public.scheduled':
      "Public (not yet started): visible to everyone from {from} until {until}; until then only the department's staff see it.",
    'disclosure.explain.public.scheduledOpen':
      "Public (not yet started): visible to everyone from {from}; until then only the department's staff see it.",
    'disclosure.explain.public.expired':
      "Withdrawn: the disclosure term ended on {until}, so it was removed automatically from public pages, search, feeds and downloads; the department's staff still see it.",
    'disclosure.explain.limited.longTerm':
      "Limited: visible to the department's staff, the parties of the case (with the query code) and applicants granted access, long-term; never on public pages.",
    'disclosure.explain.limited.until':
      "Limited: visible to the department's staff, the parties of the case (with the query code) and applicants granted access until {until}; never on public pages.",
    'disclosure.explain.limited.open':
      "Limited: visible to the department's staff, the parties of the case (with the query code) and applicants granted access, with no end date; never on public pages.",
    'disclosure.explain.limited.scheduled':
      "Limited (not yet started): parties and applicants granted access see it from {from}; for now only the department's staff do.",
    'disclosure.explain.limited.expired': "The limited disclosure ended on {until}: only the department's staff see it now.",
    'disclosure.explain.invalidTerm':
      'The disclosure term is wrong (it starts on {from}, after it ends on {until}): it is shown nowhere outside the department; please correct it.',
    'disclosure.explain.internal': "Within the department: only the department's staff see it; never on public pages.",
    'disclosure.explain.leadership':
      "Leadership: only the department's leadership and its disclosure office see it; never on public pages.",
    'disclosure.explain.confidential':
      "Not for disclosure: only the department's staff and the city disclosure office see it; never on any public surface.",
    'disclosure.explain.confidentialLeadership':
      "Not for disclosure: only the department's leadership, its disclosure office and the city disclosure office see it; never on any public surface.",
  },
});
