// The "Context fill over time" part of `loupe stats`: the real and estimated curves, how the
// estimate was calibrated, and the fill now with where it comes from.
import { type SessionStats, sparkline } from '../core/stats';
import { formatInt, formatTokens } from './format';

const NOW: Record<SessionStats['contextNow']['source'], (tokens: string) => string> = {
  usage: (t) => `${t} tokens, the last API call's usage`,
  calibrated: (t) => `≈${t} tokens, estimated: the last API call's usage and what came in since, calibrated`,
  visible: (t) => `≥${t} tokens, visible events only: no API usage in this transcript, so the system prompt, tools and attachments are not counted`,
};

export function contextFillLines(stats: SessionStats): string[] {
  const lastEstimate = stats.contextEstimated.at(-1)?.tokens ?? 0;
  // One scale for both curves, so that the estimate's miss shows.
  const max = [...stats.contextReal, ...stats.contextEstimated].reduce((m, p) => Math.max(m, p.tokens), 1);
  const estimated = stats.contextEstimateVisibleOnly ? 'estimated (visible only)' : 'estimated (calibrated)  ';
  const lines = [
    'Context fill over time',
    stats.contextReal.length > 0
      ? `  real (API usage)          ${sparkline(stats.contextReal.map((p) => p.tokens), 60, max)}  last call ${formatTokens(stats.contextReal.at(-1)!.tokens)}`
      : '  real (API usage)          none in this transcript',
    `  ${estimated}  ${sparkline(stats.contextEstimated.map((p) => p.tokens), 60, max)}  at the end ${formatTokens(lastEstimate)}`,
  ];
  if (!stats.contextEstimateVisibleOnly) lines.push(`  calibration: ${calibrationText(stats.contextCalibration)}`);
  lines.push(`  now: ${NOW[stats.contextNow.source](formatInt(stats.contextNow.tokens))}`);
  lines.push(
    stats.compactions.length
      ? `  compactions: ${stats.compactions.map((c) => `e${c.eventId}${c.preTokens ? ` (${formatTokens(c.preTokens)} before)` : ''}`).join(', ')}`
      : '  compactions: none',
  );
  return lines;
}

/** `2.11 × visible + 37k (101 calls)`, one a stretch between compactions, each after the first named by its boundary. */
function calibrationText(calibration: SessionStats['contextCalibration']): string {
  const fitted = calibration.some((c) => c.fit === 'fitted');
  return calibration
    .map((c, i) => {
      const where = i === 0 ? '' : `after e${c.fromEventId}: `;
      const line = `${c.ratio.toFixed(2)} × visible ${c.base < 0 ? '−' : '+'} ${formatTokens(Math.round(Math.abs(c.base)))}`;
      if (c.fit === 'fitted') return `${where}${line} (${c.usagePoints} calls)`;
      if (c.fit === 'base') return `${where}${line} (${c.usagePoints} calls, ${fitted ? 'the ratio of the other stretches' : 'too few to fit a ratio'})`;
      return `${where}${line} (no call: the nearest stretch's)`;
    })
    .join('; ');
}
