// How `stratus bench` and the bench report print a run's figures; '–' for a figure that is missing.

export function fmtMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '–';
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

export function fmtRate(perSec: number | null | undefined): string {
  return perSec == null || !Number.isFinite(perSec) ? '–' : `${perSec.toFixed(0)}/s`;
}

export function fmtRatio(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '–';
  return value >= 100 ? `×${value.toFixed(0)}` : value >= 10 ? `×${value.toFixed(1)}` : `×${value.toFixed(2)}`;
}

export function fmtPct(value: number | null | undefined): string {
  return value == null || !Number.isFinite(value) ? '–' : `${value.toFixed(0)}%`;
}
