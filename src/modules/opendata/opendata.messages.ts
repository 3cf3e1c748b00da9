import { registerMessages } from '../../i18n/i18n.ts';

registerMessages({
  'zh-CN': {
    'opendata.title': '开放数据',
    'opendata.intro':
      '以下数据与网站公开内容同源生成，只含主动公开（全社会）且在公开期限内的内容，个人信息已屏蔽。可自由下载、再利用，请注明来源。',
    'opendata.datasets': '数据集',
    'opendata.dataset.catalog': '行政权力目录',
    'opendata.dataset.catalog.desc':
      '每个公开事项一行：编码、名称、类别、承办单位、法律依据、收费、法定时限与承诺时限、公开范围与时间。',
    'opendata.dataset.flowcharts': '权力运行流程图',
    'opendata.dataset.flowcharts.desc': '每个公开事项流程图的环节：承办岗位、环节时限、监督制约点、下一环节。',
    'opendata.dataset.weekly': '每周运行情况汇总',
    'opendata.dataset.weekly.desc': '每个单位每周已复核公布的统计：办件数、办结数、按时办结率、超期、登记迟延、收费。',
    'opendata.formats': '格式',
    'opendata.cpsv': '公共服务目录（CPSV-AP 3.2 JSON-LD）',
    'opendata.cpsv.desc':
      '职权目录按欧盟公共服务核心词汇应用规范 CPSV-AP 3.2 输出，每个公开事项一个 PublicService；法定时限与承诺时限、公开范围等用扩展命名空间 gk: 表示。',
    'opendata.ns': '扩展命名空间 gk:',
    'opendata.ns.intro': 'CPSV-AP 3.2 没有的概念用下列术语表示（命名空间 {ns}）。',
    'opendata.term': '术语',
    'opendata.meaning': '含义',
    'opendata.feeds': '订阅（RSS / Atom）',
    'opendata.feeds.intro': '按栏目和单位订阅最新公开内容。',
    'opendata.feed.all': '全部栏目',
    'opendata.feed.departments': '按单位订阅（Atom）',
    'opendata.sitemap': '网站地图（sitemap.xml）',
    'opendata.printed': '打印与公开栏',
    'opendata.printed.catalog': '行政权力目录（政务公开栏）',
    'opendata.printed.commitment': '公开承诺书',
    'error.OPENDATA_NOT_FOUND': '没有这个数据文件或订阅：{file}',
    'opendata.unknownFile': '可用的文件见“开放数据”页面',
  },
  en: {
    'opendata.title': 'Open data',
    'opendata.intro':
      'Generated from the same data as the website: only public items within their disclosure term, personal data masked. Free to download and reuse; please cite the source.',
    'opendata.datasets': 'Datasets',
    'opendata.dataset.catalog': 'Catalog of administrative powers',
    'opendata.dataset.catalog.desc':
      'One row per public power: code, name, category, department, legal basis, fee, statutory and promised limits, disclosure scope and term.',
    'opendata.dataset.flowcharts': 'Flowcharts',
    'opendata.dataset.flowcharts.desc': 'The steps of each public flowchart: post, step limit, supervision point, next steps.',
    'opendata.dataset.weekly': 'Weekly figures',
    'opendata.dataset.weekly.desc':
      'Each department’s reviewed weekly figures: operations, finished, on-time rate, overdue, late registrations, fees.',
    'opendata.formats': 'Formats',
    'opendata.cpsv': 'Public service catalog (CPSV-AP 3.2 JSON-LD)',
    'opendata.cpsv.desc':
      'The catalog in the Core Public Service Vocabulary Application Profile 3.2: one PublicService per public power; statutory and promised limits and the disclosure scope use the gk: extension namespace.',
    'opendata.ns': 'Extension namespace gk:',
    'opendata.ns.intro': 'Concepts CPSV-AP 3.2 lacks use these terms (namespace {ns}).',
    'opendata.term': 'Term',
    'opendata.meaning': 'Meaning',
    'opendata.feeds': 'Feeds (RSS / Atom)',
    'opendata.feeds.intro': 'Follow new publications by section or by department.',
    'opendata.feed.all': 'All sections',
    'opendata.feed.departments': 'By department (Atom)',
    'opendata.sitemap': 'Sitemap (sitemap.xml)',
    'opendata.printed': 'Print and bulletin board',
    'opendata.printed.catalog': 'Catalog (bulletin-board sheet)',
    'opendata.printed.commitment': 'Public commitment',
    'error.OPENDATA_NOT_FOUND': 'No such data file or feed: {file}',
    'opendata.unknownFile': 'See the open data page for the files available',
  },
});
