import fs from "node:fs";
import { Client } from "pg";
import { FAULT_FIGURES_FILE } from "./helpers/fault-figures";

export default async function globalTeardown(): Promise<void> {
  if (process.env.TEST_TMP_DIR) {
    // The fault suite's figures (faults injected, messages expected, delivered, duplicated), when it ran.
    if (fs.existsSync(FAULT_FIGURES_FILE())) console.log(`\n${fs.readFileSync(FAULT_FIGURES_FILE(), "utf8")}`);
    fs.rmSync(process.env.TEST_TMP_DIR, { recursive: true, force: true });
  }
  const adminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  const template = process.env.TEST_POSTGRES_TEMPLATE;
  if (!adminUrl || !template) return;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [`${template}%`]);
  for (const { datname } of rows.reverse()) await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  await admin.end();
}
