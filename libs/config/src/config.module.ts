import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { databaseConfig, httpConfig } from './config.namespaces';

/** Global, validated configuration. `.env` is read by `loadConfig`, never by ConfigModule. */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      ignoreEnvFile: true,
      load: [databaseConfig, httpConfig],
    }),
  ],
})
export class AppConfigModule {}
