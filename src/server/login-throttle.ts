/**
 * Failed-login limits, per client address and per login, counted atomically: an attempt is
 * counted as a failure *before* the password is checked (the check is asynchronous and slow on
 * purpose), and the count is given back only if the password was right. Forty guesses sent at
 * once therefore see the five before them, not an empty count; and a successful login does not
 * wipe the failures of other guesses from the same address.
 */
export interface LoginLimits {
  perAddress: number;
  perLogin: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAddress: 5,
  perLogin: 10,
  windowMs: 5 * 60_000,
};

/** Beyond this many tracked keys the oldest are forgotten: memory stays bounded under a flood. */
const MAX_KEYS = 10_000;

export interface LoginAttempt {
  keys: readonly string[];
  at: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
  ) {}

  /**
   * Counts an attempt as failed until `succeeded` says otherwise. Null when the address or the
   * login has used up its failures in the window: the caller answers 429 without checking.
   */
  begin(address: string, login: string): LoginAttempt | null {
    const at = this.now();
    const keys = [`address:${address}`, `login:${login.toLowerCase()}`];
    const limits = [this.limits.perAddress, this.limits.perLogin];
    const recent = keys.map((key) => this.recent(key, at));
    if (recent.some((list, i) => list.length >= (limits[i] as number))) return null;
    keys.forEach((key, i) => {
      this.failures.delete(key);
      this.failures.set(key, [...(recent[i] as number[]), at]);
    });
    this.forgetOldest();
    return { keys, at };
  }

  /** The password was right: this attempt was not a failure. The others stay counted. */
  succeeded(attempt: LoginAttempt): void {
    for (const key of attempt.keys) {
      const list = this.failures.get(key);
      const index = list?.indexOf(attempt.at) ?? -1;
      if (list && index >= 0) list.splice(index, 1);
    }
  }

  private recent(key: string, at: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => at - t < this.limits.windowMs);
  }

  private forgetOldest(): void {
    while (this.failures.size > MAX_KEYS) {
      const oldest = this.failures.keys().next().value;
      if (oldest === undefined) return;
      this.failures.delete(oldest);
    }
  }
}
