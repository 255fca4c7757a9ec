// When the extension runs the forget/retention lifecycle (core gc, the same as `loupe gc`), and
// with which options: pure, so that it is tested without VS Code (test/unit/extension/lifecycle.test.ts).
//
// The settings say days; 0 turns a rule off (core gc takes Infinity for "never"). The last run is
// read from the database (lifecycle_runs), so every window and the CLI share one clock: gc runs at
// most once a day per database, however many windows ingest into it.

export interface LifecycleSettings {
  forgetAfterDays: number;
  retentionDays: number;
}

export interface GcSchedule {
  forgetAfterDays: number;
  retentionDays: number;
}

export const GC_INTERVAL_MS = 86_400_000;

/** The gc options for the settings, or null when both rules are off (then gc never runs). */
export function gcOptionsFor(settings: LifecycleSettings): GcSchedule | null {
  const days = (value: number): number => (Number.isFinite(value) && value > 0 ? value : Infinity);
  const forgetAfterDays = days(settings.forgetAfterDays);
  const retentionDays = days(settings.retentionDays);
  if (forgetAfterDays === Infinity && retentionDays === Infinity) return null;
  return { forgetAfterDays, retentionDays };
}

/**
 * Whether gc is due: it never ran, or its last run is at least `intervalMs` old. A last run in the
 * future (a clock set back) counts as due, or gc would wait for the clock to catch up.
 */
export function gcDue(lastRun: Date | null, now: Date, intervalMs = GC_INTERVAL_MS): boolean {
  if (lastRun === null || Number.isNaN(lastRun.getTime())) return true;
  const age = now.getTime() - lastRun.getTime();
  return age < 0 || age >= intervalMs;
}

/** One line for the output channel. */
export function describeGc(report: { forgotten: number; pruned: number }, schedule: GcSchedule): string {
  const rule = (days: number) => (days === Infinity ? 'never' : `${days} days`);
  return `lifecycle: forgot ${report.forgotten} digest(s) (forget after ${rule(schedule.forgetAfterDays)}), pruned ${report.pruned} archived one(s) (retention ${rule(schedule.retentionDays)})`;
}
