import { describe, expect, it } from "vitest";
import { ApiError } from "./api-error.js";
import { receivedError, sentError } from "./forecast-export-messages.js";

/** An error thrown on a download's thread reaches the server's error handler as thrown. */
const crossed = (error: unknown) => receivedError(structuredClone(sentError(error)));

describe("errors across the download's thread", () => {
  it("keep an ApiError's status, code and field", () => {
    const error = crossed(new ApiError(400, "unknown_store", "no store 9", "querystring/store"));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      name: "ApiError",
      statusCode: 400,
      code: "unknown_store",
      message: "no store 9",
      field: "querystring/store",
    });
  });

  it("keep SQLite's code and the error's name, which say a busy or damaged base", () => {
    const busy = Object.assign(new Error("database is locked"), {
      name: "SqliteError",
      code: "SQLITE_BUSY",
    });
    expect(crossed(busy)).toMatchObject({
      name: "SqliteError",
      code: "SQLITE_BUSY",
      message: "database is locked",
    });
    expect(crossed(new TypeError("x is undefined"))).toMatchObject({
      name: "TypeError",
      message: "x is undefined",
    });
    expect("code" in crossed(new Error("plain"))).toBe(false);
  });
});
