// Imported first by every entry of the page. zod compiles object parsers with `new Function` when
// it may, and probes for it when the first schema is built; under `script-src 'self'` that probe
// is refused (and reported as a CSP violation) even though zod then falls back. `jitless` tells zod
// not to probe: it must run before kaohe's schemas are built, hence its own module, imported first.
import { config } from "zod/mini";

config({ jitless: true });
