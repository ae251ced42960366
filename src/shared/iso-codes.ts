/**
 * The codes workspace settings are checked against: countries (ISO 3166-1), currencies (ISO 4217)
 * and time zones (IANA). `Intl` names countries in any language (`Intl.DisplayNames`) but cannot
 * list them, so their codes are kept here; currencies and time zones come from `Intl` itself.
 */
export const countryCodes: readonly string[] = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS " +
  "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE " +
  "EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM " +
  "HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC " +
  "LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
  "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
  "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO " +
  "TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

const countries = new Set(countryCodes);

/** Whether a code names a country or territory of ISO 3166-1 (`DE`, `US`). */
export function isCountryCode(value: string): boolean {
  return countries.has(value);
}

let currencies: Set<string> | null | undefined;

/** The currencies in use as the runtime's `Intl` knows them; null where it cannot list them. */
function currenciesInUse(): Set<string> | null {
  if (currencies === undefined) {
    currencies = typeof Intl.supportedValuesOf === "function" ? new Set(Intl.supportedValuesOf("currency")) : null;
  }
  return currencies;
}

/** Whether a code names a currency in use (ISO 4217); without Intl's list, any three capital letters. */
export function isCurrencyInUse(code: string): boolean {
  return currenciesInUse()?.has(code) ?? /^[A-Z]{3}$/.test(code);
}

/**
 * An IANA time zone name as the runtime spells it (`europe/berlin` → `Europe/Berlin`), or null for
 * anything else, offsets such as `+01:00` included: a workspace's zone must know its daylight saving.
 */
export function canonicalTimeZone(name: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]{0,63}$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}
