/**
 * What the server does each night at BATCH_TIME: the batch, then, once a week, a replay of the
 * ordering policy over the last weeks (`optiflow simulate`). The replay is what measures the
 * savings the Dashboard shows (issue 13's rule for every figure users read: measured on what the
 * numbers did not choose); left to a command typed by hand, most shops would never see one.
 */
export interface NightlyWork {
  runBatch(): Promise<void>;
  /** When the latest replay of every store was stored (ISO), or null. */
  latestReplayAt(): string | null;
  runReplay(): Promise<void>;
  now(): Date;
  /** OPTIFLOW_REPLAY_EVERY_DAYS: 0 never replays. */
  replayEveryDays: number;
  log: {
    info(fields: object, message: string): void;
    error(fields: object, message: string): void;
  };
}

/**
 * The batch's failure is the caller's to report (the replay is then not tried: a night that
 * could not read the base would fail it again). A failed replay is logged and the next night
 * tries again, since the previous one stays the latest.
 */
export async function runNight(work: NightlyWork): Promise<void> {
  await work.runBatch();
  if (!replayDue(work.latestReplayAt(), work.now(), work.replayEveryDays)) return;
  try {
    await work.runReplay();
    work.log.info({ replayEveryDays: work.replayEveryDays }, "scheduled replay stored");
  } catch (error) {
    work.log.error({ err: error }, "scheduled replay failed");
  }
}

const DAY_MS = 86_400_000;

/**
 * Due when none was stored, or the latest is `everyDays` old. Twelve hours' slack: last week's
 * replay, stored a minute after BATCH_TIME, is due again at this week's BATCH_TIME.
 */
export function replayDue(latestAt: string | null, now: Date, everyDays: number): boolean {
  if (everyDays <= 0) return false;
  if (latestAt === null) return true;
  const latest = Date.parse(latestAt);
  if (Number.isNaN(latest)) return true;
  return now.getTime() - latest >= everyDays * DAY_MS - DAY_MS / 2;
}
