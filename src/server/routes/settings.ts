import type { FastifyInstance } from "fastify";
import { SettingBody, SettingParams } from "../../contract/settings.js";
import { listSettings, writeSetting } from "../../data/optiflow/settings-repository.js";
import { measuredSavings } from "../../data/optiflow/simulations-repository.js";
import { parseSetting } from "../../domain/settings/settings.js";
import { checkRequestPart } from "../api-error.js";
import type { ServerDeps } from "../server-deps.js";
import { actorOf, userWrite } from "../user-writes.js";

/** Settings: everyone may read them; only an admin changes them, audited; the next batch uses them. */
export function registerSettingsRoutes(app: FastifyInstance, deps: ServerDeps): void {
  // With what the latest replay of every store measured for each order policy: the evidence for
  // `order_policy` where it is changed, not only on the Dashboard.
  app.get("/api/settings", async () => ({
    settings: listSettings(deps.db),
    measuredSavings: measuredSavings(deps.db, null),
  }));

  app.put<{ Params: SettingParams; Body: SettingBody }>(
    "/api/settings/:key",
    { config: { access: "admin" }, schema: { params: SettingParams, body: SettingBody } },
    async (request) => {
      const { key, value } = checkRequestPart("body", () =>
        parseSetting(request.params.key, request.body.value),
      );
      const by = actorOf(request);
      await userWrite(deps, by, "setting_changed", { key, value }, (db, at) => ({
        previous: writeSetting(db, key, value, at, by),
      }));
      return { settings: listSettings(deps.db) };
    },
  );
}
