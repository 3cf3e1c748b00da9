/**
 * Words the generated catalog is made of: power names are "object + action" (医疗机构执业 + 许可),
 * so the same name recurs across departments the way a district's powers mirror the city's.
 * The search query set (queries.ts) draws on the same words, so queries find something.
 */

export const OBJECTS = [
  '医疗机构执业',
  '母婴保健技术服务',
  '计划生育技术服务',
  '生育服务证',
  '再生育',
  '放射诊疗',
  '公共场所卫生',
  '饮用水供水单位',
  '职业健康检查机构',
  '消毒产品生产企业',
  '餐饮服务',
  '食品生产',
  '建筑工程施工',
  '民办学校',
  '教师资格',
  '道路运输经营',
  '出租汽车经营',
  '排污',
  '取水',
  '林木采伐',
  '野生动物驯养繁殖',
  '文化娱乐场所',
  '互联网上网服务营业场所',
  '出版物零售',
  '广播电视设施',
  '特种设备',
  '药品零售',
  '医疗器械经营',
  '户外广告设置',
  '城市道路占用',
  '燃气经营',
  '建设用地规划',
  '商品房预售',
  '社会团体登记',
  '民办非企业单位',
  '殡葬设施',
  '残疾人就业保障金',
  '最低生活保障',
  '特困人员供养',
  '计划生育家庭特别扶助金',
  '独生子女父母奖励',
  '流动人口婚育证明',
  '人体器官移植',
  '无偿献血',
  '传染病防治',
  '职业病诊断',
  '护士执业',
  '医师执业',
  '乡村医生执业',
  '中医诊所',
  '采供血机构',
  '学校卫生',
  '游泳场所',
  '二次供水设施',
  '预防接种单位',
  '精神卫生',
  '放射工作人员证',
  '病原微生物实验室',
  '涉及饮用水卫生安全产品',
  '健康体检机构',
] as const;

/** Action → category code (seed §4.1). */
export const ACTIONS: ReadonlyArray<readonly [action: string, category: string]> = [
  ['许可', 'licensing'],
  ['延续', 'licensing'],
  ['变更', 'licensing'],
  ['注销', 'licensing'],
  ['换发', 'licensing'],
  ['审批', 'non_licensing_approval'],
  ['核准', 'non_licensing_approval'],
  ['审核', 'non_licensing_approval'],
  ['登记', 'enforcement'],
  ['备案', 'enforcement'],
  ['确认', 'enforcement'],
  ['认定', 'enforcement'],
  ['监督检查', 'enforcement'],
  ['行政强制措施', 'enforcement'],
  ['争议裁决', 'enforcement'],
  ['行政处罚', 'penalty'],
  ['吊销', 'penalty'],
  ['没收违法所得', 'penalty'],
  ['罚款', 'penalty'],
  ['收费', 'fee'],
  ['重大项目资金安排', 'major_decision'],
  ['人员招聘', 'internal_management'],
  ['物资采购', 'internal_management'],
  ['奖励', 'other'],
  ['给付', 'other'],
];

export const DEPARTMENT_NAMES = [
  '卫生健康委员会',
  '教育局',
  '公安局',
  '民政局',
  '司法局',
  '财政局',
  '人力资源和社会保障局',
  '自然资源局',
  '生态环境局',
  '住房和城乡建设局',
  '交通运输局',
  '水务局',
  '农业农村局',
  '商务局',
  '文化广电旅游局',
  '应急管理局',
  '市场监督管理局',
  '体育局',
  '统计局',
  '医疗保障局',
  '城市管理局',
  '林业局',
  '档案局',
  '退役军人事务局',
  '卫生监督所',
] as const;

export const OFFICE_NAMES = ['政策法规科', '行政审批科', '综合监督科', '家庭发展科', '财务科', '办公室'] as const;

export const LEGAL_TITLES = [
  '《中华人民共和国行政许可法》',
  '《中华人民共和国行政处罚法》',
  '《中华人民共和国人口与计划生育法》',
  '《医疗机构管理条例》',
  '《公共场所卫生管理条例》',
  '《中华人民共和国传染病防治法》',
] as const;

export interface PowerName {
  name: string;
  category: string;
}

/** Every object × action combination, in a fixed order (1,500 names). */
export function powerNames(): PowerName[] {
  const names: PowerName[] = [];
  for (const [action, category] of ACTIONS) for (const object of OBJECTS) names.push({ name: object + action, category });
  return names;
}
