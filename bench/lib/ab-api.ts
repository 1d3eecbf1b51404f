import { runApi } from '../api.bench.js';
const r = await runApi({ store: (process.argv[2] as 'sqlite' | 'postgres') ?? 'sqlite' });
console.log(JSON.stringify(r));
process.exit(0);
