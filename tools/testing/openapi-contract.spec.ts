import { OpenApiContract } from './openapi-contract';

const document = {
  openapi: '3.0.0',
  paths: {
    '/api/things/{id}': {
      get: {
        responses: {
          '200': {
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } },
          },
          '204': { description: 'nothing' },
        },
      },
    },
  },
  components: {
    schemas: {
      Thing: {
        type: 'object',
        properties: {
          id: { type: 'integer' },
          at: { type: 'string', format: 'date-time', nullable: true },
        },
        required: ['id', 'at'],
      },
    },
  },
};

describe('OpenApiContract', () => {
  const contract = new OpenApiContract(document);
  const check = (status: number, body: unknown, type = 'application/json; charset=utf-8') =>
    contract.check('GET', '/api/things/7?x=1', status, type, body);

  it('accepts a body that matches, null where nullable', () => {
    expect(check(200, { id: 1, at: '2030-01-01T00:00:00.000Z' })).toEqual([]);
    expect(check(200, { id: 1, at: null })).toEqual([]);
    expect(check(204, '')).toEqual([]);
  });

  it.each([
    ['a string id', { id: '1', at: null }],
    ['a fractional id', { id: 1.5, at: null }],
    ['a bad date-time', { id: 1, at: 'yesterday' }],
    ['a missing field', { id: 1 }],
    ['an undocumented field', { id: 1, at: null, extra: true }],
  ])('rejects %s', (_label, body) => {
    expect(check(200, body).length).toBeGreaterThan(0);
  });

  it('rejects undocumented statuses, content types and operations', () => {
    expect(check(404, {})).toEqual(['GET /api/things/{id} 404: status not documented']);
    expect(check(200, { id: 1, at: null }, 'text/html')[0]).toMatch(/content type text\/html/);
    expect(check(204, { id: 1 })[0]).toMatch(/documented without a body/);
    expect(contract.check('GET', '/api/other', 200, '', '')[0]).toMatch(/no such operation/);
  });
});
