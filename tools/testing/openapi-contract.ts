import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  params: number;
}

/** JSON-pointer escaping for one path segment (RFC 6901). */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Object schemas that list their properties but say nothing about others are closed, so a field
 * the code returns but the document omits is a contract failure, not silently accepted.
 */
function closeObjectSchemas(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(closeObjectSchemas);
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.type === 'object' && schema.properties && !('additionalProperties' in schema)) {
    schema.additionalProperties = false;
  }
  Object.values(schema).forEach(closeObjectSchemas);
}

/**
 * Checks responses against the OpenAPI document the API serves: the operation must exist, the
 * status must be documented, and the body must match that status's schema for its content type.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly operations: Operation[] = [];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: any) {
    const copy = structuredClone(document);
    closeObjectSchemas(copy.components?.schemas);
    closeObjectSchemas(copy.paths);
    addFormats(this.ajv);
    this.ajv.addSchema(copy, 'openapi');
    this.document = copy;
    for (const [template, methods] of Object.entries<Record<string, unknown>>(copy.paths)) {
      const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+');
      for (const method of Object.keys(methods)) {
        const params = (template.match(/\{/g) ?? []).length;
        this.operations.push({ method, template, pattern: new RegExp(`^${source}$`), params });
      }
    }
    this.operations.sort((a, b) => a.params - b.params);
  }

  /** Problems with this response, or an empty list when it matches the document. */
  check(
    method: string,
    url: string,
    status: number,
    contentType: string,
    body: unknown,
    headers?: Headers,
  ): string[] {
    const path = url.split('?')[0];
    const operation = this.operations.find(
      (op) => op.method === method.toLowerCase() && op.pattern.test(path),
    );
    if (!operation) return [`${method} ${path}: no such operation in the OpenAPI document`];
    const where = `${method} ${operation.template} ${status}`;
    const responses = this.document.paths[operation.template][operation.method].responses;
    const response = responses[String(status)];
    if (!response) return [`${where}: status not documented`];
    // A Location a client is meant to follow must be in the document too.
    if (headers?.has('location') && !response.headers?.Location) {
      return [`${where}: sends a Location header the document does not declare`];
    }
    if (!response.content) {
      return body === '' ? [] : [`${where}: documented without a body, got ${typeof body}`];
    }
    const mediaType = contentType.split(';')[0].trim();
    if (!response.content[mediaType]?.schema) {
      return [`${where}: content type ${mediaType || '(none)'} not documented`];
    }
    const ref = [
      'openapi#/paths',
      pointer(operation.template),
      operation.method,
      'responses',
      String(status),
      'content',
      pointer(mediaType),
      'schema',
    ].join('/');
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) =>
        `${where}: body${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
    );
  }
}
