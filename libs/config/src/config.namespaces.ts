import { registerAs } from '@nestjs/config';
import { loadConfig } from './load-config';

/** Database settings, injected as `ConfigType<typeof databaseConfig>`. */
export const databaseConfig = registerAs('database', () => loadConfig().database);

/** HTTP server settings, injected as `ConfigType<typeof httpConfig>`. */
export const httpConfig = registerAs('http', () => loadConfig().http);
