import { describe, expect, it } from 'vitest';
import { createdSince, exactTime, humanDuration, humanSize, shortId } from '$shared/images/format';
import { formatGoG } from '$shared/go/number-format';

const KB = 1000;
const MB = 1000 * KB;
const GB = 1000 * MB;
const TB = 1000 * GB;
const PB = 1000 * TB;

describe('humanSize (go-units HumanSizeWithPrecision)', () => {
  it('matches go-units TestHumanSize at precision 4 (HumanSize)', () => {
    expect(humanSize(1000, 4)).toBe('1kB');
    expect(humanSize(1024, 4)).toBe('1.024kB');
    expect(humanSize(1000000, 4)).toBe('1MB');
    expect(humanSize(1048576, 4)).toBe('1.049MB');
    expect(humanSize(2 * MB, 4)).toBe('2MB');
    expect(humanSize(3.42 * GB, 4)).toBe('3.42GB');
    expect(humanSize(5.372 * TB, 4)).toBe('5.372TB');
    expect(humanSize(2.22 * PB, 4)).toBe('2.22PB');
    expect(humanSize(10000000000000 * PB, 4)).toBe('1e+04YB');
  });

  it('prints sizes as docker images does (precision 3)', () => {
    expect(humanSize(0)).toBe('0B');
    expect(humanSize(2)).toBe('2B');
    expect(humanSize(999)).toBe('999B');
    expect(humanSize(1000)).toBe('1kB');
    expect(humanSize(5000)).toBe('5kB');
    expect(humanSize(1984234)).toBe('1.98MB');
    expect(humanSize(1989236)).toBe('1.99MB');
    expect(humanSize(123456789)).toBe('123MB');
    expect(humanSize(72_800_000)).toBe('72.8MB');
  });

  it('rounds the exact binary value half to even, like Go (JavaScript would round 1.125 up)', () => {
    expect((1.125).toPrecision(3)).toBe('1.13');
    expect(humanSize(1125)).toBe('1.12kB');
    expect(humanSize(1135)).toBe('1.14kB'); // 1.135 is stored slightly above, so it rounds up
    expect(humanSize(2500, 1)).toBe('2kB');
    expect(humanSize(3500, 1)).toBe('4kB');
  });

  it('switches to exponent form when rounding reaches the precision, as Go does', () => {
    expect(humanSize(999_999)).toBe('1e+03kB');
    expect(humanSize(999_499)).toBe('999kB');
  });
});

describe('formatGoG', () => {
  it('formats like fmt.Sprintf("%.*g")', () => {
    expect(formatGoG(0, 3)).toBe('0');
    expect(formatGoG(100, 3)).toBe('100');
    expect(formatGoG(1234, 3)).toBe('1.23e+03');
    expect(formatGoG(0.0001234, 3)).toBe('0.000123');
    expect(formatGoG(0.00001234, 3)).toBe('1.23e-05');
    expect(formatGoG(12.5, 3)).toBe('12.5');
    expect(formatGoG(9.995, 3)).toBe('9.99'); // 9.995 is stored below the half
    expect(formatGoG(99.95, 3)).toBe('100'); // stored above the half
    expect(formatGoG(1, 0)).toBe('1');
  });
});

describe('shortId', () => {
  it('drops the algorithm and keeps 12 characters', () => {
    expect(shortId('sha256:01c153c06d8b131baf3338e9f7c42d7e872facde48d89511817f998e28c4d5d1')).toBe('01c153c06d8b');
    expect(shortId('01c153c06d8b131b')).toBe('01c153c06d8b');
    expect(shortId('abc')).toBe('abc');
  });
});

describe('humanDuration (go-units TestHumanDuration)', () => {
  const second = 1000;
  const minute = 60 * second;
  const hour = 60 * minute;
  const day = 24 * hour;
  const week = 7 * day;
  const month = 30 * day;
  const year = 365 * day;
  const cases: Array<[number, string]> = [
    [450, 'Less than a second'],
    [1 * second, '1 second'],
    [45 * second, '45 seconds'],
    [59 * second, '59 seconds'],
    [60 * second, 'About a minute'],
    [3 * minute, '3 minutes'],
    [35 * minute + 40 * second, '35 minutes'],
    [59 * minute, '59 minutes'],
    [1 * hour, 'About an hour'],
    [1 * hour + 29 * minute, 'About an hour'],
    [1 * hour + 31 * minute, '2 hours'],
    [1 * hour + 59 * minute, '2 hours'],
    [3 * hour + 29 * minute, '3 hours'],
    [3 * hour + 31 * minute, '4 hours'],
    [24 * hour, '24 hours'],
    [1 * day + 12 * hour, '36 hours'],
    [2 * day, '2 days'],
    [13 * day + 5 * hour, '13 days'],
    [2 * week, '2 weeks'],
    [2 * week + 4 * day, '2 weeks'],
    [4 * week + 3 * day, '4 weeks'],
    [1 * month, '4 weeks'],
    [1 * month + 2 * week, '6 weeks'],
    [2 * month, '2 months'],
    [3 * month + 1 * week, '3 months'],
    [13 * month, '13 months'],
    [24 * month, '24 months'],
    [24 * month + 2 * week, '2 years'],
    [3 * year + 2 * month, '3 years'],
  ];
  it.each(cases)('%d ms → %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  it('says "ago" like docker images, and future times (clock skew) read as just now', () => {
    const now = Date.UTC(2024, 0, 10, 12, 0, 0);
    expect(createdSince(now / 1000 - 2 * 86400, now)).toBe('2 days ago');
    expect(createdSince(now / 1000 + 30, now)).toBe('Less than a second ago');
    expect(exactTime(now / 1000)).toBe('2024-01-10T12:00:00Z');
  });
});
