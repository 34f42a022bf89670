import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config/config.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = await createApp(config);
  await app.listen(config.port);
  new Logger('main').log(`ggzy-portal listening on ${config.publicBaseUrl} (database: ${config.database.kind})`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
