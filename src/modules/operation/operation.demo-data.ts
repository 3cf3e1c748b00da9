import type { Party } from '../disclosure/mask.ts';
import type { ResultKind } from './operation.tables.ts';

export const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高';
export const GIVEN = [
  '伟',
  '娜',
  '芳',
  '敏',
  '静',
  '强',
  '磊',
  '洋',
  '艳',
  '勇',
  '军',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '桂兰',
  '建华',
  '晓东',
];
export const STREETS = [
  '润州区南徐大道',
  '京口区中山东路',
  '丹徒区谷阳大道',
  '润州区金山路',
  '京口区学府路',
  '丹阳市云阳路',
  '句容市华阳北路',
];
export const CLINICS = [
  '镇江康宁诊所有限公司',
  '镇江仁和妇产医院有限公司',
  '丹阳市博爱母婴保健中心',
  '句容市安康门诊部',
  '镇江润新医疗美容诊所',
  '扬中市惠民卫生院',
];
export const HANDLERS = ['王经办', '李经办', '刘科长', '陈主任', '孙审查', '周审核'];

/** Deterministic pseudo-random numbers, so every demo looks the same. */
export function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

export const USCC = '0123456789ABCDEFGHJKLMNPQRTUWXY';
export const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function creditCode(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC.indexOf(first17[i]) * USCC_WEIGHTS[i];
  return first17 + USCC[(31 - (sum % 31)) % 31];
}

export const DOC_PREFIX: Record<string, string> = {
  licensing: '镇卫健许',
  penalty: '镇卫健罚',
  fee: '镇卫健费',
  enforcement: '镇卫健监',
  non_licensing_approval: '镇卫健审',
  major_decision: '镇卫健决',
  internal_management: '镇卫健人',
  other: '镇卫健家',
};

export function noteFor(
  result: ResultKind | null,
  category: string,
  party: Party,
  pick: <T>(list: readonly T[]) => T,
): string | null {
  if (result === 'refused') return '不符合法定条件，不予准予';
  if (result === 'other') return pick(['检查合格', '责令限期整改，已复查合格', '未发现违法行为']);
  if (result === 'penalty_decided')
    return pick(['警告，并处罚款 5000 元', '没收违法所得，并处罚款 1 万元', '责令改正，给予警告']);
  if (result !== 'approved') return null;
  if (category === 'licensing') return '准予许可，核发执业许可证';
  if (category === 'internal_management' || category === 'major_decision') return '同意';
  return party.kind === 'person' ? `准予${party.name}的申请` : '准予';
}

export const at = (date: string, hour: number, minute = 0) =>
  new Date(`${date}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00+08:00`);
