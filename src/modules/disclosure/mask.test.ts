import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Actor } from '../account/actor.ts';
import { PUBLIC_ACTOR, systemActor } from '../account/actor.ts';
import { idCheckCharacter, isPlausibleResidentId15, isValidCreditCode, isValidResidentId18 } from './id-number.ts';
import {
  MASK_SCOPES,
  MASKING_POLICY,
  maskAddress,
  maskFreeText,
  maskIdNumber,
  maskName,
  maskParty,
  maskPhone,
  maskScopeFor,
  maskTextForScope,
  type Party,
  personalDataOf,
} from './mask.ts';

// 320102199001011232 and 11010519491231002X pass the GB 11643 checksum; ...1234 does not.
const VALID_ID = '320102199001011232';
const VALID_ID_X = '11010519491231002X';
const WRONG_CHECKSUM = '320102199001011234';

test('GB 11643 checksum: valid, invalid, X, lower-case x, bad dates', () => {
  assert.equal(idCheckCharacter('32010219900101123'), '2');
  assert.equal(idCheckCharacter('11010519491231002'), 'X');
  assert.equal(isValidResidentId18(VALID_ID), true);
  assert.equal(isValidResidentId18(VALID_ID_X), true);
  assert.equal(isValidResidentId18(VALID_ID_X.toLowerCase()), true);
  assert.equal(isValidResidentId18(WRONG_CHECKSUM), false);
  assert.equal(isValidResidentId18('11010519491231002Y'), false);
  // Right checksum, impossible birth date (2 February 30th): not an ID.
  const feb30 = `32010219900230123`;
  assert.equal(isValidResidentId18(feb30 + idCheckCharacter(feb30)), false);
  // Right checksum, region code starting with 0: not an ID.
  const zero = '02010219900101123';
  assert.equal(isValidResidentId18(zero + idCheckCharacter(zero)), false);
  assert.equal(isPlausibleResidentId15('320102900101123'), true);
  assert.equal(isPlausibleResidentId15('320102901301123'), false);
});

test('unified social credit codes are recognised (and never masked as personal data)', () => {
  assert.equal(isValidCreditCode('91350100M000100Y43'), true);
  assert.equal(isValidCreditCode('91350100M000100Y44'), false);
  const org: Party = { kind: 'organisation', name: '镇江某某医疗器械有限公司', creditCode: '91350100M000100Y43' };
  assert.deepEqual(maskParty(org, 'public'), org);
  assert.equal(maskFreeText('统一社会信用代码 91350100M000100Y43'), '统一社会信用代码 91350100M000100Y43');
});

test('names: surname kept, one star per character, compound surnames, minorities, Latin', () => {
  assert.equal(maskName('张三'), '张*');
  assert.equal(maskName('张三丰'), '张**');
  assert.equal(maskName('欧阳娜娜'), '欧阳**');
  assert.equal(maskName('司马光'), '司马*');
  assert.equal(maskName('欧阳'), '欧*', 'a two-character name keeps one character even if it looks like a compound surname');
  assert.equal(maskName('王'), '*');
  assert.equal(maskName('艾力·买买提'), '艾*·***');
  assert.equal(maskName('John Smith'), 'J*** S****');
  assert.equal(maskName(''), '');
});

test('ID numbers: first 6 and last 4 kept, checksum or not, 15-digit legacy, other documents', () => {
  assert.equal(maskIdNumber('320102199001011234'), '320102********1234');
  assert.equal(maskIdNumber(VALID_ID_X), '110105********002X');
  assert.equal(maskIdNumber('320102900101123'), '320102*****1123');
  assert.equal(maskIdNumber('E12345678'), '*****5678');
  assert.equal(maskIdNumber('AB12'), '****');
});

test('phones: mobile 3+4, landline keeps area code and last 4', () => {
  assert.equal(maskPhone('13812345678'), '138****5678');
  assert.equal(maskPhone('+86 138 1234 5678'), '+86 138 **** 5678');
  assert.equal(maskPhone('0511-85011234'), '0511-****1234');
  assert.equal(maskPhone('(0511)85011234'), '(0511)****1234');
  assert.equal(maskPhone('010-12345678'), '010-****5678');
  assert.equal(maskPhone('051185011234'), '0511****1234');
  assert.equal(maskPhone('0511-85011234-801'), '0511-****1234-801');
  assert.equal(maskPhone('85011234'), '****1234');
});

test('addresses: kept to the district / street, house-number part masked', () => {
  assert.equal(maskAddress('镇江市润州区南徐大道 1 号 3 幢 201 室'), '镇江市润州区南徐大道****');
  assert.equal(maskAddress('北京市朝阳区建国路88号'), '北京市朝阳区建国路****');
  assert.equal(maskAddress('镇江市润州区金山花园3幢201室'), '镇江市润州区****', 'a compound name is dropped');
  assert.equal(maskAddress('镇江市润州区金山小区3幢'), '镇江市润州区****', '小区 is not a district');
  assert.equal(maskAddress('丹徒区上党镇五塘村三组'), '丹徒区上党镇五塘村****');
  assert.equal(maskAddress('京口区正东路甲1号'), '京口区正东路****');
  assert.equal(maskAddress('江苏省镇江市'), '江苏省镇江市', 'nothing personal to mask');
  assert.equal(maskAddress('金山花园3幢201室'), '****');
  assert.equal(maskAddress('Room 201, 1 Nanxu Avenue, Runzhou District, Zhenjiang'), '****, Runzhou District, Zhenjiang');
});

test('free text: checksum-valid IDs (also ending in X) are masked, wrong-checksum 18-digit numbers are not', () => {
  assert.equal(maskFreeText(`当事人身份号码${VALID_ID}已核验`), '当事人身份号码320102********1232已核验');
  assert.equal(maskFreeText(`证号 ${VALID_ID_X}。`), '证号 110105********002X。');
  assert.equal(maskFreeText(`证号 ${VALID_ID_X.toLowerCase()}。`), '证号 110105********002x。');
  assert.equal(maskFreeText(`流水号${WRONG_CHECKSUM}`), `流水号${WRONG_CHECKSUM}`);
  // Inside a longer digit or letter run: not an ID.
  assert.equal(maskFreeText(`9${VALID_ID}`), `9${VALID_ID}`);
  assert.equal(maskFreeText(`A${VALID_ID}B`), `A${VALID_ID}B`);
  // 15-digit legacy numbers with a real birth date.
  assert.equal(maskFreeText('旧证320102900101123。'), '旧证320102*****1123。');
  // After an ID label, even a mistyped number is masked.
  assert.equal(maskFreeText(`身份证号：${WRONG_CHECKSUM}`), '身份证号：320102********1234');
});

test('free text: numbers that must not be masked', () => {
  const untouched = [
    '案号镇卫健许〔2026〕12号',
    '（2026）苏1102行初123号',
    '于2026年3月1日受理，2026-03-01 09:30 办结',
    '收费 12345678.00 元',
    '订单 202603011234567890',
    '12345 热线',
    '文号 镇卫发〔2026〕8号',
    '编号 1381234567890', // 13 digits starting 138: not a mobile
  ];
  for (const text of untouched) assert.equal(maskFreeText(text), text, text);
});

test('free text: mobiles and landlines, with separators, +86, full-width digits', () => {
  assert.equal(maskFreeText('联系电话13812345678。'), '联系电话138****5678。');
  assert.equal(maskFreeText('手机：138-1234-5678'), '手机：138-****-5678');
  assert.equal(maskFreeText('+8613912345678'), '+86139****5678');
  assert.equal(maskFreeText('电话0511-85011234，或（0511）85011234'), '电话0511-****1234，或（0511）****1234');
  assert.equal(maskFreeText('电话０５１１－８５０１１２３４'), '电话０５１１－****１２３４');
  assert.equal(maskFreeText('电话 051185011234'), '电话 0511****1234');
  assert.equal(maskFreeText('咨询电话0511-85011234', { keepNumbers: ['0511-85011234'] }), '咨询电话0511-85011234');
});

test('free text: known party names, IDs and addresses wherever they appear', () => {
  const text = '经审查，欧阳娜娜的申请符合条件。欧阳娜娜，住镇江市润州区南徐大道 1 号 3 幢 201 室；John Smith 陪同。';
  assert.equal(
    maskFreeText(text, ['欧阳娜娜', 'John Smith']),
    '经审查，欧阳**的申请符合条件。欧阳**，住镇江市润州区南徐大道 1 号 3 幢 201 室；J*** S**** 陪同。',
  );
  assert.equal(
    maskFreeText(text, { names: ['欧阳娜娜'], addresses: ['镇江市润州区南徐大道 1 号 3 幢 201 室'] }),
    '经审查，欧阳**的申请符合条件。欧阳**，住镇江市润州区南徐大道****；John Smith 陪同。',
  );
  // A known ID number with a wrong checksum is still masked when the caller names it.
  assert.equal(maskFreeText(`号码${WRONG_CHECKSUM}`, { idNumbers: [WRONG_CHECKSUM] }), '号码320102********1234');
  // One-character "names" are ignored (they would mask every occurrence of the character).
  assert.equal(maskFreeText('王府井', ['王']), '王府井');
});

test('maskParty: per field and per scope', () => {
  const person: Party = {
    kind: 'person',
    name: '张三',
    idNumber: VALID_ID,
    phone: '13812345678',
    address: '镇江市润州区南徐大道 1 号 3 幢 201 室',
  };
  assert.deepEqual(maskParty(person, 'public'), {
    kind: 'person',
    name: '张*',
    idNumber: '320102********1232',
    phone: '138****5678',
    address: '镇江市润州区南徐大道****',
  });
  assert.deepEqual(maskParty(person, 'party'), { ...maskParty(person, 'public'), name: '张三' });
  assert.deepEqual(maskParty(person, 'staff'), person);
  const org: Party = {
    kind: 'organisation',
    name: '镇江市某某诊所',
    creditCode: '91350100M000100Y43',
    contact: { name: '李四', phone: '0511-85011234' },
  };
  assert.deepEqual(maskParty(org, 'public'), { ...org, contact: { name: '李*', phone: '0511-****1234' } });
  assert.deepEqual(maskParty(org, 'staff'), org);
  // Other properties pass through; nulls stay null.
  const sparse = { kind: 'person' as const, name: '王五', idNumber: null, phone: undefined, caseRole: 'applicant' };
  assert.deepEqual(maskParty(sparse, 'public'), { ...sparse, name: '王*' });
  // The policy masks every personal field on public surfaces.
  for (const field of ['personName', 'idNumber', 'phone', 'address', 'contactName', 'contactPhone'] as const) {
    assert.equal(MASKING_POLICY.public[field], 'masked', field);
  }
  for (const scope of MASK_SCOPES) assert.equal(MASKING_POLICY[scope].organisationName, 'full');
});

test('free text of a record per scope', () => {
  const parties: Party[] = [{ kind: 'person', name: '张三', idNumber: WRONG_CHECKSUM, phone: '13812345678' }];
  const text = `张三（${WRONG_CHECKSUM}，13812345678）申请`;
  assert.equal(maskTextForScope(text, parties, 'public'), '张*（320102********1234，138****5678）申请');
  assert.equal(maskTextForScope(text, parties, 'party'), '张三（320102********1234，138****5678）申请');
  assert.equal(maskTextForScope(text, parties, 'staff'), text);
  assert.deepEqual(personalDataOf(parties, 'staff'), { names: [], idNumbers: [], phones: [], addresses: [] });
});

test('maskScopeFor: full data only for the department, the city office, supervisors and the system', () => {
  const actor = (role: Actor['role'], unitId: number | null, cityWide = false): Actor => ({
    ...PUBLIC_ACTOR,
    kind: 'user',
    userId: 1,
    role,
    departmentId: unitId,
    unitId,
    cityWide,
  });
  const item = { departmentId: 7 };
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: actor('clerk', 7) }), 'staff');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: actor('clerk', 8) }), 'public');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: actor('city_office', 1, true) }), 'staff');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: actor('supervisor', 1, true) }), 'staff');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: actor('admin', 1, true) }), 'public');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: systemActor() }), 'staff');
  assert.equal(maskScopeFor(item, { kind: 'staff', actor: PUBLIC_ACTOR }), 'public');
  assert.equal(maskScopeFor(item, { kind: 'anonymous' }), 'public');
  assert.equal(maskScopeFor(item, { kind: 'party', departmentId: 7, grantedIds: new Set(['op:1']), itemId: 'op:1' }), 'public');
});
