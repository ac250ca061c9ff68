// What the indexer serves: Ponder's GraphQL API (at / and /graphql) and its SQL-over-HTTP endpoint (/sql/*, for
// `@ponder/client` or plain `fetch`), both read-only over the tables of ponder.schema.ts.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { client, graphql } from "ponder";

const app = new Hono();
app.use("/sql/*", client({ db, schema }));
app.use("/", graphql({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

export default app;
