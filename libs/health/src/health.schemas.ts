import type { ApiResponseSchemaHost } from '@nestjs/swagger';

type SchemaObject = ApiResponseSchemaHost['schema'];

/** Terminus's report: one entry per check (`shutdown`, `database`, `migrations`). */
const CHECKS: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] } },
    additionalProperties: true,
  },
};

/** 200: Terminus's body. */
export const READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status', 'info', 'error', 'details'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    info: CHECKS,
    error: CHECKS,
    details: CHECKS,
  },
};

/** 503: problem details (as every error) with Terminus's report as extension members. */
export const NOT_READY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'info', 'error', 'details'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', enum: [503] },
    detail: { type: 'string', example: 'Not ready: database: unavailable' },
    info: CHECKS,
    error: CHECKS,
    details: CHECKS,
  },
};
