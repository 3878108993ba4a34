import { parseGoFloat, parseHumanizeBytes } from '$shared/go/strconv-parse';

/** The three thresholds of `dive --ci`, as strings the way a user writes them ("0.9", "50kB", "disabled"). */
export interface CiThresholds {
  readonly lowestEfficiency?: string;
  readonly highestWastedBytes?: string;
  readonly highestUserWastedPercent?: string;
}

export type CiRuleName = 'lowestEfficiency' | 'highestWastedBytes' | 'highestUserWastedPercent';

/** dive's defaults when `--ci` is given without a threshold. */
const DIVE_CI_DEFAULTS: Required<CiThresholds> = {
  lowestEfficiency: '0.9',
  highestWastedBytes: 'disabled',
  highestUserWastedPercent: '0.1',
};

/** A threshold parsed and checked; `disabled` rules are skipped. */
export type CiRule =
  | { readonly name: CiRuleName; readonly configValue: string; readonly disabled: true }
  | { readonly name: CiRuleName; readonly configValue: string; readonly disabled: false; readonly threshold: number };

export interface CiMisconfiguration {
  readonly name: CiRuleName;
  readonly message: string;
}

export type CiRuleSet =
  | { readonly ok: true; readonly rules: readonly CiRule[] }
  | { readonly ok: false; readonly errors: readonly CiMisconfiguration[] };

export interface CiRuleResult {
  readonly name: CiRuleName;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly message: string;
}

export interface CiEvaluation {
  readonly pass: boolean;
  readonly results: readonly CiRuleResult[];
}

/** The figures the rules look at. */
export interface CiFigures {
  readonly efficiency: number;
  readonly wastedBytes: number;
  readonly wastedUserPercent: number;
}

/** dive's isRuleDisabled: blank, "disabled", "off" or "false", in any case. */
function isRuleDisabled(value: string): boolean {
  const normalized = value.trim().toLowerCase();
  return normalized === '' || normalized === 'disabled' || normalized === 'off' || normalized === 'false';
}

/** Parses and validates thresholds as dive does before it looks at the image; every bad value is reported. */
export function parseCiRules(thresholds: CiThresholds = {}): CiRuleSet {
  const values = { ...DIVE_CI_DEFAULTS, ...withoutUndefined(thresholds) };
  const rules: CiRule[] = [];
  const errors: CiMisconfiguration[] = [];
  const ratio = (name: CiRuleName, value: string): void => {
    if (isRuleDisabled(value)) return void rules.push({ name, configValue: value, disabled: true });
    const parsed = parseGoFloat(value);
    if (!parsed.ok) {
      // dive's own words here are Go's ("strconv.ParseFloat: parsing …"): say what is wrong instead.
      return void errors.push({
        name,
        message: `${JSON.stringify(value)} is not a number: give a ratio from 0 to 1 (such as 0.9), or "disabled"`,
      });
    }
    if (parsed.value < 0 || parsed.value > 1) {
      return void errors.push({
        name,
        message: `${value} is outside 0 to 1: give a ratio (0.9 means 90 %), or "disabled"`,
      });
    }
    rules.push({ name, configValue: value, disabled: false, threshold: parsed.value });
  };

  ratio('lowestEfficiency', values.lowestEfficiency);
  const wasted = values.highestWastedBytes;
  if (isRuleDisabled(wasted)) {
    rules.push({ name: 'highestWastedBytes', configValue: wasted, disabled: true });
  } else {
    const parsed = parseHumanizeBytes(wasted);
    if (parsed.ok)
      rules.push({ name: 'highestWastedBytes', configValue: wasted, disabled: false, threshold: parsed.value });
    else
      errors.push({
        name: 'highestWastedBytes',
        message: parsed.error.startsWith('too large')
          ? `${wasted} is too large: the most is about 18EB`
          : `${JSON.stringify(wasted)} is not a size: give bytes (50000) or a size with a unit (50kB, 20MB, 1GiB), or "disabled"`,
      });
  }
  ratio('highestUserWastedPercent', values.highestUserWastedPercent);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

/** Applies dive's comparisons: efficiency fails if threshold > efficiency; the other two fail if figure > threshold. */
export function evaluateCiRules(rules: readonly CiRule[], figures: CiFigures): CiEvaluation {
  const results = rules.map((rule): CiRuleResult => {
    if (rule.disabled) return { name: rule.name, status: 'skip', message: 'disabled' };
    switch (rule.name) {
      case 'lowestEfficiency':
        return rule.threshold > figures.efficiency
          ? fail(
              rule.name,
              `image efficiency is too low (efficiency=${figures.efficiency.toFixed(2)} < threshold=${rule.threshold})`,
            )
          : pass(rule);
      case 'highestWastedBytes':
        return figures.wastedBytes > rule.threshold
          ? fail(rule.name, `too many bytes wasted (wasted-bytes=${figures.wastedBytes} > threshold=${rule.threshold})`)
          : pass(rule);
      case 'highestUserWastedPercent':
        return figures.wastedUserPercent > rule.threshold
          ? fail(
              rule.name,
              `too many bytes wasted, relative to the user bytes added (%-user-wasted-bytes=${figures.wastedUserPercent.toFixed(2)} > threshold=${rule.threshold})`,
            )
          : pass(rule);
    }
  });
  return { pass: results.every((result) => result.status !== 'fail'), results };
}

function pass(rule: CiRule): CiRuleResult {
  return { name: rule.name, status: 'pass', message: rule.configValue };
}

function fail(name: CiRuleName, message: string): CiRuleResult {
  return { name, status: 'fail', message };
}

function withoutUndefined(thresholds: CiThresholds): Partial<Record<keyof CiThresholds, string>> {
  return Object.fromEntries(Object.entries(thresholds).filter(([, value]) => value !== undefined));
}
