/**
 * Validators for the identifiers that appear in case records: the citizen identity number of
 * GB 11643-1999 (18 characters, ISO 7064 MOD 11-2 check character; and the 15-digit form issued
 * before 1999) and the unified social credit code of GB 32100-2015 (organisations; not personal).
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** The check character (0–9 or X) for the first 17 digits of an 18-character identity number. */
export function idCheckCharacter(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new Error('idCheckCharacter needs 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/**
 * True for an 18-character identity number whose check character is right (x accepted for X),
 * whose region code does not start with 0 and whose birth date (characters 7–14) is a real date
 * between 1850 and 2099.
 */
export function isValidResidentId18(value: string): boolean {
  if (!/^[1-9]\d{16}[\dXx]$/.test(value)) return false;
  const year = Number(value.slice(6, 10));
  if (year < 1850 || year > 2099) return false;
  if (!isCalendarDate(year, Number(value.slice(10, 12)), Number(value.slice(12, 14)))) return false;
  return idCheckCharacter(value.slice(0, 17)) === value[17].toUpperCase();
}

/**
 * True for a 15-digit identity number of the pre-1999 form: region code not starting with 0 and a
 * real birth date 19YYMMDD in characters 7–12. These carry no check digit, so this is weaker.
 */
export function isPlausibleResidentId15(value: string): boolean {
  if (!/^[1-9]\d{14}$/.test(value)) return false;
  return isCalendarDate(1900 + Number(value.slice(6, 8)), Number(value.slice(8, 10)), Number(value.slice(10, 12)));
}

/** Either form: a checksum-valid 18-character number or a plausible 15-digit one. */
export function isResidentIdNumber(value: string): boolean {
  return isValidResidentId18(value) || isPlausibleResidentId15(value);
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** True for a unified social credit code (统一社会信用代码) with a correct GB 32100-2015 check character. */
export function isValidCreditCode(value: string): boolean {
  const code = value.toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(code)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(code[i]) * USCC_WEIGHTS[i];
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17];
}
