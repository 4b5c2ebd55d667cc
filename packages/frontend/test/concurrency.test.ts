import { describe, expect, it } from 'vitest';
import { hasCode } from '@stratus/errors';
import type { StoredFunction } from '@stratus/contracts';
import { storedFunction } from '@stratus/testing';
import { ConcurrencyGovernor } from '../src/concurrency.js';
import { Reservations } from '../src/function-catalog.js';

function fn(name: string, reservedConcurrency?: number): StoredFunction {
  return storedFunction(name, reservedConcurrency !== undefined ? { reservedConcurrency } : {});
}

function throttleReason(run: () => unknown): string | undefined {
  try {
    run();
  } catch (err) {
    if (hasCode(err, 'THROTTLED')) return err.details['reason'];
    throw err;
  }
  return undefined;
}

describe('ConcurrencyGovernor', () => {
  it('admits up to the unreserved pool, then throttles with ConcurrentInvocationLimitExceeded', () => {
    const governor = new ConcurrencyGovernor({ accountLimit: 1000, reservedTotal: () => 300, frontendSlot: () => ({ index: 0, count: 1 }) });
    expect(governor.unreserved).toBe(700);
    const releases = Array.from({ length: 700 }, (_, i) => governor.admit(fn(`f${i % 7}`)));
    expect(throttleReason(() => governor.admit(fn('another')))).toBe('ConcurrentInvocationLimitExceeded');
    releases[0]!();
    releases[0]!(); // releasing twice must not free two slots
    expect(throttleReason(() => governor.admit(fn('another')))).toBeUndefined();
    expect(throttleReason(() => governor.admit(fn('another')))).toBe('ConcurrentInvocationLimitExceeded');
  });

  it('caps a function at its reservation and keeps it out of the shared pool', () => {
    const governor = new ConcurrencyGovernor({ accountLimit: 100, reservedTotal: () => 2, frontendSlot: () => ({ index: 0, count: 1 }) });
    governor.admit(fn('capped', 2));
    governor.admit(fn('capped', 2));
    expect(throttleReason(() => governor.admit(fn('capped', 2)))).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(throttleReason(() => governor.admit(fn('other')))).toBeUndefined();
  });

  it('treats reserved concurrency 0 as disabled', () => {
    const governor = new ConcurrencyGovernor({ accountLimit: 1000, reservedTotal: () => 0, frontendSlot: () => ({ index: 0, count: 1 }) });
    expect(throttleReason(() => governor.admit(fn('off', 0)))).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
  });

  it('gives each live frontend an equal share of every limit', () => {
    const governor = new ConcurrencyGovernor({ accountLimit: 200, reservedTotal: () => 10, frontendSlot: () => ({ index: 1, count: 2 }) });
    for (let i = 0; i < 95; i += 1) governor.admit(fn('u'));
    expect(throttleReason(() => governor.admit(fn('u')))).toBe('ConcurrentInvocationLimitExceeded');
    for (let i = 0; i < 5; i += 1) governor.admit(fn('r', 10));
    expect(throttleReason(() => governor.admit(fn('r', 10)))).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
  });

  it('splits a limit so the slices add up to it exactly: a reservation of 1 is admitted by one frontend only', () => {
    const slices = [0, 1, 2].map((index) => {
      const governor = new ConcurrencyGovernor({ accountLimit: 1000, reservedTotal: () => 1, frontendSlot: () => ({ index, count: 3 }) });
      let admitted = 0;
      while (throttleReason(() => governor.admit(fn('mutex', 1))) === undefined) admitted += 1;
      return admitted;
    });
    expect(slices).toEqual([1, 0, 0]);
  });

  it('refuses reservations that leave less than 100 unreserved, naming the numbers', () => {
    const governor = new ConcurrencyGovernor({ accountLimit: 1000, reservedTotal: () => 0, frontendSlot: () => ({ index: 0, count: 1 }) });
    expect(() => governor.checkReservation(900, 0)).not.toThrow();
    expect(() => governor.checkReservation(901, 0)).toThrow(/at most 900 can be reserved/);
    expect(() => governor.checkReservation(500, 450)).toThrow(/at most 450 can be reserved/);
    expect(() => governor.checkReservation(-1, 0)).toThrow(/at least 0/);
  });
});

describe('Reservations', () => {
  it('keeps the total as reservations are set, changed and removed', () => {
    const reservations = new Reservations();
    reservations.set('a', 100);
    reservations.set('b', 50);
    reservations.set('a', 30);
    reservations.set('c', undefined);
    expect(reservations.total).toBe(80);
    reservations.set('b', undefined);
    expect(reservations.total).toBe(30);
    expect([...reservations.keys()]).toEqual(['a']);
  });
});
