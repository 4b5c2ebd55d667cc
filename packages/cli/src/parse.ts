import { InvalidArgumentError } from 'commander';
import { APPLICATION_LOG_LEVELS, SYSTEM_LOG_LEVELS, parseEgressRule, splitEgressAllowList } from '@stratus/contracts';
import type { LogTypeName } from '@stratus/contracts/grpc';

/** Commander option parsers; their errors are usage errors (exit code 2). */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number of at least 0');
  return n;
}

export function envPair(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected KEY=VALUE');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

/** Lambda spells these "Tail" and "None"; any case is accepted. */
export function logType(value: string): LogTypeName {
  switch (value.toLowerCase()) {
    case 'tail':
      return 'TAIL';
    case 'none':
      return 'NONE';
    default:
      throw new InvalidArgumentError('expected Tail or None');
  }
}

export function egressMode(value: string): 'public' | 'none' {
  if (value === 'public' || value === 'none') return value;
  throw new InvalidArgumentError('expected "public" (public addresses, the default) or "none" (only what --egress-allow names)');
}

/** A comma-separated allow list; repeating the option adds to it. */
export function egressAllowList(value: string, previous: readonly string[] = []): string[] {
  const entries = splitEgressAllowList(value);
  for (const entry of entries) {
    const rule = parseEgressRule(entry);
    if (typeof rule === 'string') throw new InvalidArgumentError(rule);
  }
  return [...previous, ...entries];
}

/** `--weight VERSION=WEIGHT` (Lambda's AdditionalVersionWeights): a version number and a share of calls from 0 to 1. */
export function versionWeight(value: string, previous: Readonly<Record<string, number>> = {}): Record<string, number> {
  const match = /^([1-9][0-9]*)=([0-9]*\.?[0-9]+)$/.exec(value);
  const weight = match ? Number(match[2]) : NaN;
  if (!match?.[1] || !(weight >= 0 && weight <= 1)) throw new InvalidArgumentError('expected VERSION=WEIGHT, a version number and a weight from 0 to 1 (e.g. 2=0.1)');
  return { ...previous, [match[1]]: weight };
}

/** Lambda spells these "Text" and "JSON"; any case is accepted. */
export function logFormat(value: string): 'Text' | 'JSON' {
  switch (value.toLowerCase()) {
    case 'text':
      return 'Text';
    case 'json':
      return 'JSON';
    default:
      throw new InvalidArgumentError('expected Text or JSON');
  }
}

function oneOf<L extends string>(levels: readonly L[]): (value: string) => L {
  return (value) => {
    const level = levels.find((l) => l === value.toUpperCase());
    if (level === undefined) throw new InvalidArgumentError(`expected one of ${levels.join(', ')}`);
    return level;
  };
}

export const applicationLogLevel = oneOf(APPLICATION_LOG_LEVELS);
export const systemLogLevel = oneOf(SYSTEM_LOG_LEVELS);

/** KEY=VALUE, repeatable; a tag's value may be empty. */
export function tagPair(value: string, previous: Readonly<Record<string, string>> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('expected KEY=VALUE');
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}
