/**
 * Input the domain refuses: which field, why in words, and a stable code the adapters pass on
 * (HTTP 400 with the code, CLI exit 2). Subclasses name the aggregate the input was for.
 */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly detail: string,
    readonly code: string = "invalid_input",
    /** Figures a page needs to say it in its own words (the two nearest accepted quantities). */
    readonly values: Record<string, number> = {},
  ) {
    super(`${field}: ${detail}`);
    this.name = "InputError";
  }
}
