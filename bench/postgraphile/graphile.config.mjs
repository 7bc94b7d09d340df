// PostGraphile v5 over the benchmark database: the Amber preset (PostGraphile's recommended
// defaults), no GraphiQL, no watch mode, a pool of 10 connections like our server and the floor.
// Started by ../run with DATABASE_URL and PORT set; production mode via NODE_ENV=production.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  // Amber allows conditions on indexed columns only; the queries filter out archived rows
  // (archived_at IS NULL) as our server does, so allow conditions on any column.
  disablePlugins: ["PgIndexBehaviorsPlugin"],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      poolConfig: { max: 10 },
    }),
  ],
  grafserv: {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 8091),
    graphiql: false,
    watch: false,
  },
  grafast: { explain: false },
};

export default preset;
