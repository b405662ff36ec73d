import { Cron } from "croner";

export interface NightlySchedule {
  nextRun(): Date | null;
  stop(): void;
}

/**
 * SPEC §2.3: the nightly batch at BATCH_TIME, local time. `protect` keeps a run from starting
 * while the previous one is still going (the database lock would refuse it anyway).
 */
export function scheduleNightlyBatch(
  time: { hour: number; minute: number },
  run: () => Promise<void>,
  onError: (error: unknown) => void,
): NightlySchedule {
  const job = new Cron(
    `${time.minute} ${time.hour} * * *`,
    { protect: true, name: "optiflow-nightly-batch" },
    async () => {
      try {
        await run();
      } catch (error) {
        onError(error);
      }
    },
  );
  return { nextRun: () => job.nextRun(), stop: () => job.stop() };
}
