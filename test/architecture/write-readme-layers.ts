// Rewrites the README's layer list from LAYERS: `npx tsx test/architecture/write-readme-layers.ts`.
import fs from "node:fs";
import path from "node:path";
import { withReadmeLayerList } from "./layers";

const file = path.resolve(__dirname, "../../README.md");
fs.writeFileSync(file, withReadmeLayerList(fs.readFileSync(file, "utf8")));
