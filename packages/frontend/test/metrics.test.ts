import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { FrontendMetrics } from '../src/metrics.js';

describe('FrontendMetrics', () => {
  it('exports invocations, cold starts, throttles, concurrency and the warm-hit ratio', async () => {
    const registry = new Registry();
    const metrics = new FrontendMetrics(registry, () => 7);
    metrics.invoked('a', { cold: true, durationMs: 3 });
    metrics.invoked('a', { cold: false, durationMs: 2 });
    metrics.invoked('a', { cold: false, durationMs: 2, functionError: 'Unhandled' });
    metrics.invoked('b', { cold: false, durationMs: 1 });
    metrics.failed('a', 'THROTTLED', 'ConcurrentInvocationLimitExceeded');
    metrics.failed('b', 'NO_CAPACITY', undefined);
    const text = await registry.metrics();
    expect(text).toContain('stratus_invocations_total{function="a",outcome="success"} 2');
    expect(text).toContain('stratus_invocations_total{function="a",outcome="function_error"} 1');
    expect(text).toContain('stratus_invocations_total{function="b",outcome="NO_CAPACITY"} 1');
    expect(text).toContain('stratus_cold_starts_total{function="a"} 1');
    expect(text).toContain('stratus_throttles_total{function="a",reason="ConcurrentInvocationLimitExceeded"} 1');
    expect(text).toContain('stratus_concurrent_executions 7');
    expect(text).toMatch(/stratus_warm_hit_ratio\{function="a"\} 0\.666/);
    expect(text).toContain('stratus_warm_hit_ratio{function=""} 0.75');
  });
});
